import { allNearest, buildIndex, contributions, dedupe, naiveNearest, nearest, prepare, type Prepared } from './engine';
import { FBIT_CANDIDATES, FBIT_SET_SIZE, type PresetModel } from './models';

/**
 * Families under each model, from the schools' input values: who is in the model's population, how missing inputs
 * are handled, and the FBIT selection rule. Pure: the caller loads the data and stores the result.
 */

export interface SchoolInputs {
  urn: number;
  /** Input values by input name; null or missing when the school has none. */
  values: Record<string, number | null | undefined>;
  region: string | null;
  /** GIAS phase, used by FBIT's "within phase" and by the custom same-phase filter. */
  phase: string | null;
}

export interface FamilyMember {
  urn: number;
  rank: number;
  distance: number;
  /** Each input's share of the squared distance, in the model's input order. */
  contributions: number[];
}

export interface ComputedFamilies {
  inputs: readonly string[];
  /** Scale used for each input (per phase group for FBIT: see scalesByGroup). */
  scales: number[];
  scalesByGroup?: Record<string, number[]>;
  /** URN → family. */
  families: Map<number, FamilyMember[]>;
  /** Schools in the population. */
  population: number;
  /** Schools left out because an input was missing, with the inputs they lacked. */
  excluded: { urn: number; missing: string[] }[];
  /** URNs given twice in the input: kept once. */
  duplicates: number[];
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Splits schools into those with every input and those without; URNs are deduplicated first. */
export function population(schools: readonly SchoolInputs[], inputs: readonly string[]) {
  const { keep, duplicates } = dedupe(schools.map((s) => s.urn));
  const members: SchoolInputs[] = [];
  const excluded: { urn: number; missing: string[] }[] = [];
  for (const i of keep) {
    const s = schools[i]!;
    const missing = inputs.filter((name) => !isNumber(s.values[name]));
    if (missing.length) excluded.push({ urn: s.urn, missing });
    else members.push(s);
  }
  return { members, excluded, duplicates };
}

function matrix(members: readonly SchoolInputs[], inputs: readonly string[]) {
  const values = new Float64Array(members.length * inputs.length);
  members.forEach((s, i) => inputs.forEach((name, j) => (values[i * inputs.length + j] = s.values[name] as number)));
  return { urns: Int32Array.from(members.map((s) => s.urn)), values, k: inputs.length };
}

/** The range (max − min) of each input over the given schools; 0 when all are equal (it then contributes nothing). */
export function ranges(members: readonly SchoolInputs[], inputs: readonly string[]): number[] {
  return inputs.map((name) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of members) {
      const v = s.values[name] as number;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return members.length ? hi - lo : 0;
  });
}

function familiesFrom(p: Prepared, found: { rows: Int32Array; distances: Float64Array; counts: Int32Array }, width: number): Map<number, FamilyMember[]> {
  const families = new Map<number, FamilyMember[]>();
  for (let i = 0; i < p.n; i++) {
    const members: FamilyMember[] = [];
    for (let r = 0; r < found.counts[i]!; r++) {
      const row = found.rows[i * width + r]!;
      members.push({ urn: p.urns[row]!, rank: r + 1, distance: found.distances[i * width + r]!, contributions: contributions(p, i, row) });
    }
    families.set(p.urns[i]!, members);
  }
  return families;
}

/** Families under a DfE model: the `size` nearest within the population of schools with all its inputs. */
export function dfeFamilies(model: PresetModel, schools: readonly SchoolInputs[], onProgress?: (done: number, total: number) => void): ComputedFamilies {
  const { members, excluded, duplicates } = population(schools, model.inputs);
  const scales = [...model.publishedScales!];
  const p = prepare(matrix(members, model.inputs), { scales, weights: model.weights });
  const width = Math.min(model.size, Math.max(0, p.n - 1));
  const found = allNearest(p, model.size, onProgress);
  return { inputs: model.inputs, scales, families: familiesFrom(p, found, width), population: p.n, excluded, duplicates };
}

/**
 * FBIT's rule: within the school's phase group, the 60 nearest (ranges as scales, weights 0.5/0.4/0.1); of those,
 * the ones in the same region first, in distance order, then the rest by distance, until the set holds 30 schools
 * counting the school itself. No school twice; ties by URN.
 */
export function fbitSelect(candidates: readonly { urn: number; region: string | null }[], region: string | null, setSize = FBIT_SET_SIZE): number[] {
  const wanted = setSize - 1;
  const sameRegion = region === null ? [] : candidates.filter((c) => c.region === region);
  const rest = candidates.filter((c) => region === null || c.region !== region);
  const chosen: number[] = [];
  const seen = new Set<number>();
  for (const c of [...sameRegion, ...rest]) {
    if (chosen.length >= wanted) break;
    if (seen.has(c.urn)) continue;
    seen.add(c.urn);
    chosen.push(c.urn);
  }
  return chosen;
}

export function fbitFamilies(model: PresetModel, schools: readonly SchoolInputs[], onProgress?: (done: number, total: number) => void): ComputedFamilies {
  const { members, excluded, duplicates } = population(schools, model.inputs);
  const groups = new Map<string, SchoolInputs[]>();
  for (const s of members) {
    const key = s.phase ?? 'Not recorded';
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const families = new Map<number, FamilyMember[]>();
  const scalesByGroup: Record<string, number[]> = {};
  let done = 0;
  for (const [phase, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const scales = ranges(group, model.inputs);
    scalesByGroup[phase] = scales;
    const p = prepare(matrix(group, model.inputs), { scales, weights: model.weights });
    const index = buildIndex(p);
    for (let i = 0; i < p.n; i++) {
      const found = nearest(index, i, FBIT_CANDIDATES);
      const candidates = found.rows.map((row, r) => ({ urn: p.urns[row]!, region: group[row]!.region, row, distance: found.distances[r]! }));
      const chosen = fbitSelect(candidates, group[i]!.region);
      const byUrn = new Map(candidates.map((c) => [c.urn, c]));
      families.set(
        p.urns[i]!,
        chosen.map((urn, r) => {
          const c = byUrn.get(urn)!;
          return { urn, rank: r + 1, distance: c.distance, contributions: contributions(p, i, c.row) };
        }),
      );
      done += 1;
      if (onProgress && (done % 1000 === 0 || done === members.length)) onProgress(done, members.length);
    }
  }
  return { inputs: model.inputs, scales: [], scalesByGroup, families, population: members.length, excluded, duplicates };
}

export interface CustomModel {
  inputs: readonly string[];
  weights: readonly number[];
  size: number;
  samePhase: boolean;
  sameRegion: boolean;
}

export const CUSTOM_INPUTS = ['PPPerc', 'PercentEAL', 'PercentSchSupport', 'PercentageStatementOrEHP', 'IdaciPupils', 'Polar4QuintilePupils', 'PStability', 'NumberOfPupils', 'KS2MRP', 'Ks1PriorRwmAverage', 'CensusFSM', 'CensusEAL', 'CensusPupils'] as const;
export const MAX_CUSTOM_INPUTS = CUSTOM_INPUTS.length;

export interface CustomFamily {
  members: FamilyMember[];
  scales: number[];
  /** Inputs of the school itself that were missing and filled with the population median. */
  filledForSchool: string[];
  /** Per member URN, the inputs filled with the median. */
  filled: Map<number, string[]>;
  population: number;
  medians: number[];
}

/** Schools' inputs as columns (NaN = missing): built once per data version, so each custom family is quick. */
export interface InputColumns {
  urns: Int32Array;
  rowOf: Map<number, number>;
  regions: (string | null)[];
  phases: (string | null)[];
  columns: Map<string, Float64Array>;
}

export function toColumns(schools: readonly SchoolInputs[], inputs: readonly string[]): InputColumns {
  const { keep } = dedupe(schools.map((s) => s.urn));
  const kept = keep.map((i) => schools[i]!);
  const columns = new Map<string, Float64Array>();
  for (const name of inputs) columns.set(name, Float64Array.from(kept.map((s) => (isNumber(s.values[name]) ? (s.values[name] as number) : Number.NaN))));
  return {
    urns: Int32Array.from(kept.map((s) => s.urn)),
    rowOf: new Map(kept.map((s, i) => [s.urn, i])),
    regions: kept.map((s) => s.region),
    phases: kept.map((s) => s.phase),
    columns,
  };
}

/**
 * A custom family, computed live: chosen inputs z-scored over the population (schools with at least one of them),
 * user weights, missing inputs filled with the population median (as the DfE benchmarking tool does) and reported.
 */
export function customFamily(model: CustomModel, schools: readonly SchoolInputs[] | InputColumns, urn: number): CustomFamily | null {
  const store = Array.isArray(schools) ? toColumns(schools as SchoolInputs[], model.inputs) : (schools as InputColumns);
  const at = store.rowOf.get(urn);
  if (at === undefined) return null;
  const k = model.inputs.length;
  const columns = model.inputs.map((name) => store.columns.get(name) ?? new Float64Array(store.urns.length).fill(Number.NaN));
  const rows: number[] = [];
  for (let i = 0; i < store.urns.length; i++) {
    if (i !== at && ((model.samePhase && store.phases[i] !== store.phases[at]) || (model.sameRegion && store.regions[i] !== store.regions[at]))) continue;
    let any = false;
    for (let j = 0; j < k && !any; j++) any = !Number.isNaN(columns[j]![i]!);
    if (any) rows.push(i);
  }
  const targetRow = rows.indexOf(at);
  if (targetRow < 0) return null;
  const n = rows.length;
  const values = new Float64Array(n * k);
  const medians: number[] = [];
  const scales: number[] = [];
  const filled = new Map<number, string[]>();
  for (let j = 0; j < k; j++) {
    const column = columns[j]!;
    const present = new Float64Array(n);
    let count = 0;
    for (const i of rows) if (!Number.isNaN(column[i]!)) present[count++] = column[i]!;
    const sorted = present.subarray(0, count).sort();
    const mid = count >> 1;
    const median = count === 0 ? 0 : count % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    medians.push(median);
    let sum = 0;
    for (let r = 0; r < n; r++) {
      const v = column[rows[r]!]!;
      let x = v;
      if (Number.isNaN(v)) {
        x = median;
        const u = store.urns[rows[r]!]!;
        const list = filled.get(u);
        if (list) list.push(model.inputs[j]!);
        else filled.set(u, [model.inputs[j]!]);
      }
      values[r * k + j] = x;
      sum += x;
    }
    const mean = sum / n;
    let squares = 0;
    for (let r = 0; r < n; r++) squares += (values[r * k + j]! - mean) ** 2;
    scales.push(Math.sqrt(squares / n));
  }
  const urns = Int32Array.from(rows, (i) => store.urns[i]!);
  const p = prepare({ urns, values, k }, { scales, weights: model.weights });
  const found = naiveNearest(p, targetRow, model.size);
  return {
    members: found.rows.map((r, i) => ({ urn: p.urns[r]!, rank: i + 1, distance: found.distances[i]!, contributions: contributions(p, targetRow, r) })),
    scales,
    filledForSchool: filled.get(urn) ?? [],
    filled,
    population: n,
    medians,
  };
}

