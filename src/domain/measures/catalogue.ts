/**
 * The measure catalogue: every outcome or context figure Trellis stores, with its meaning. Codes name the
 * quantity and the source family (`ks4.`, `absence.`, `workforce.`, `destinations.`), so two sources of the
 * "same" quantity never share a code.
 */
export type Direction = 'higher' | 'lower' | 'none';
export type Unit = 'percent' | 'score' | 'ratio' | 'pupils';

export interface MeasureDefinition {
  code: string;
  label: string;
  shortLabel: string;
  unit: Unit;
  /** Which way is better, for ranking and bright spots; `none` for context figures. */
  direction: Direction;
  decimals: number;
  source: string;
  description: string;
  /** The smallest difference worth acting on, in the measure's unit: the bright-spot margin in data packs. */
  meaningfulDifference?: number;
}

/** GSS code of England: the entity code of national figures. */
export const ENGLAND_CODE = 'E92000001';

const KS4 = 'DfE key stage 4 performance tables (Explore Education Statistics)';
const ABSENCE = 'DfE pupil absence in schools in England (Explore Education Statistics)';
const WORKFORCE = 'DfE school workforce in England (Explore Education Statistics)';
const DESTINATIONS = 'DfE key stage 4 destination measures (Explore Education Statistics)';
const CENSUS = 'DfE schools, pupils and their characteristics: school-level data from the January school census (Explore Education Statistics)';

export const MEASURES: readonly MeasureDefinition[] = [
  {
    code: 'ks4.attainment8',
    label: 'Attainment 8 score',
    shortLabel: 'Attainment 8',
    unit: 'score',
    direction: 'higher',
    decimals: 1,
    source: KS4,
    description: "Average of pupils' grades across eight GCSE-level qualifications, English and maths counted twice.",
    meaningfulDifference: 2,
  },
  {
    code: 'ks4.attainment8.disadvantaged',
    label: 'Attainment 8 score, disadvantaged pupils',
    shortLabel: 'Attainment 8 (disadvantaged)',
    unit: 'score',
    direction: 'higher',
    decimals: 1,
    source: KS4,
    description: 'Attainment 8 of pupils eligible for free school meals in the last six years or looked after.',
    meaningfulDifference: 2,
  },
  {
    code: 'ks4.attainment8.other',
    label: 'Attainment 8 score, other pupils',
    shortLabel: 'Attainment 8 (not disadvantaged)',
    unit: 'score',
    direction: 'higher',
    decimals: 1,
    source: KS4,
    description: 'Attainment 8 of pupils who are not disadvantaged: the comparison group for the disadvantage gap.',
    meaningfulDifference: 2,
  },
  {
    code: 'ks4.engmaths4',
    label: 'Grade 4 or above in English and maths (%)',
    shortLabel: 'English and maths 4+',
    unit: 'percent',
    direction: 'higher',
    decimals: 1,
    source: KS4,
    description: 'Percentage of pupils achieving grade 4 or above in both English and maths GCSEs.',
    meaningfulDifference: 5,
  },
  {
    code: 'ks4.engmaths5',
    label: 'Grade 5 or above in English and maths (%)',
    shortLabel: 'English and maths 5+',
    unit: 'percent',
    direction: 'higher',
    decimals: 1,
    source: KS4,
    description: 'Percentage of pupils achieving grade 5 or above in both English and maths GCSEs.',
    meaningfulDifference: 5,
  },
  {
    code: 'ks4.progress8',
    label: 'Progress 8 score',
    shortLabel: 'Progress 8',
    unit: 'score',
    direction: 'higher',
    decimals: 2,
    source: KS4,
    description: 'Progress pupils made from the end of primary school to GCSE, compared with pupils with similar starting points. Not published for 2024/25 and 2025/26.',
    meaningfulDifference: 0.2,
  },
  {
    code: 'absence.overall',
    label: 'Overall absence (% of sessions)',
    shortLabel: 'Overall absence',
    unit: 'percent',
    direction: 'lower',
    decimals: 1,
    source: ABSENCE,
    description: 'Percentage of possible sessions missed for any reason, authorised or not.',
    meaningfulDifference: 0.5,
  },
  {
    code: 'absence.persistent',
    label: 'Persistent absence (% of pupils)',
    shortLabel: 'Persistent absence',
    unit: 'percent',
    direction: 'lower',
    decimals: 1,
    source: ABSENCE,
    description: 'Percentage of pupils missing 10% or more of their possible sessions.',
    meaningfulDifference: 2,
  },
  {
    code: 'absence.authorised',
    label: 'Authorised absence (% of sessions)',
    shortLabel: 'Authorised absence',
    unit: 'percent',
    direction: 'lower',
    decimals: 1,
    source: ABSENCE,
    description: 'Percentage of possible sessions missed with the school’s permission (for example illness).',
    meaningfulDifference: 0.5,
  },
  {
    code: 'absence.unauthorised',
    label: 'Unauthorised absence (% of sessions)',
    shortLabel: 'Unauthorised absence',
    unit: 'percent',
    direction: 'lower',
    decimals: 1,
    source: ABSENCE,
    description: 'Percentage of possible sessions missed without the school’s permission.',
    meaningfulDifference: 0.5,
  },
  {
    code: 'workforce.pupil-teacher-ratio',
    label: 'Pupils per qualified teacher',
    shortLabel: 'Pupil–teacher ratio',
    unit: 'ratio',
    direction: 'none',
    decimals: 1,
    source: WORKFORCE,
    description: 'Full-time equivalent pupils per full-time equivalent teacher.',
  },
  {
    code: 'destinations.sustained',
    label: 'Sustained education, apprenticeship or employment after key stage 4 (%)',
    shortLabel: 'Sustained destination',
    unit: 'percent',
    direction: 'higher',
    decimals: 1,
    source: DESTINATIONS,
    description: 'Percentage of pupils in a sustained education, apprenticeship or employment destination in the year after key stage 4.',
    meaningfulDifference: 2,
  },
  {
    code: 'census.fsm',
    label: 'Pupils known to be eligible for free school meals (%)',
    shortLabel: 'Free school meals',
    unit: 'percent',
    direction: 'none',
    decimals: 1,
    source: CENSUS,
    description: 'Percentage of pupils known to be eligible for free school meals on census day (January).',
  },
  {
    code: 'census.eal',
    label: 'Pupils whose first language is known or believed to be other than English (%)',
    shortLabel: 'English as an additional language',
    unit: 'percent',
    direction: 'none',
    decimals: 1,
    source: CENSUS,
    description: 'Percentage of pupils whose first language is known or believed to be other than English, January census.',
  },
  {
    code: 'census.pupils',
    label: 'Pupils on roll (headcount)',
    shortLabel: 'Pupils',
    unit: 'pupils',
    direction: 'none',
    decimals: 0,
    source: CENSUS,
    description: 'Headcount of pupils on roll on census day (January).',
  },
];

const byCode = new Map(MEASURES.map((m) => [m.code, m]));

export function measureByCode(code: string): MeasureDefinition | undefined {
  return byCode.get(code);
}

/** Formats a value in the measure's unit for display ("6.1%", "46.9", "18.7"). */
export function formatMeasureValue(definition: Pick<MeasureDefinition, 'unit' | 'decimals'>, value: number): string {
  const fixed = value.toFixed(definition.decimals);
  return definition.unit === 'percent' ? `${fixed}%` : fixed;
}
