/**
 * Demonstration needs and offers for a first run (marked as demonstration wherever shown): real Birmingham sample
 * schools, Birmingham City Council, two agencies and an independent school. The schools did not write these; they
 * are typical of what schools ask for and offer, chosen so that matching has something real to rank: the needs
 * come from schools with high persistent absence, most attendance offers from similar schools with much lower.
 *
 * Organisations that are not in GIAS carry a point on the British National Grid (metres) so distance works.
 */

export interface DemoOrganisation {
  key: string;
  kind: string;
  name: string;
  /** For schools: the URN (location, phase and data come from GIAS). */
  urn?: number;
  laCode?: string;
  easting?: number;
  northing?: number;
  designations?: string[];
}

export interface DemoOffer {
  key: string;
  organisation: string;
  title: string;
  description: string;
  themes: string[];
  kinds: string[];
  phases: string[];
  capacity: number;
  mode: 'in-person' | 'remote' | 'both';
  radiusKm: number | null;
  cost: 'free' | 'cost-recovery';
  visibility: 'public' | 'members';
}

export interface DemoNeed {
  key: string;
  organisation: string;
  title: string;
  description: string;
  theme: string;
  measures: string[];
  kinds: string[];
  phase: string;
  timeFrame: string;
  urgency: 'low' | 'medium' | 'high';
  visibility: 'facilitators' | 'named' | 'members' | 'public';
  /** For `named` visibility: organisation keys. */
  visibleTo?: string[];
}

const school = (key: string, urn: number, name: string, designations?: string[]): DemoOrganisation => ({ key, kind: 'school', name, urn, designations });

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  school('small-heath', 144464, 'Small Heath Leadership Academy'),
  school('broadway', 139841, 'Broadway Academy'),
  school('harborne', 136213, 'Harborne Academy'),
  school('sheldon-heath', 136152, 'King Edward VI Sheldon Heath Academy'),
  school('eden-boys', 141969, "Eden Boys' School, Birmingham"),
  school('st-thomas-aquinas', 141835, 'St Thomas Aquinas Catholic School'),
  school('lordswood-boys', 145120, "Lordswood Boys' School"),
  school('kings-norton-girls', 136590, "Kings Norton Girls' School", ['maths-hub']),
  school('arthur-terry', 138136, 'The Arthur Terry School', ['teaching-school-hub', 'national-leader-of-education']),
  school('uob-school', 140863, 'The University of Birmingham School', ['research-school']),
  school('yardleys', 139994, 'Yardleys School'),
  school('nishkam', 138586, 'Nishkam High School'),
  school('st-edmund-campion', 147707, 'St Edmund Campion Catholic School'),
  school('springfield', 144722, 'Springfield Primary Academy'),
  school('percy-shurmer', 138410, 'Lift Percy Shurmer'),
  { key: 'birmingham-la', kind: 'local-authority', name: 'Birmingham City Council', laCode: '330', easting: 406900, northing: 286900 },
  { key: 'youth-service', kind: 'youth-service', name: 'Birmingham youth service (demonstration)', laCode: '330', easting: 409000, northing: 286500 },
  { key: 'mhst', kind: 'health', name: 'NHS mental health support team, south Birmingham (demonstration)', laCode: '330', easting: 405000, northing: 281000 },
  { key: 'independent', kind: 'independent-school', name: 'Edgbaston independent school (demonstration)', laCode: '330', easting: 404500, northing: 285000 },
  // Schools that post needs.
  school('rockwood', 138059, 'Rockwood Academy'),
  school('lift-greenwood', 139048, 'Lift Greenwood'),
  school('jewellery-quarter', 141003, 'Jewellery Quarter Academy'),
  school('tile-cross', 144306, 'Tile Cross Academy'),
  school('george-dixon', 138695, 'George Dixon Academy'),
  school('moseley', 103519, 'Moseley School and Sixth Form'),
  school('cockshut-hill', 142388, 'Cockshut Hill School'),
  school('kings-heath', 103486, 'Kings Heath Secondary School'),
  school('city-academy', 148187, 'City Academy'),
  school('dame-elizabeth-cadbury', 143438, 'Dame Elizabeth Cadbury School'),
  school('archbishop-ilsley', 146124, 'Archbishop Ilsley Catholic School'),
  school('fortis', 143435, 'Fortis Academy'),
  school('saltley', 141668, 'Saltley Academy'),
  school('colmers', 103563, 'Colmers School and Sixth Form College'),
  school('ninestiles', 136406, 'Ninestiles, an Academy'),
  school('bartley-green', 136589, 'Bartley Green School'),
  school('shenley', 135911, 'E-ACT Shenley Academy'),
  school('hodge-hill-girls', 103483, "Hodge Hill Girls' School"),
  school('erdington', 143413, 'Erdington Academy'),
  school('holy-trinity', 144719, 'Holy Trinity Catholic School'),
  school('timberley', 138104, 'Timberley Academy'),
  school('ward-end', 103217, 'Ward End Primary School'),
];

const attendance = 'attendance';

export const DEMO_OFFERS: DemoOffer[] = [
  { key: 'small-heath-attendance', organisation: 'small-heath', title: 'See our attendance team at work, and be mentored through your first term of change', description: 'Our pastoral and attendance leads host visits to see first-day calling, home visits and our weekly attendance panel, then mentor your lead for a term.', themes: [attendance, 'parental-engagement'], kinds: ['visit', 'mentoring', 'joint-practice'], phases: ['secondary'], capacity: 3, mode: 'in-person', radiusKm: 10, cost: 'free', visibility: 'public' },
  { key: 'broadway-attendance', organisation: 'broadway', title: 'Attendance peer review and visits', description: 'A structured peer review of your attendance systems by our senior team, and visits to see our tutor-led attendance conversations.', themes: [attendance], kinds: ['visit', 'peer-review'], phases: ['secondary'], capacity: 2, mode: 'in-person', radiusKm: 15, cost: 'free', visibility: 'public' },
  { key: 'harborne-attendance', organisation: 'harborne', title: 'Coaching for attendance leads in smaller schools', description: 'Coaching and short training for attendance leads, drawn from how a small school with high disadvantage reduced persistent absence.', themes: [attendance, 'parental-engagement'], kinds: ['mentoring', 'training'], phases: ['secondary'], capacity: 2, mode: 'both', radiusKm: 10, cost: 'free', visibility: 'members' },
  { key: 'sheldon-heath-attendance', organisation: 'sheldon-heath', title: 'Attendance visits and a joint improvement cycle', description: 'Visit our attendance and inclusion teams, then run a joint improvement cycle on persistent absence with us over two terms.', themes: [attendance], kinds: ['visit', 'joint-practice'], phases: ['secondary'], capacity: 2, mode: 'in-person', radiusKm: 10, cost: 'free', visibility: 'public' },
  { key: 'eden-boys-attendance', organisation: 'eden-boys', title: 'Visit: routines that keep attendance high', description: 'A half-day visit to see our morning routines, behaviour systems and how we work with families.', themes: [attendance, 'behaviour'], kinds: ['visit'], phases: ['secondary'], capacity: 1, mode: 'in-person', radiusKm: 8, cost: 'free', visibility: 'members' },
  { key: 'st-thomas-aquinas-attendance', organisation: 'st-thomas-aquinas', title: 'Mentoring for pastoral leads on attendance', description: 'Our head of year team mentors pastoral leads on attendance meetings with families and early help referrals.', themes: [attendance], kinds: ['mentoring', 'visit'], phases: ['secondary'], capacity: 2, mode: 'in-person', radiusKm: 12, cost: 'free', visibility: 'public' },
  { key: 'lordswood-transition', organisation: 'lordswood-boys', title: 'Year 6 to 7 transition: visits and joint planning', description: 'See our summer school and transition mentoring, and plan a joint transition programme with your feeder primaries.', themes: ['transition'], kinds: ['visit', 'joint-practice'], phases: ['secondary', 'primary'], capacity: 2, mode: 'in-person', radiusKm: 15, cost: 'free', visibility: 'public' },
  { key: 'kings-norton-girls-curriculum', organisation: 'kings-norton-girls', title: 'Maths curriculum training and peer review', description: 'Training for maths departments on mastery approaches at key stage 3, and a peer review of your curriculum plans.', themes: ['curriculum-teaching', 'disadvantaged-pupils'], kinds: ['training', 'peer-review'], phases: ['secondary'], capacity: 3, mode: 'both', radiusKm: 20, cost: 'cost-recovery', visibility: 'public' },
  { key: 'arthur-terry-recruitment', organisation: 'arthur-terry', title: 'Early-career teacher mentoring and leadership development', description: 'Mentor training and leadership programmes from a Teaching School Hub, with coaching for schools that find it hard to keep early-career teachers.', themes: ['recruitment-retention', 'leadership-development'], kinds: ['training', 'mentoring'], phases: ['primary', 'secondary'], capacity: 6, mode: 'both', radiusKm: 30, cost: 'cost-recovery', visibility: 'public' },
  { key: 'uob-school-wellbeing', organisation: 'uob-school', title: 'Wellbeing curriculum: training and joint development', description: 'Training on our character and wellbeing curriculum and a joint development group for staff who lead it.', themes: ['mental-health'], kinds: ['training', 'joint-practice'], phases: ['secondary'], capacity: 2, mode: 'in-person', radiusKm: 15, cost: 'free', visibility: 'public' },
  { key: 'yardleys-attendance', organisation: 'yardleys', title: 'Attendance peer review from a school like yours', description: 'Peer review of attendance systems and visits to our attendance and family support team.', themes: [attendance], kinds: ['peer-review', 'visit'], phases: ['secondary'], capacity: 2, mode: 'in-person', radiusKm: 12, cost: 'free', visibility: 'public' },
  { key: 'nishkam-transition', organisation: 'nishkam', title: 'Transition visits and shared planning', description: 'Visit our transition days and plan transition for pupils with SEN support together.', themes: ['transition', 'inclusion-send'], kinds: ['visit', 'joint-practice'], phases: ['secondary'], capacity: 1, mode: 'in-person', radiusKm: 10, cost: 'free', visibility: 'members' },
  { key: 'st-edmund-campion-behaviour', organisation: 'st-edmund-campion', title: 'Visit: a calm, consistent behaviour system', description: 'See our behaviour systems and reintegration base, and talk with the staff who run them.', themes: ['behaviour'], kinds: ['visit'], phases: ['secondary'], capacity: 2, mode: 'in-person', radiusKm: 10, cost: 'free', visibility: 'public' },
  { key: 'springfield-attendance', organisation: 'springfield', title: 'Primary attendance: visits and mentoring', description: 'Visit our breakfast club and first-day response, and be mentored by our attendance lead.', themes: [attendance, 'parental-engagement'], kinds: ['visit', 'mentoring'], phases: ['primary'], capacity: 2, mode: 'in-person', radiusKm: 10, cost: 'free', visibility: 'public' },
  { key: 'percy-shurmer-attendance', organisation: 'percy-shurmer', title: 'Primary attendance: a joint project with families', description: 'A joint practice project on attendance with families who speak English as an additional language, and visits to our family hub.', themes: [attendance, 'parental-engagement'], kinds: ['joint-practice', 'visit'], phases: ['primary'], capacity: 2, mode: 'in-person', radiusKm: 10, cost: 'free', visibility: 'public' },
  { key: 'la-attendance-support', organisation: 'birmingham-la', title: 'Attendance support team: audits, training and casework advice', description: 'Whole-school attendance audits, training for attendance leads on the national guidance, and advice on casework and legal intervention.', themes: [attendance, 'community-multi-agency'], kinds: ['specialist-service', 'training'], phases: ['primary', 'secondary'], capacity: 8, mode: 'in-person', radiusKm: 25, cost: 'free', visibility: 'public' },
  { key: 'la-send-advice', organisation: 'birmingham-la', title: 'SEND inclusion advisory visits and training', description: 'Inclusion advisers review provision for pupils with SEN support and train staff on adaptive teaching.', themes: ['inclusion-send'], kinds: ['specialist-service', 'training'], phases: ['primary', 'secondary'], capacity: 5, mode: 'in-person', radiusKm: 25, cost: 'free', visibility: 'public' },
  { key: 'youth-service-mentoring', organisation: 'youth-service', title: 'Youth workers for pupils at risk of persistent absence', description: 'Youth workers mentor pupils at risk of persistent absence or exclusion, in school and in the community, and run lunchtime sessions.', themes: [attendance, 'community-multi-agency', 'mental-health'], kinds: ['mentoring', 'specialist-service'], phases: ['secondary'], capacity: 4, mode: 'in-person', radiusKm: 20, cost: 'free', visibility: 'public' },
  { key: 'mhst-support', organisation: 'mhst', title: 'Mental health support team: low-intensity support and staff training', description: 'Education mental health practitioners offer low-intensity support for pupils with mild to moderate needs and train staff on a whole-school approach.', themes: ['mental-health'], kinds: ['specialist-service', 'training'], phases: ['primary', 'secondary'], capacity: 3, mode: 'in-person', radiusKm: 12, cost: 'free', visibility: 'public' },
  { key: 'independent-curriculum', organisation: 'independent', title: 'Shared science facilities and subject specialist training', description: 'Our laboratories and subject specialists for practical science sessions and teacher training, as part of a state–independent partnership.', themes: ['curriculum-teaching', 'disadvantaged-pupils'], kinds: ['shared-resources', 'training'], phases: ['secondary'], capacity: 2, mode: 'both', radiusKm: 15, cost: 'free', visibility: 'public' },
];

const need = (n: Omit<DemoNeed, 'phase' | 'timeFrame' | 'urgency' | 'visibility'> & Partial<DemoNeed>): DemoNeed => ({
  phase: 'secondary',
  timeFrame: 'This academic year',
  urgency: 'medium',
  visibility: 'facilitators',
  ...n,
});

export const DEMO_NEEDS: DemoNeed[] = [
  need({ key: 'rockwood', organisation: 'rockwood', title: 'Reducing persistent absence', description: 'Almost half our pupils are persistently absent. We want to see how similar schools have turned this round and be mentored as we change our systems.', theme: attendance, measures: ['absence.persistent'], kinds: ['visit', 'mentoring'], urgency: 'high' }),
  need({ key: 'lift-greenwood', organisation: 'lift-greenwood', title: 'Attendance systems after a change of leadership', description: 'We are rebuilding our attendance systems and want to learn from, and develop practice with, schools that have done it.', theme: attendance, measures: ['absence.persistent'], kinds: ['visit', 'joint-practice'], visibility: 'members' }),
  need({ key: 'jewellery-quarter', organisation: 'jewellery-quarter', title: 'Mentoring for a new attendance lead', description: 'Our new attendance lead would value mentoring from someone in a small school with a similar intake.', theme: attendance, measures: ['absence.overall'], kinds: ['mentoring'] }),
  need({ key: 'tile-cross', organisation: 'tile-cross', title: 'Specialist help for pupils who have stopped attending', description: 'A group of pupils have stopped attending altogether. We need specialist and youth work support alongside our own.', theme: attendance, measures: ['absence.persistent'], kinds: ['specialist-service', 'mentoring'], urgency: 'high', visibility: 'public' }),
  need({ key: 'george-dixon', organisation: 'george-dixon', title: 'Visits to schools with strong attendance', description: 'Our leaders want to visit schools with a similar intake and much better attendance.', theme: attendance, measures: ['absence.persistent'], kinds: ['visit'] }),
  need({ key: 'moseley', organisation: 'moseley', title: 'An external view of our attendance work', description: 'We want a peer review of our attendance work and visits to schools nearby that do it well.', theme: attendance, measures: ['absence.persistent', 'absence.overall'], kinds: ['visit', 'peer-review'] }),
  need({ key: 'cockshut-hill', organisation: 'cockshut-hill', title: 'Persistent absence in key stage 4', description: 'Persistent absence is highest in years 10 and 11. We want to see what works nearby and have our pastoral team mentored.', theme: attendance, measures: ['absence.persistent'], kinds: ['visit', 'mentoring'], urgency: 'high' }),
  need({ key: 'kings-heath', organisation: 'kings-heath', title: 'Family engagement on attendance', description: 'We want to learn how schools like ours work with families on attendance.', theme: attendance, measures: ['absence.persistent'], kinds: ['visit', 'mentoring'], visibility: 'named', visibleTo: ['st-thomas-aquinas', 'harborne'] }),
  need({ key: 'city-academy', organisation: 'city-academy', title: 'Mental health support for pupils', description: 'Rising anxiety among pupils: we need specialist support and training for staff.', theme: 'mental-health', measures: [], kinds: ['specialist-service', 'training'], visibility: 'public' }),
  need({ key: 'dame-elizabeth-cadbury', organisation: 'dame-elizabeth-cadbury', title: 'A wellbeing curriculum', description: 'We want to build a wellbeing curriculum with another school and train the staff who will teach it.', theme: 'mental-health', measures: ['absence.overall'], kinds: ['training', 'joint-practice'], urgency: 'low' }),
  need({ key: 'archbishop-ilsley', organisation: 'archbishop-ilsley', title: 'Peer review of attendance', description: 'We want a school like ours to review our attendance systems.', theme: attendance, measures: ['absence.persistent'], kinds: ['peer-review'] }),
  need({ key: 'fortis', organisation: 'fortis', title: 'Transition from year 6', description: 'Our year 7s arrive from over 40 primaries. We want to see good transition practice and plan ours with another school.', theme: 'transition', measures: [], kinds: ['visit', 'joint-practice'], urgency: 'low', visibility: 'public' }),
  need({ key: 'saltley', organisation: 'saltley', title: 'Keeping early-career teachers', description: 'We lose too many teachers in their first three years. We need mentor training and coaching.', theme: 'recruitment-retention', measures: [], kinds: ['training', 'mentoring'], visibility: 'public' }),
  need({ key: 'colmers', organisation: 'colmers', title: 'Attendance mentoring and visits', description: 'We want to visit and be mentored by schools within reach that have reduced persistent absence.', theme: attendance, measures: ['absence.persistent'], kinds: ['visit', 'mentoring'] }),
  need({ key: 'ninestiles', organisation: 'ninestiles', title: 'Curriculum for disadvantaged pupils', description: 'Training and a peer review of our key stage 3 curriculum, with a focus on disadvantaged pupils.', theme: 'disadvantaged-pupils', measures: [], kinds: ['training', 'peer-review'], visibility: 'members' }),
  need({ key: 'bartley-green', organisation: 'bartley-green', title: 'Attendance: mentoring for our pastoral team', description: 'Mentoring and visits for our pastoral team on persistent absence.', theme: attendance, measures: ['absence.persistent'], kinds: ['mentoring', 'visit'] }),
  need({ key: 'shenley', organisation: 'shenley', title: 'Visits on attendance', description: 'Visits to schools nearby with better attendance and a similar intake.', theme: attendance, measures: ['absence.overall'], kinds: ['visit'], visibility: 'members' }),
  need({ key: 'hodge-hill-girls', organisation: 'hodge-hill-girls', title: 'Seeing attendance practice nearby', description: 'Our attendance team wants to visit schools nearby that have reduced persistent absence.', theme: attendance, measures: ['absence.persistent'], kinds: ['visit'] }),
  need({ key: 'erdington', organisation: 'erdington', title: 'Behaviour systems', description: 'We are reviewing our behaviour policy and want to see calm, consistent systems at work.', theme: 'behaviour', measures: [], kinds: ['visit'], visibility: 'public' }),
  need({ key: 'holy-trinity', organisation: 'holy-trinity', title: 'Provision for pupils with SEN support', description: 'We need an advisory review of provision for pupils with SEN support and training on adaptive teaching.', theme: 'inclusion-send', measures: [], kinds: ['specialist-service', 'training'] }),
  need({ key: 'timberley', organisation: 'timberley', title: 'Primary attendance', description: 'Persistent absence is high in our infants. We want visits and mentoring from a primary that has tackled it.', theme: attendance, measures: ['absence.persistent'], kinds: ['visit', 'mentoring'], phase: 'primary', visibility: 'public' }),
  need({ key: 'ward-end', organisation: 'ward-end', title: 'Working with families on attendance', description: 'A joint project with another primary on attendance and families.', theme: attendance, measures: ['absence.persistent'], kinds: ['joint-practice'], phase: 'primary' }),
];
