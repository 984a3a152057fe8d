import { gridDistanceKm } from '../../domain/geo/british-national-grid';
import { ENGLAND_CODE, MEASURES, type MeasureDefinition } from '../../domain/measures/catalogue';
import { cellFor, comparisonPhase, disadvantageGap, type Cell } from '../../domain/measures/outcomes';
import { formatAcademicYear } from '../../domain/schools/years';
import { explainSimilarity } from '../../domain/similarity/explain';
import {
  customFamily,
  CUSTOM_INPUTS,
  dfeFamilies,
  fbitFamilies,
  toColumns,
  type InputColumns,
  type ComputedFamilies,
  type CustomModel,
  type SchoolInputs,
} from '../../domain/similarity/families';
import { defaultModelOf, INPUTS, MODEL_IDS, PRESET_MODELS, type ModelId, type PresetModel } from '../../domain/similarity/models';
import { brightSpots, ordinal, standing, type FamilyStanding } from '../../domain/statistics/data-pack';
import type { Database } from '../../db/client';
import { EstablishmentRepository, type School } from '../../db/repositories/establishment.repository';
import { FamilyRepository, type FamilyBuild, type MemberDetails } from '../../db/repositories/family.repository';
import { MeasureRepository, type StoredMeasureValue } from '../../db/repositories/measure.repository';
import { ImportRunRepository } from '../../db/repositories/import-run.repository';
import { CaseStudyRepository } from '../../db/repositories/case-study.repository';
import { MEASURE_THEMES } from '../../domain/practice/themes';
import { NotFoundError } from '../../web/errors';
import type { OperationTimings } from '../ops/timings';

export interface FamilyMemberView extends MemberDetails {
  rank: number;
  distance: number;
  distanceKm: number | null;
  inputs: Record<string, number | null>;
  contributions: Record<string, number>;
  sentence: string;
  /** Inputs filled with the population median (custom models). */
  filled: string[];
}

export interface ModelSummary {
  id: string;
  label: string;
  shortLabel: string;
  description: string;
  caveat: string | null;
  inputs: { name: string; label: string; scale: number | null; weight: number }[];
  size: number;
}

export interface FamilyView {
  model: ModelSummary;
  school: School;
  /** The school's own input values. */
  inputs: Record<string, number | null>;
  members: FamilyMemberView[];
  build: FamilyBuild | null;
  /** Notes shown on the page (missing inputs filled, and so on). */
  notes: string[];
}

export interface NotInModel {
  model: ModelSummary;
  school: School;
  /** Models under which the school does have a family. */
  available: ModelSummary[];
  reason: string;
}

export type CustomSpec = CustomModel;

type InputsByDataset = Record<'dfe-primary' | 'dfe-secondary' | 'merged', SchoolInputs[]>;

const summarise = (m: PresetModel, scales?: number[]): ModelSummary => ({
  id: m.id,
  label: m.label,
  shortLabel: m.shortLabel,
  description: m.description,
  caveat: m.caveat ?? null,
  inputs: m.inputs.map((name, j) => ({ name, label: INPUTS[name]!.label, scale: scales?.[j] ?? m.publishedScales?.[j] ?? null, weight: m.weights[j]! })),
  size: m.size,
});

const inputsOf = (school: SchoolInputs | undefined, names: readonly string[]) =>
  Object.fromEntries(names.map((n) => [n, typeof school?.values[n] === 'number' ? (school.values[n] as number) : null]));

/** One family member as pages and the API show it: details, distance in km, inputs, shares, and the sentence. */
function memberView(args: {
  member: { urn: number; rank: number; distance: number; contributions: number[] };
  details: Map<number, MemberDetails>;
  schoolUrn: number;
  inputs: readonly string[];
  scales: readonly number[];
  schoolValues: SchoolInputs | undefined;
  memberValues: SchoolInputs | undefined;
  /** Values used where an input is missing (custom models fill with the median). */
  fallback: (j: number) => number;
  filled: string[];
}): FamilyMemberView {
  const { member, details, inputs, scales } = args;
  const own = details.get(args.schoolUrn);
  const d = details.get(member.urn) ?? { urn: member.urn, name: `URN ${member.urn}`, laName: null, regionName: null, regionCode: null, phaseName: null, town: null, pupils: null, easting: null, northing: null, latitude: null, longitude: null };
  const value = (s: SchoolInputs | undefined, name: string, j: number) => (typeof s?.values[name] === 'number' ? (s.values[name] as number) : args.fallback(j));
  return {
    ...d,
    rank: member.rank,
    distance: member.distance,
    distanceKm: own?.easting && own.northing && d.easting && d.northing ? gridDistanceKm({ easting: own.easting, northing: own.northing }, { easting: d.easting, northing: d.northing }) : null,
    inputs: inputsOf(args.memberValues, inputs),
    contributions: Object.fromEntries(inputs.map((n, j) => [n, member.contributions[j] ?? 0])),
    sentence: explainSimilarity(
      inputs.map((n, j) => ({ input: INPUTS[n]!, school: value(args.schoolValues, n, j), member: value(args.memberValues, n, j), scale: scales[j] ?? 0, share: member.contributions[j] ?? 0 })),
    ),
    filled: args.filled,
  };
}

/** Families: rebuilt after imports, read for pages and the API, computed live for custom models; data packs. */
export class FamiliesService {
  private readonly families: FamilyRepository;
  private readonly establishments: EstablishmentRepository;
  private readonly measures: MeasureRepository;

  private readonly importRuns: ImportRunRepository;
  private readonly caseStudies: CaseStudyRepository;
  /** Every school's inputs, for custom families, kept until the data change (checked once per call, one cheap query). */
  private allInputs: { version: number; data: Promise<InputColumns> } | null = null;

  constructor(
    database: Database,
    /** Told how long each model's rebuild took (the app's metrics). */
    private readonly timings?: OperationTimings,
  ) {
    this.families = new FamilyRepository(database);
    this.establishments = new EstablishmentRepository(database);
    this.measures = new MeasureRepository(database);
    this.importRuns = new ImportRunRepository(database);
    this.caseStudies = new CaseStudyRepository(database);
  }

  private async everySchoolsInputs() {
    const version = await this.importRuns.dataVersion();
    if (!this.allInputs || this.allInputs.version !== version) {
      const data = this.families.schoolInputs().then((d) => toColumns(d.merged, CUSTOM_INPUTS));
      this.allInputs = { version, data };
      data.catch(() => (this.allInputs = null));
    }
    return this.allInputs.data;
  }

  /** Recomputes and stores the families of the given preset models (all by default). */
  async rebuild(models: readonly ModelId[] = MODEL_IDS, onProgress?: (model: string, done: number, total: number) => void): Promise<{ model: ModelId; population: number; excluded: number; milliseconds: number }[]> {
    const data = await this.families.schoolInputs();
    const results = [];
    for (const id of models) {
      const model = PRESET_MODELS[id];
      const started = performance.now();
      const computed: ComputedFamilies =
        model.dataset === 'fbit'
          ? fbitFamilies(model, data.merged, (d, t) => onProgress?.(id, d, t))
          : dfeFamilies(model, data[model.dataset as 'dfe-primary' | 'dfe-secondary'], (d, t) => onProgress?.(id, d, t));
      const milliseconds = Math.round(performance.now() - started);
      const rows = [...computed.families].flatMap(([urn, members]) => members.map((m) => ({ urn, rank: m.rank, memberUrn: m.urn, distance: m.distance, contributions: m.contributions })));
      await this.families.replaceFamilies(id, rows, {
        population: computed.population,
        excluded: computed.excluded.length,
        scales: JSON.stringify(computed.scalesByGroup ?? { all: computed.scales }),
        milliseconds,
      });
      this.timings?.familiesRebuilt(id, (performance.now() - started) / 1000);
      results.push({ model: id, population: computed.population, excluded: computed.excluded.length, milliseconds });
    }
    return results;
  }

  /** The model a school's pages open with: the DfE model whose population it is in, else FBIT. */
  async defaultModel(urn: number): Promise<ModelId> {
    const available = await this.families.modelsFor(urn);
    return defaultModelOf(available) ?? 'dfe-secondary';
  }

  private async school(urn: number): Promise<School> {
    const school = await this.establishments.byUrn(urn);
    if (!school) throw new NotFoundError(`There is no school with URN ${urn} in Trellis.`);
    return school;
  }

  async family(urn: number, modelId: ModelId): Promise<FamilyView | NotInModel> {
    return (await this.familyAndInputs(urn, modelId)).view;
  }

  /** The family, and the similar-school inputs of the school and its members (the data pack reuses them). */
  private async familyAndInputs(urn: number, modelId: ModelId): Promise<{ view: FamilyView | NotInModel; data: InputsByDataset | null }> {
    const school = await this.school(urn);
    const model = PRESET_MODELS[modelId];
    const [rows, build] = await Promise.all([this.families.family(modelId, urn), this.families.build(modelId)]);
    const scales = build ? (JSON.parse(build.scales) as Record<string, number[]>) : {};
    const modelScales = model.scales === 'range-within-phase' ? scales[school.phaseName ?? 'Not recorded'] : model.publishedScales ? [...model.publishedScales] : undefined;
    const summary = summarise(model, modelScales);
    if (rows.length === 0) {
      const available = (await this.families.modelsFor(urn)).map((id) => summarise(PRESET_MODELS[id as ModelId]));
      return {
        data: null,
        view: {
          model: summary,
          school,
          available,
          reason: `${school.name} is not in this model's population: the DfE data Trellis holds has no ${model.inputs.map((n) => INPUTS[n]!.label.toLowerCase()).join(', ')} for it${available.length ? '' : ', nor for any other model'}.`,
        },
      };
    }
    const urns = [urn, ...rows.map((r) => r.memberUrn)];
    const data = await this.families.schoolInputs(urns);
    const source = model.dataset === 'fbit' ? data.merged : data[model.dataset];
    const byUrn = new Map(source.map((s) => [s.urn, s]));
    const details = await this.families.details(urns);
    const schoolInputs = byUrn.get(urn);
    const view: FamilyView = {
      model: summary,
      school,
      inputs: inputsOf(schoolInputs, model.inputs),
      build,
      notes: [],
      members: rows.map((r) =>
        memberView({
          member: { urn: r.memberUrn, rank: r.rank, distance: r.distance, contributions: r.contributions },
          details,
          schoolUrn: urn,
          inputs: model.inputs,
          scales: modelScales ?? [],
          schoolValues: schoolInputs,
          memberValues: byUrn.get(r.memberUrn),
          fallback: () => 0,
          filled: [],
        }),
      ),
    };
    return { view, data };
  }

  /** A custom family, computed live over every school with similar-school inputs. */
  async custom(urn: number, spec: CustomSpec): Promise<FamilyView | NotInModel> {
    const school = await this.school(urn);
    const columns = await this.everySchoolsInputs();
    const result = customFamily(spec, columns, urn);
    const data = await this.families.schoolInputs(result ? [urn, ...result.members.map((m) => m.urn)] : [urn]);
    const summary: ModelSummary = {
      id: 'custom',
      label: 'Custom model',
      shortLabel: 'Custom',
      description: `The ${spec.size} schools nearest on the inputs and weights you chose, each input z-scored (divided by its standard deviation) over the schools with similar-school inputs${spec.samePhase ? ', same phase only' : ''}${spec.sameRegion ? ', same region only' : ''}.`,
      caveat: 'Where a school lacks an input it is filled with the median of all schools, as the DfE benchmarking tool does; the family says which.',
      inputs: spec.inputs.map((name, j) => ({ name, label: INPUTS[name]!.label, scale: result?.scales[j] ?? null, weight: spec.weights[j]! })),
      size: spec.size,
    };
    if (!result) {
      return { model: summary, school, available: [], reason: `${school.name} has none of the chosen inputs in the DfE data Trellis holds.` };
    }
    const byUrn = new Map(data.merged.map((s) => [s.urn, s]));
    const details = await this.families.details([urn, ...result.members.map((m) => m.urn)]);
    const schoolInputs = byUrn.get(urn);
    return {
      model: summary,
      school,
      inputs: inputsOf(schoolInputs, spec.inputs),
      build: null,
      notes: result.filledForSchool.length ? [`${school.name} has no ${result.filledForSchool.map((n) => INPUTS[n]!.label.toLowerCase()).join(', ')}: the median of all schools was used.`] : [],
      members: result.members.map((m) =>
        memberView({
          member: m,
          details,
          schoolUrn: urn,
          inputs: spec.inputs,
          scales: spec.inputs.map((_, j) => (spec.weights[j]! > 0 ? result.scales[j]! : 0)),
          schoolValues: schoolInputs,
          memberValues: byUrn.get(m.urn),
          fallback: (j) => result.medians[j]!,
          filled: result.filled.get(m.urn) ?? [],
        }),
      ),
    };
  }

  /** Every school's input values under a model: anyone can re-check a family. */
  async modelInputs(modelId: ModelId): Promise<{ model: ModelSummary; schools: { urn: number; inputs: Record<string, number | null> }[] }> {
    const model = PRESET_MODELS[modelId];
    const data = await this.families.schoolInputs();
    const source = model.dataset === 'fbit' ? data.merged : data[model.dataset];
    return { model: summarise(model), schools: source.map((s) => ({ urn: s.urn, inputs: inputsOf(s, model.inputs) })) };
  }

  async dataPack(urn: number, modelId: ModelId) {
    const { view: family, data } = await this.familyAndInputs(urn, modelId);
    if ('reason' in family) return family;
    const { school } = family;
    const members = family.members;
    const phase = comparisonPhase(school.phaseName);
    const values = await this.measures.valuesFor([
      { type: 'school', code: String(urn) },
      ...members.map((m) => ({ type: 'school' as const, code: String(m.urn) })),
      ...(school.laCode ? [{ type: 'la' as const, code: school.laCode }] : []),
      { type: 'england', code: ENGLAND_CODE },
    ]);
    const simOutcomes = simSchoolsOutcomes(data!, urn, members);
    const measures = [...MEASURES.map((def) => measureRow(def, values, urn, members, school.laCode, phase)), ...simOutcomes].filter((m): m is MeasureRow => m !== null);
    // Each bright spot links to that school's published case studies on the measure's theme.
    const spotUrns = [...new Set(measures.flatMap((m) => m.brightSpots.map((b) => b.urn)))];
    const studies = await this.caseStudies.publishedBySchools(spotUrns, null, false);
    for (const m of measures) {
      const theme = MEASURE_THEMES[m.measure.code];
      for (const b of m.brightSpots) {
        b.caseStudies = studies.filter((s) => s.urn === b.urn && (!theme || s.themes.includes(theme))).map((s) => ({ id: s.id, title: s.title }));
      }
    }
    const gaps = {
      la: school.laCode ? disadvantageGap(values, 'la', school.laCode) : null,
      england: disadvantageGap(values, 'england', ENGLAND_CODE),
    };
    return { ...family, measures, gaps, rule: BRIGHT_SPOT_RULE };
  }
}

export const BRIGHT_SPOT_RULE =
  'A bright spot is a family member in the best quarter of the family on the measure (at or above the upper quartile where higher is better, at or below the lower quartile where lower is better) and better than this school by more than the measure’s meaningful difference, given beside each measure.';

export interface MeasureRow {
  measure: MeasureDefinition;
  year: number | null;
  yearLabel: string;
  school: Cell;
  standing: FamilyStanding;
  rankText: string;
  la: Cell;
  england: Cell;
  members: { urn: number; name: string; value: number | null }[];
  brightSpots: { urn: number; name: string; value: number; by: number; caseStudies?: { id: string; title: string }[] }[];
  trend: { yearLabel: string; school: Cell; familyMedian: number | null }[];
}

function latestYear(values: readonly StoredMeasureValue[], measure: string, codes: Set<string>): number | null {
  let latest: number | null = null;
  for (const v of values) if (v.measure === measure && v.entityType === 'school' && codes.has(v.entityCode) && v.value !== null && (latest === null || v.year > latest)) latest = v.year;
  return latest;
}

function measureRow(def: MeasureDefinition, values: readonly StoredMeasureValue[], urn: number, members: readonly FamilyMemberView[], laCode: string | null, phase: 'primary' | 'secondary' | null): MeasureRow | null {
  const codes = new Set([String(urn), ...members.map((m) => String(m.urn))]);
  const year = latestYear(values, def.code, codes);
  if (year === null) return null;
  const at = (entity: string, code: string, y: number, breakdown?: string) =>
    values.find((v) => v.measure === def.code && v.entityType === entity && v.entityCode === code && v.year === y && (breakdown === undefined || v.breakdown === breakdown));
  const comparator = (entity: 'la' | 'england', code: string | null) => (code ? (at(entity, code, year, 'all') ?? (phase ? at(entity, code, year, phase) : undefined)) : undefined);
  const own = at('school', String(urn), year);
  const memberValues = members.map((m) => ({ urn: m.urn, name: m.name, value: at('school', String(m.urn), year)?.value ?? null }));
  const s = standing(own?.value ?? null, memberValues.map((m) => m.value), def.direction);
  const spots = brightSpots(own?.value ?? null, memberValues, { direction: def.direction, meaningfulDifference: def.meaningfulDifference ?? Infinity });
  const years = [...new Set(values.filter((v) => v.measure === def.code && v.entityType === 'school' && codes.has(v.entityCode)).map((v) => v.year))].sort((a, b) => a - b);
  return {
    measure: def,
    year,
    yearLabel: formatAcademicYear(year),
    school: cellFor(def, own),
    standing: s,
    rankText: s.rank === null ? 'No figure for this school' : `${ordinal(s.rank)} of ${s.of}`,
    la: cellFor(def, comparator('la', laCode)),
    england: cellFor(def, comparator('england', ENGLAND_CODE)),
    members: memberValues,
    brightSpots: spots.map((b) => ({ ...b, name: memberValues.find((m) => m.urn === b.urn)!.name })),
    trend: years.map((y) => {
      const familyValues = members.map((m) => at('school', String(m.urn), y)?.value ?? null);
      return { yearLabel: formatAcademicYear(y), school: cellFor(def, at('school', String(urn), y)), familyMedian: standing(null, familyValues, def.direction).median };
    }),
  };
}

/** Outcomes published with the DfE similar-schools inputs (Attainment 8 for secondary, KS2 reading and maths for primary). */
function simSchoolsOutcomes(data: InputsByDataset, urn: number, members: readonly { urn: number; name: string }[]): MeasureRow[] {
  const specs = [
    { dataset: 'dfe-secondary' as const, field: 'Att8Scr', def: { code: 'simschools.attainment8', label: 'Attainment 8 (as published with the DfE similar-schools model)', shortLabel: 'Attainment 8 (similar-schools data)', unit: 'score' as const, direction: 'higher' as const, decimals: 1, source: 'DfE/Ofsted similar-schools model data (2026); the year is not stated by the source', description: 'Attainment 8 as published in the DfE similar-schools data. It differs from the performance tables’ figure for most schools, so it is kept apart.', meaningfulDifference: 2 } },
    { dataset: 'dfe-primary' as const, field: 'ReadMatAverage', def: { code: 'simschools.ks2-readmaths', label: 'KS2 reading and maths average scaled score (as published with the DfE similar-schools model)', shortLabel: 'KS2 reading and maths', unit: 'score' as const, direction: 'higher' as const, decimals: 1, source: 'DfE/Ofsted similar-schools model data (2026); the year is not stated by the source', description: 'Average scaled score in KS2 reading and maths, as published in the DfE similar-schools data.', meaningfulDifference: 1 } },
  ];
  const rows: MeasureRow[] = [];
  for (const spec of specs) {
    const byUrn = new Map(data[spec.dataset].map((s) => [s.urn, s.values[spec.field]]));
    const value = (u: number) => (typeof byUrn.get(u) === 'number' ? (byUrn.get(u) as number) : null);
    const memberValues = members.map((m) => ({ urn: m.urn, name: m.name, value: value(m.urn) }));
    if (value(urn) === null && memberValues.every((m) => m.value === null)) continue;
    const s = standing(value(urn), memberValues.map((m) => m.value), 'higher');
    rows.push({
      measure: spec.def,
      year: null,
      yearLabel: 'Year not stated',
      school: cellFor(spec.def, value(urn) === null ? undefined : { value: value(urn), status: null }),
      standing: s,
      rankText: s.rank === null ? 'No figure for this school' : `${ordinal(s.rank)} of ${s.of}`,
      la: { value: null, display: 'Not published', missing: true },
      england: { value: null, display: 'Not published', missing: true },
      members: memberValues,
      brightSpots: brightSpots(value(urn), memberValues, { direction: 'higher', meaningfulDifference: spec.def.meaningfulDifference }).map((b) => ({ ...b, name: memberValues.find((m) => m.urn === b.urn)!.name })),
      trend: [],
    });
  }
  return rows;
}

