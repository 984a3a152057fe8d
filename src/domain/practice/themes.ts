/** The practice library's maintained taxonomy of themes (also used by needs and offers). */
export const THEMES = [
  { value: 'attendance', label: 'Attendance' },
  { value: 'inclusion-send', label: 'Inclusion and SEND' },
  { value: 'mental-health', label: 'Mental health and wellbeing' },
  { value: 'recruitment-retention', label: 'Recruitment and retention' },
  { value: 'curriculum-teaching', label: 'Curriculum and teaching' },
  { value: 'disadvantaged-pupils', label: 'Disadvantaged pupils' },
  { value: 'transition', label: 'Transition' },
  { value: 'community-multi-agency', label: 'Community and multi-agency work' },
  { value: 'cost-pressures', label: 'Cost pressures' },
  { value: 'leadership-development', label: 'Leadership development' },
  { value: 'behaviour', label: 'Behaviour and exclusions' },
  { value: 'literacy', label: 'Reading and literacy' },
  { value: 'parental-engagement', label: 'Parental engagement' },
] as const;

export type Theme = (typeof THEMES)[number]['value'];
export const THEME_VALUES = THEMES.map((t) => t.value) as [Theme, ...Theme[]];

export function themeLabel(value: string): string {
  return THEMES.find((t) => t.value === value)?.label ?? value;
}

/** Which theme a measure's bright spots are about: the data pack links bright spots to case studies on it. */
export const MEASURE_THEMES: Record<string, Theme> = {
  'absence.overall': 'attendance',
  'absence.persistent': 'attendance',
  'absence.authorised': 'attendance',
  'absence.unauthorised': 'attendance',
  'ks4.attainment8': 'curriculum-teaching',
  'ks4.attainment8.disadvantaged': 'disadvantaged-pupils',
  'ks4.engmaths4': 'curriculum-teaching',
  'ks4.engmaths5': 'curriculum-teaching',
  'ks4.progress8': 'curriculum-teaching',
  'simschools.attainment8': 'curriculum-teaching',
  'simschools.ks2-readmaths': 'literacy',
  'workforce.pupil-teacher-ratio': 'recruitment-retention',
  'destinations.sustained': 'transition',
};

export const PHASES_FOR_PRACTICE = [
  { value: 'early-years', label: 'Early years' },
  { value: 'primary', label: 'Primary' },
  { value: 'secondary', label: 'Secondary' },
  { value: 'post-16', label: 'Post-16' },
  { value: 'special', label: 'Special and alternative provision' },
  { value: 'all-through', label: 'All-through' },
] as const;
export const PRACTICE_PHASE_VALUES = PHASES_FOR_PRACTICE.map((p) => p.value) as [string, ...string[]];

/** The practice phase of a GIAS phase of education ("Secondary" → secondary); null when there is none. */
export function practicePhaseFromGias(phaseName: string | null | undefined): string | null {
  switch (phaseName) {
    case 'Nursery':
      return 'early-years';
    case 'Primary':
    case 'Middle deemed primary':
      return 'primary';
    case 'Secondary':
    case 'Middle deemed secondary':
      return 'secondary';
    case '16 plus':
      return 'post-16';
    case 'All-through':
      return 'all-through';
    default:
      return null;
  }
}
