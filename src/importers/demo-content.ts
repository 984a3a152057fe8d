import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { AccountRepository } from '../db/repositories/account.repository';
import { CaseStudyRepository, type CaseStudyContent } from '../db/repositories/case-study.repository';
import { PracticeService } from '../modules/practice/practice.service';

/**
 * Demonstration content for a first run, clearly marked as such: case studies written for real sample schools, so
 * that search, "schools like mine" and the data pack's links to bright spots' practice have something to show.
 * The practice they describe is typical of published school case studies; the schools did not write them.
 * (`bench/practice.ts` also builds its generated library from these texts.)
 */

export interface Template {
  theme: string[];
  title: (school: string) => string;
  summary: string;
  challenge: string;
  approach: string;
  impact: string;
  applicability: string;
  partners: string;
  measures: string[];
}

export const TEMPLATES: Template[] = [
  {
    theme: ['attendance', 'community-multi-agency'],
    title: (s) => `First-day calls and home visits at ${s}`,
    summary: 'Every absent pupil’s family hears from us before 9.30 on the first day, and a visit follows on the third. Persistent absence fell as families felt noticed rather than chased.',
    challenge: 'After the pandemic, **persistent absence** rose sharply, concentrated among pupils eligible for free school meals and those with SEN support. Letters home were not working.',
    approach: 'The attendance officer and two pastoral leads share a rota of first-day calls. On the third consecutive day a member of staff visits, with the school nurse where health is mentioned. Each week the team meets the local early help worker to agree who needs more than a call.\n\n- Calls start at 8.45\n- Visits are friendly, not enforcement\n- Families are asked what would help',
    impact: 'Persistent absence fell in each of the last two years, and the gap between disadvantaged pupils and others narrowed. Families tell us the calls feel like care.',
    applicability: 'Any school can start first-day calls with existing staff. The visits need protected time, about six staff hours a week for a school of 1,000. Working with early help depends on your local authority’s offer.',
    partners: 'Local authority early help team; school nursing service.',
    measures: ['absence.persistent', 'absence.overall'],
  },
  {
    theme: ['attendance', 'mental-health'],
    title: (s) => `A gentle return: reintegration timetables at ${s}`,
    summary: 'Pupils returning after long absence start with a shortened, personalised timetable and a trusted adult. Most are back full-time within six weeks.',
    challenge: 'A group of pupils with anxiety-related absence were missing more than half of their lessons, and each return attempt ended in a new absence.',
    approach: 'We agreed a reintegration plan with each family: a shortened timetable, a quiet base for breaks, and a daily check-in with one adult. The plan is reviewed every fortnight and lessons are added as confidence grows. The CAMHS link worker advises on the plans.',
    impact: 'Of the first twelve pupils, ten were attending full-time within six weeks, and overall absence fell.',
    applicability: 'The approach needs a small, quiet space and one adult per pupil for a few minutes a day. Access to a mental health support team makes it easier but is not essential.',
    partners: 'CAMHS; the local mental health support team.',
    measures: ['absence.overall', 'absence.persistent'],
  },
  {
    theme: ['curriculum-teaching', 'disadvantaged-pupils'],
    title: (s) => `Retrieval practice across every subject at ${s}`,
    summary: 'Five-minute low-stakes quizzes at the start of every lesson, planned by departments together, raised attainment for disadvantaged pupils in particular.',
    challenge: 'Pupils, and especially disadvantaged pupils, were forgetting earlier content by the time of their GCSEs.',
    approach: 'Departments wrote knowledge organisers for each unit and built short retrieval quizzes from them. Teachers had two sessions of training on spacing and interleaving, and middle leaders visited lessons to support, not to judge.',
    impact: 'Attainment 8 rose over three years, and the disadvantaged pupils’ gap narrowed.',
    applicability: 'Retrieval practice costs little and is well evidenced. The time goes into writing good questions: plan a term for departments to build their banks.',
    partners: 'The local research school ran the training.',
    measures: ['ks4.attainment8', 'ks4.engmaths4'],
  },
  {
    theme: ['inclusion-send', 'curriculum-teaching'],
    title: (s) => `Adaptive teaching for pupils with SEN support at ${s}`,
    summary: 'Every teacher learned five adaptive strategies, and teaching assistants moved from sitting beside pupils to preparing them for lessons.',
    challenge: 'Pupils with SEN support were increasingly taught apart from their class, and made less progress than their peers.',
    approach: 'The SENCo led a year of training on scaffolding, chunking instructions, dual coding, pre-teaching vocabulary and checking understanding. Teaching assistants now pre-teach key words before lessons.',
    impact: 'Fewer pupils were withdrawn from lessons, and suspensions of pupils with SEN fell. Staff confidence rose in our survey.',
    applicability: 'The strategies suit any phase. Redeploying teaching assistants needs careful timetabling and honest conversations.',
    partners: 'Educational psychology service; a special school outreach teacher.',
    measures: ['absence.overall'],
  },
  {
    theme: ['transition'],
    title: (s) => `Summer transition for vulnerable pupils at ${s}`,
    summary: 'A week-long summer school and a named mentor for each vulnerable Year 6 pupil made the move to secondary school calmer and attendance in Year 7 higher.',
    challenge: 'Attendance dipped in the autumn of Year 7 for pupils from our most disadvantaged feeder primaries.',
    approach: 'We visit every feeder primary in June, run a summer school in August, and give each vulnerable pupil a Year 10 mentor and a key adult. Primary staff share what works for each child.',
    impact: 'Year 7 attendance in the first term improved and fewer pupils were referred to pastoral support.',
    applicability: 'Needs goodwill from primary colleagues and a small budget for the summer school. Mentoring by older pupils costs almost nothing.',
    partners: 'Twelve feeder primary schools; the local youth service.',
    measures: ['absence.overall'],
  },
  {
    theme: ['recruitment-retention', 'leadership-development'],
    title: (s) => `Keeping early-career teachers at ${s}`,
    summary: 'A reduced timetable in the second year, a coaching partner and a protected hour a week for planning together kept more early-career teachers with us.',
    challenge: 'Half of our newly qualified teachers were leaving within three years.',
    approach: 'Second-year teachers keep a reduced timetable, meet a trained coach fortnightly, and plan with their department for an hour each week. Leaders removed data drops that added work without adding value.',
    impact: 'Retention of early-career teachers improved, and recruitment became easier as word spread.',
    applicability: 'The reduced timetable has a cost; the coaching and the cut in workload do not.',
    partners: 'The teaching school hub.',
    measures: ['workforce.pupil-teacher-ratio'],
  },
  {
    theme: ['literacy', 'disadvantaged-pupils'],
    title: (s) => `Reading for every pupil at ${s}`,
    summary: 'We tested every pupil’s reading on entry and gave the weakest readers daily phonics and fluency practice. Most caught up within a year.',
    challenge: 'A quarter of pupils arrived reading well below their age, which held them back in every subject.',
    approach: 'All pupils take a reading test on entry. Those far behind have daily small-group phonics or fluency sessions, and every tutor group reads a class novel aloud together.',
    impact: 'Most of the weakest readers made more than a year’s progress in reading age within a year.',
    applicability: 'The testing and tutor reading cost little; the small-group sessions need trained staff.',
    partners: 'The local English hub.',
    measures: ['ks4.engmaths4'],
  },
  {
    theme: ['parental-engagement', 'attendance'],
    title: (s) => `Coffee mornings that families come to, at ${s}`,
    summary: 'Informal mornings in the community room, with interpreters, brought families into school who had never come to parents’ evenings.',
    challenge: 'Many families, including those new to English, did not feel school was a place for them.',
    approach: 'A weekly coffee morning with a different theme each time: how to use the homework app, attendance and the law explained kindly, local services. Interpreters from the community attend.',
    impact: 'More families attended parents’ evenings, and attendance improved for pupils whose families came.',
    applicability: 'Needs a welcoming room and staff time each week; interpreters can often be volunteers.',
    partners: 'A local refugee charity; the family hub.',
    measures: ['absence.overall'],
  },
  {
    theme: ['behaviour', 'inclusion-send'],
    title: (s) => `Fewer suspensions through an inclusion base at ${s}`,
    summary: 'An inclusion base with a clear curriculum replaced internal exclusion, and suspensions fell without lowering expectations.',
    challenge: 'Suspensions were high, and the same pupils were suspended again and again.',
    approach: 'Pupils at risk spend short, planned periods in the base, with lessons continued and a restorative conversation before returning. Each has a key worker and a plan shared with home.',
    impact: 'Repeat suspensions fell and attendance of pupils using the base rose.',
    applicability: 'Needs a room and two staff. Works best alongside a consistent behaviour policy.',
    partners: 'The local youth offending service; a youth charity.',
    measures: ['absence.persistent'],
  },
  {
    theme: ['cost-pressures', 'community-multi-agency'],
    title: (s) => `Sharing a family support worker across schools near ${s}`,
    summary: 'Four schools share a family support worker, funded jointly, who works with families before problems reach crisis.',
    challenge: 'No single school could afford a family worker, yet each had families needing more than teachers can give.',
    approach: 'Four schools pooled funding for one worker, based in each school one day a week, with a shared referral form and a monthly meeting with the local authority’s early help team.',
    impact: 'Earlier help for families, fewer referrals to social care, and better attendance for the pupils supported.',
    applicability: 'Works for any cluster of schools willing to share; a written agreement on funding and priorities helps.',
    partners: 'Three neighbouring schools; local authority early help; a health visitor.',
    measures: ['absence.persistent'],
  },
];

/** Loads the demonstration case studies (once): 30 studies for real sample schools, published, marked as demonstration. */
export async function loadDemoCaseStudies(database: Database, log: (m: string) => void = () => {}): Promise<number> {
  const studies = new CaseStudyRepository(database);
  if ((await studies.count()) > 0) return 0;
  const accounts = new AccountRepository(database);
  const practice = new PracticeService(database, { send: async () => undefined } as never, '');
  const author = (await accounts.userByEmail('demonstration@trellis.invalid')) ?? (await accounts.createUser({ email: 'demonstration@trellis.invalid', displayName: 'Trellis demonstration content', passwordHash: null, emailVerified: true }));
  // Schools with absence figures, lowest persistent absence first: they are the bright spots the data packs point to.
  const schools = await database.rows<{ urn: number; name: string; la_code: string | null; postcode: string | null; easting: number | null; northing: number | null }>(sql`
    select e.urn, e.name, e.la_code, e.postcode, e.easting, e.northing
    from establishments e join measure_values v on v.entity_type = 'school' and v.entity_code = e.urn::text
      and v.measure = 'absence.persistent' and v.year = (select max(year) from measure_values where measure = 'absence.persistent')
    join similarity_inputs s on s.urn = e.urn and s.dataset = 'dfe-secondary' and s.input = 'PPPerc'
    where e.status_name like 'Open%' and v.value is not null
    order by v.value, e.urn
    limit 30`);
  let count = 0;
  for (const [i, school] of schools.entries()) {
    const template = TEMPLATES[i % TEMPLATES.length]!;
    const organisation =
      (await accounts.organisationBySchool(school.urn)) ??
      (await accounts.createOrganisation({ kind: 'school', name: school.name, urn: school.urn, trustUid: null, laCode: school.la_code, postcode: school.postcode, easting: school.easting, northing: school.northing, createdBy: author.id }));
    const content: CaseStudyContent = {
      title: template.title(school.name),
      summary: template.summary,
      context: await practice.contextFor(school.urn),
      contextNotes: '',
      challenge: template.challenge,
      approach: template.approach,
      impact: template.impact,
      impactMeasures: template.measures,
      applicability: template.applicability,
      partners: template.partners,
      themes: template.theme,
      phases: ['secondary'],
      contactPreference: 'none',
      visibility: i % 10 === 9 ? 'members' : 'public',
    };
    const id = await studies.create({ ...content, organisationId: organisation.id, authorId: author.id, urn: school.urn, demonstration: true, status: 'published' });
    await studies.saveVersion(id, 1, content, author.id);
    count += 1;
  }
  log(`sample: ${count} demonstration case studies`);
  return count;
}
