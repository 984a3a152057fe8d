import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { AccountRepository } from '../db/repositories/account.repository';
import { NetworkRepository } from '../db/repositories/network.repository';
import { PartnershipRepository } from '../db/repositories/partnership.repository';

/**
 * Demonstration partnerships (once), marked as such: five partnerships of different types and stages among the
 * Birmingham sample schools, the council, two agencies and an independent school, with attendance aims whose
 * baseline is the earliest absence year in the sample (2021/22, the year before they began, recorded afterwards),
 * activities and benefits. The schools did not write these.
 */
interface DemoPartnership {
  name: string;
  purpose: string;
  type: string;
  themes: string[];
  startedOn: string;
  lead: number | string;
  members: [number | string, string][];
  stages: [string, string, string][];
  aims: number[];
  activities: [string, string, string, number | null, number | null, string][];
  benefits: [string, string, string][];
}

const COUNCIL = 'Birmingham City Council';
const YOUTH = 'Birmingham youth service (demonstration)';
const MHST = 'NHS mental health support team, south Birmingham (demonstration)';
const INDEPENDENT = 'Edgbaston independent school (demonstration)';

const PARTNERSHIPS: DemoPartnership[] = [
  {
    name: 'East Birmingham attendance alliance',
    purpose: 'Four secondary schools in east Birmingham, the youth service and the council working together to bring persistently absent pupils back: shared first-day response, joint home visits and youth work.',
    type: 'area-based',
    themes: ['attendance', 'community-multi-agency'],
    startedOn: '2022-09-01',
    lead: 144464,
    members: [[138059, 'partner'], [142388, 'partner'], [144306, 'partner'], [YOUTH, 'agency'], [COUNCIL, 'funder']],
    stages: [['alliance', '2023-07-12', 'The pilot year cut persistent absence in two schools; heads agreed a three-year commitment and a shared attendance officer.']],
    aims: [138059, 142388, 144306, 144464],
    activities: [
      ['2023-10-04', 'meeting', 'Heads and attendance leads of the four schools', null, 12, 'Agreed a common first-day calling script.'],
      ['2024-01-17', 'joint-practice', 'Attendance officers and youth workers', 46, 60, 'Joint home visits for year 9 pupils.'],
      ['2024-06-05', 'training', 'Pastoral staff from all schools', null, 40, 'Training on the national attendance guidance.'],
    ],
    benefits: [
      ['pupils', 'Pupils at risk of persistent absence have one youth worker across the schools they move between.', 'Youth service caseload records.'],
      ['staff', 'Attendance leads meet monthly and no longer work alone.', 'Meeting notes.'],
    ],
  },
  {
    name: 'Edgbaston state–independent partnership',
    purpose: 'An independent school shares its science laboratories and subject specialists with three state secondary schools; pupils with low attendance are offered practical science days.',
    type: 'state-independent',
    themes: ['curriculum-teaching', 'attendance'],
    startedOn: '2023-01-09',
    lead: INDEPENDENT,
    members: [[136213, 'partner'], [138695, 'partner'], [145120, 'partner']],
    stages: [],
    aims: [136213, 138695],
    activities: [['2023-03-15', 'shared-provision', 'Year 10 pupils from Harborne Academy and George Dixon Academy', 60, 18, 'Practical science day.']],
    benefits: [['pupils', 'Pupils used laboratory equipment their schools do not have.', 'Pupil survey after the science days.']],
  },
  {
    name: 'South Birmingham multi-agency attendance partnership',
    purpose: 'The council, the mental health support team, the youth service and three schools plan support together for pupils whose absence is linked to anxiety.',
    type: 'multi-agency',
    themes: ['attendance', 'mental-health', 'community-multi-agency'],
    startedOn: '2022-09-05',
    lead: COUNCIL,
    members: [[103486, 'partner'], [103563, 'partner'], [136589, 'partner'], [MHST, 'agency'], [YOUTH, 'agency']],
    stages: [
      ['alliance', '2023-03-20', 'A shared referral route was working; partners agreed to pool one day a week of each agency’s time.'],
      ['integration', '2024-09-02', 'A single team with a shared caseload and governance across the partners.'],
    ],
    aims: [103486, 103563, 136589],
    activities: [
      ['2023-01-25', 'meeting', 'Schools, MHST, youth service, council', null, 10, 'Agreed the referral route.'],
      ['2024-02-07', 'shared-provision', 'MHST practitioners in three schools', 35, 70, 'Group sessions for pupils with anxiety-related absence.'],
    ],
    benefits: [['organisation', 'One referral route replaced three.', 'Council process map.'], ['community', 'Families see one team rather than several.', 'Family feedback forms.']],
  },
  {
    name: 'North Birmingham peer review group',
    purpose: 'Four secondary schools review each other’s attendance and behaviour systems each term.',
    type: 'state-state',
    themes: ['attendance', 'behaviour'],
    startedOn: '2023-09-04',
    lead: 147707,
    members: [[143413, 'partner'], [143435, 'partner'], [144719, 'partner']],
    stages: [],
    aims: [143413, 143435],
    activities: [['2023-11-22', 'visit', 'Senior leaders of the four schools', null, 16, 'First peer review, at Erdington Academy.']],
    benefits: [['staff', 'Senior leaders see other schools’ systems at work.', 'Peer review reports.']],
  },
  {
    name: 'Lordswood transition partnership',
    purpose: 'A secondary school and its feeder primaries plan transition together, starting with pupils whose attendance dips in year 6.',
    type: 'other',
    themes: ['transition', 'attendance'],
    startedOn: '2022-09-12',
    lead: 145120,
    members: [[144722, 'partner'], [138410, 'partner']],
    stages: [],
    aims: [144722, 138410],
    activities: [['2023-06-28', 'event', 'Year 6 pupils and families', 120, 30, 'Transition summer school taster day.']],
    benefits: [['pupils', 'Year 6 pupils meet their year 7 tutors before September.', 'Attendance at the taster day.']],
  },
];

export async function loadDemoPartnerships(database: Database, log: (m: string) => void = () => {}): Promise<number> {
  const repo = new PartnershipRepository(database);
  if ((await repo.count()) > 0) return 0;
  const accounts = new AccountRepository(database);
  const author = await accounts.userByEmail('demonstration@trellis.invalid');
  const [first] = await database.rows<{ y: number }>(sql`select min(year)::int as y from measure_values where measure = 'absence.persistent' and entity_type = 'school'`);
  const baselineYear = first?.y;
  if (!author || baselineYear == null) return 0;
  const organisationOf = async (ref: number | string): Promise<string | null> => {
    if (typeof ref === 'string') return (await database.rows<{ id: string }>(sql`select id from organisations where name = ${ref} order by created_at limit 1`))[0]?.id ?? null;
    const existing = await accounts.organisationBySchool(ref);
    if (existing) return existing.id;
    const [school] = await database.rows<{ name: string; la_code: string | null; postcode: string | null; easting: number | null; northing: number | null }>(sql`
      select name, la_code, postcode, easting, northing from establishments where urn = ${ref}`);
    if (!school) return null;
    return (await accounts.createOrganisation({ kind: 'school', name: school.name, urn: ref, trustUid: null, laCode: school.la_code, postcode: school.postcode, easting: school.easting, northing: school.northing, createdBy: author.id })).id;
  };
  let count = 0;
  for (const p of PARTNERSHIPS) {
    const lead = await organisationOf(p.lead);
    if (!lead) continue;
    const id = await repo.create({ name: p.name, purpose: p.purpose, type: p.type, visibility: 'public', themes: p.themes, startedOn: p.startedOn, leadOrganisationId: lead, createdBy: author.id, demonstration: true });
    for (const [ref, role] of p.members) {
      const organisationId = await organisationOf(ref);
      if (organisationId) await repo.addMember(id, organisationId, role);
    }
    let stage = 'pilot';
    for (const [to, decidedOn, reason] of p.stages) {
      await repo.moveStage(id, { from: stage, to, decidedOn, reason, recordedBy: author.id });
      stage = to;
    }
    for (const urn of p.aims) {
      await repo.addAim(id, { theme: 'attendance', measure: 'absence.persistent', urn, baselineYear, recordedAfterwards: true, description: 'Reduce persistent absence faster than similar schools.', createdBy: author.id });
    }
    for (const [happenedOn, kind, participants, pupilsReached, staffHours, notes] of p.activities) {
      await repo.addActivity(id, { happenedOn, kind, participants, pupilsReached, staffHours, resourcesShared: '', costPounds: null, notes, createdBy: author.id });
    }
    // One recent activity, dated from the day the demonstration is loaded, so the area view has live collaborations.
    await repo.addActivity(id, { happenedOn: daysAgo(45 + 20 * count), kind: 'meeting', participants: 'Leads of the member organisations', pupilsReached: null, staffHours: 6, resourcesShared: '', costPounds: null, notes: 'Termly review of the plan (demonstration, dated from when the demonstration was loaded).', createdBy: author.id });
    for (const [kind, description, evidence] of p.benefits) await repo.addBenefit(id, { kind, description, evidence, organisationId: lead, createdBy: author.id });
    count++;
  }
  log(`sample: ${count} demonstration partnerships`);
  return count;
}

/** The ISO date n days before today (demonstration content that must stay recent whenever it is loaded). */
function daysAgo(n: number): string {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}

/** Two demonstration networks (once), facilitated by a demonstration facilitator, with meetings, actions and learning. */
export async function loadDemoNetworks(database: Database, log: (m: string) => void = () => {}): Promise<number> {
  const repo = new NetworkRepository(database);
  if ((await repo.count()) > 0) return 0;
  const accounts = new AccountRepository(database);
  const facilitator =
    (await accounts.userByEmail('facilitator.demonstration@trellis.invalid')) ??
    (await accounts.createUser({ email: 'facilitator.demonstration@trellis.invalid', displayName: 'Demonstration facilitator', passwordHash: null, emailVerified: true }));
  await accounts.setPlatformRoles(facilitator.id, { isFacilitator: true });
  const networks = [
    {
      name: 'Birmingham attendance leads’ mutual-support group',
      purpose: 'Attendance leads from six secondary schools meet twice a term to share what is working and to solve each other’s hardest cases.',
      kind: 'mutual-support',
      themes: ['attendance'],
      members: [144464, 138059, 142388, 144306, 103519, 139994],
      meeting: ['2024-10-09', 'First-day calling scripts; the new national attendance guidance.', 'Three schools now call before 9.30; Yardleys shared its script.'],
      action: ['Share the home-visit risk assessment with the group', '2027-01-20'],
      learning: 'Families answered more often when the first call came from a named tutor rather than the office.',
    },
    {
      name: 'South Birmingham peer-review cluster',
      purpose: 'Four schools review each other’s provision for pupils with SEN support each term.',
      kind: 'peer-review',
      themes: ['inclusion-send'],
      members: [103486, 103563, 136589, 141835],
      meeting: ['2024-11-13', 'Peer review at Colmers: adaptive teaching in key stage 3.', 'Strengths in pre-teaching vocabulary; next review at Bartley Green.'],
      action: ['Send the review template to Bartley Green', '2027-02-05'],
      learning: 'Pre-teaching key vocabulary to pupils with SEN support helped them join in whole-class discussion.',
    },
  ];
  let count = 0;
  for (const n of networks) {
    const id = await repo.create({ name: n.name, purpose: n.purpose, kind: n.kind, themes: n.themes, facilitatorId: facilitator.id, demonstration: true });
    const organisationIds: string[] = [];
    for (const urn of n.members) {
      const organisation = await accounts.organisationBySchool(urn);
      if (organisation && (await repo.addMember(id, organisation.id))) organisationIds.push(organisation.id);
    }
    await repo.addMeeting(id, { heldOn: n.meeting[0]!, agenda: n.meeting[1]!, notes: n.meeting[2]!, attendance: organisationIds.slice(0, -1), createdBy: facilitator.id });
    await repo.addMeeting(id, { heldOn: daysAgo(21 + 14 * count), agenda: 'Progress on the actions; what each school tried this half term.', notes: 'Demonstration meeting, dated from when the demonstration was loaded.', attendance: organisationIds, createdBy: facilitator.id });
    await repo.addAction(id, { description: n.action[0]!, ownerId: facilitator.id, dueOn: n.action[1]!, createdBy: facilitator.id });
    await repo.addLearning(id, { text: n.learning, organisationId: organisationIds[0] ?? null, createdBy: facilitator.id });
    count++;
  }
  log(`sample: ${count} demonstration networks`);
  return count;
}
