/**
 * The similarity models (DOMAIN.md, "Similarity models"), as named constants. Scales are written to 15 significant
 * digits as DOMAIN.md gives them and used whole: rounding them breaks the reproduction of the DfE's distances.
 */

/** What an input measures, in words a school leader uses; explanations group inputs by concept. */
export type Concept = 'disadvantage' | 'prior attainment' | 'size' | 'EAL' | 'SEN support' | 'EHC plans' | 'SEN' | 'area deprivation' | 'HE participation' | 'stability';

export interface InputDefinition {
  /** Field name in the published inputs file. */
  field: string;
  label: string;
  concept: Concept;
  unit: 'percent' | 'pupils' | 'score' | 'index' | 'quintile';
  decimals: number;
  /** Words for "larger"/"smaller" when schools differ on it. */
  more: string;
  less: string;
}

export const INPUTS: Record<string, InputDefinition> = {
  PPPerc: { field: 'PPPerc', label: 'Pupil premium (%)', concept: 'disadvantage', unit: 'percent', decimals: 1, more: 'more disadvantaged', less: 'less disadvantaged' },
  Polar4QuintilePupils: { field: 'Polar4QuintilePupils', label: 'POLAR4 quintile (pupils’ areas)', concept: 'HE participation', unit: 'quintile', decimals: 2, more: 'from areas with higher HE participation', less: 'from areas with lower HE participation' },
  PStability: { field: 'PStability', label: 'Pupil stability (%)', concept: 'stability', unit: 'percent', decimals: 1, more: 'more stable intake', less: 'more mobile intake' },
  PercentSchSupport: { field: 'PercentSchSupport', label: 'SEN support (%)', concept: 'SEN support', unit: 'percent', decimals: 1, more: 'more SEN support', less: 'less SEN support' },
  PercentEAL: { field: 'PercentEAL', label: 'English as an additional language (%)', concept: 'EAL', unit: 'percent', decimals: 1, more: 'more EAL', less: 'less EAL' },
  IdaciPupils: { field: 'IdaciPupils', label: 'IDACI (pupils’ areas)', concept: 'area deprivation', unit: 'index', decimals: 3, more: 'from more deprived areas', less: 'from less deprived areas' },
  PercentageStatementOrEhp: { field: 'PercentageStatementOrEhp', label: 'EHC plans (%)', concept: 'EHC plans', unit: 'percent', decimals: 1, more: 'more EHC plans', less: 'fewer EHC plans' },
  PercentageStatementOrEHP: { field: 'PercentageStatementOrEHP', label: 'EHC plans (%)', concept: 'EHC plans', unit: 'percent', decimals: 1, more: 'more EHC plans', less: 'fewer EHC plans' },
  NumberOfPupils: { field: 'NumberOfPupils', label: 'Number of pupils', concept: 'size', unit: 'pupils', decimals: 0, more: 'larger', less: 'smaller' },
  Ks1PriorRwmAverage: { field: 'Ks1PriorRwmAverage', label: 'KS1 prior attainment', concept: 'prior attainment', unit: 'score', decimals: 2, more: 'higher prior attainment', less: 'lower prior attainment' },
  KS2MRP: { field: 'KS2MRP', label: 'KS2 prior attainment (scaled score)', concept: 'prior attainment', unit: 'score', decimals: 1, more: 'higher prior attainment', less: 'lower prior attainment' },
  SENTotal: { field: 'SENTotal', label: 'SEN, support and EHC plans (%)', concept: 'SEN', unit: 'percent', decimals: 1, more: 'more SEN', less: 'less SEN' },
  // From the January school census (measures census.pupils, census.fsm and census.eal, the latest year a school has):
  // published for every school in England, so they give families to schools without DfE similar-schools inputs.
  CensusPupils: { field: 'census.pupils', label: 'Pupils on roll (January census)', concept: 'size', unit: 'pupils', decimals: 0, more: 'larger', less: 'smaller' },
  CensusFSM: { field: 'census.fsm', label: 'Free school meals (%, January census)', concept: 'disadvantage', unit: 'percent', decimals: 1, more: 'more disadvantaged', less: 'less disadvantaged' },
  CensusEAL: { field: 'census.eal', label: 'English as an additional language (%, January census)', concept: 'EAL', unit: 'percent', decimals: 1, more: 'more EAL', less: 'less EAL' },
};

export type ModelId = 'dfe-primary' | 'dfe-secondary' | 'fbit-pupil' | 'census-pupil';

export interface PresetModel {
  id: ModelId;
  label: string;
  shortLabel: string;
  /** Where the inputs come from: a `similarity_inputs` dataset, or `fbit`: both DfE datasets merged with the census. */
  dataset: 'dfe-primary' | 'dfe-secondary' | 'fbit';
  inputs: readonly string[];
  scales: 'published' | 'range-within-phase';
  /** s_k for published scales, in input order. */
  publishedScales?: readonly number[];
  weights: readonly number[];
  size: number;
  description: string;
  /** Stated on every page and in the API when the model is an approximation. */
  caveat?: string;
}

export const PRESET_MODELS: Record<ModelId, PresetModel> = {
  'dfe-primary': {
    id: 'dfe-primary',
    label: 'DfE/Ofsted similar schools, primary (2026 model)',
    shortLabel: 'DfE similar schools (primary)',
    dataset: 'dfe-primary',
    inputs: ['PPPerc', 'Polar4QuintilePupils', 'PStability', 'PercentSchSupport', 'PercentEAL', 'IdaciPupils', 'PercentageStatementOrEhp', 'NumberOfPupils', 'Ks1PriorRwmAverage'],
    scales: 'published',
    publishedScales: [43.570603073851, 2.77602746203031, 34.5217297379724, 21.3878608267231, 100.262528747166, 0.356517934451137, 14.6848325672684, 1287.6733984128, 0.36158298544186],
    weights: [1, 1, 1, 1, 1, 1, 1, 1, 1],
    size: 50,
    description: 'The 50 schools nearest on the nine inputs of the DfE/Ofsted similar-schools model for primary schools, with its scale constants fitted to the DfE’s published distances (every published distance reproduced).',
  },
  'dfe-secondary': {
    id: 'dfe-secondary',
    label: 'Approximation of the DfE/Ofsted similar schools model, secondary',
    shortLabel: 'DfE similar schools (secondary, approximation)',
    dataset: 'dfe-secondary',
    inputs: ['KS2MRP', 'PPPerc', 'PercentEAL', 'Polar4QuintilePupils', 'PStability', 'IdaciPupils', 'PercentSchSupport', 'NumberOfPupils', 'PercentageStatementOrEHP'],
    scales: 'published',
    publishedScales: [3.75016376888566, 40.3671769695126, 109.44998874272, 3.07299055886605, 26.620836179648, 0.319311894070281, 19.3092795916277, 2624.75816137933, 9.68157069026787],
    weights: [1, 1, 1, 1, 1, 1, 1, 1, 1],
    size: 50,
    description: 'The 50 schools nearest on the nine inputs of the DfE/Ofsted similar-schools model for secondary schools.',
    caveat:
      'An approximation: the DfE’s published secondary distances cannot be reproduced exactly from the published inputs. With the best-fitting scales, about 72% of each published family of 50 is recovered.',
  },
  'fbit-pupil': {
    id: 'fbit-pupil',
    label: 'FBIT pupil comparator set (DfE Financial Benchmarking and Insights Tool rules)',
    shortLabel: 'FBIT pupil comparators',
    dataset: 'fbit',
    inputs: ['NumberOfPupils', 'PPPerc', 'SENTotal'],
    scales: 'range-within-phase',
    weights: [0.5, 0.4, 0.1],
    size: 29,
    description:
      'Number of pupils (weight 0.5), disadvantage (0.4) and SEN (0.1), each scaled by its range within the phase; the 60 nearest, then those in the same region first, to a set of 30 including the school.',
    caveat:
      'The sample has no % FSM or SEN counts, so disadvantage is pupil premium % and SEN is SEN support % plus EHC plans % from the DfE similar-schools inputs. PFI and boarding status are not in the data, so those preferences are not applied.',
  },
  'census-pupil': {
    id: 'census-pupil',
    label: 'Census comparators: size, free school meals and EAL (Trellis model, every school in the census)',
    shortLabel: 'Census comparators',
    dataset: 'fbit',
    inputs: ['CensusPupils', 'CensusFSM', 'CensusEAL'],
    scales: 'range-within-phase',
    weights: [0.5, 0.4, 0.1],
    size: 29,
    description:
      'Pupils on roll (weight 0.5), free school meals % (0.4) and EAL % (0.1) from the January school census, each scaled by its range within the phase; the 60 nearest, then those in the same region first, to a set of 30 including the school (the FBIT selection).',
    caveat:
      'Trellis’s own model, not the DfE’s: the shape of FBIT’s pupil comparator set with the inputs the school census publishes for every school in England (EAL in place of SEN, which the census file does not hold). It gives a family to schools the DfE similar-schools data does not cover; prefer a DfE model where a school has one.',
  },
};

export const MODEL_IDS = Object.keys(PRESET_MODELS) as ModelId[];

/** The model a school's pages, matching and impact open with: the first of these whose population it is in. */
export const DEFAULT_MODEL_ORDER: readonly ModelId[] = ['dfe-secondary', 'dfe-primary', 'fbit-pupil', 'census-pupil'];

export const defaultModelOf = (available: readonly string[]): ModelId | null => DEFAULT_MODEL_ORDER.find((m) => available.includes(m)) ?? null;

/** FBIT: how many nearest to consider, and the size of the set counting the school itself. */
export const FBIT_CANDIDATES = 60;
export const FBIT_SET_SIZE = 30;
