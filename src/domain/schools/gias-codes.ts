/** GIAS code lists used as search filters (names as GIAS writes them). */

export const PHASES = [
  'Nursery',
  'Primary',
  'Middle deemed primary',
  'Secondary',
  'Middle deemed secondary',
  'All-through',
  '16 plus',
  'Not applicable',
] as const;

export const TYPE_GROUPS = [
  'Academies',
  'Free Schools',
  'Local authority maintained schools',
  'Special schools',
  'Independent schools',
  'Colleges',
  'Universities',
  'Other types',
  'Online provider',
  'Welsh schools',
] as const;

/** Government office regions by GIAS code. */
export const REGIONS: readonly { code: string; name: string }[] = [
  { code: 'A', name: 'North East' },
  { code: 'B', name: 'North West' },
  { code: 'D', name: 'Yorkshire and the Humber' },
  { code: 'E', name: 'East Midlands' },
  { code: 'F', name: 'West Midlands' },
  { code: 'G', name: 'East of England' },
  { code: 'H', name: 'London' },
  { code: 'J', name: 'South East' },
  { code: 'K', name: 'South West' },
];

export const STATUSES = [
  { value: 'open', label: 'Open' },
  { value: 'closed', label: 'Closed or not yet open' },
  { value: 'all', label: 'Any status' },
] as const;
