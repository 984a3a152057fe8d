import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { ENGLAND_CODE } from '../domain/measures/catalogue';
import { parsePublishedValue } from '../domain/measures/values';
import { parseAcademicYear } from '../domain/schools/years';
import type { Database } from '../db/client';
import {
  DirectoryWriter,
  type MeasureValueRecord,
  type PublishedNeighbourRecord,
  type SimilarityInputRecord,
} from '../db/repositories/directory-writer.repository';
import { ImportError, type RowProblem } from './csv-source';
import { stopwatch, type OperationTimings } from '../modules/ops/timings';

/**
 * Reader of the DfE measure files in the layout of the DfE's "Get School Improvement Insights" service
 * (shared/data/raw/dfe-sap-sector): one JSON array per source, one object per school, LA or England, with fields
 * named `<Measure>_<Group>_<Level>_<Current|Previous|Previous2>_<Num|Pct>`. The year of each field comes from that
 * service's `datamap.csv` (never a hard-coded "current year": absence and performance differ).
 */

type Entity = 'school' | 'la' | 'england';

interface FieldSpec {
  measure: string;
  /** Field name before `_<YearDesc>_<suffix>`, e.g. `Abs_Tot_Est`. */
  stem: string;
  suffix: 'Num' | 'Pct';
  breakdown?: string;
}

interface FileSpec {
  file: string;
  entity: Entity;
  /** Field holding the URN or LA code. */
  idField: string;
  /** For England files: the row to use (`National`; the others average over other units). */
  onlyId?: string;
  fields: FieldSpec[];
}

const YEARS = ['Current', 'Previous', 'Previous2'] as const;

const byPhase = (level: 'LA' | 'Eng'): FieldSpec[] =>
  (['Primary', 'Secondary'] as const).flatMap((phase) => [
    { measure: 'absence.overall', stem: `Abs_Tot_${phase}_${level}`, suffix: 'Pct', breakdown: phase.toLowerCase() },
    { measure: 'absence.persistent', stem: `Abs_Persistent_${phase}_${level}`, suffix: 'Pct', breakdown: phase.toLowerCase() },
    { measure: 'absence.authorised', stem: `Auth_Tot_${phase}_${level}`, suffix: 'Pct', breakdown: phase.toLowerCase() },
    { measure: 'absence.unauthorised', stem: `UnAuth_Tot_${phase}_${level}`, suffix: 'Pct', breakdown: phase.toLowerCase() },
  ]);

const performance = (level: 'Est' | 'LA' | 'Eng'): FieldSpec[] => [
  { measure: 'ks4.attainment8', stem: `Attainment8_Tot_${level}`, suffix: 'Num' },
  { measure: 'ks4.engmaths4', stem: `EngMaths49_Tot_${level}`, suffix: 'Pct' },
  { measure: 'ks4.engmaths5', stem: `EngMaths59_Tot_${level}`, suffix: 'Pct' },
  ...(level === 'Est'
    ? [{ measure: 'ks4.progress8', stem: 'Prog8_Tot_Est', suffix: 'Num' } as const]
    : [
        { measure: 'ks4.attainment8.disadvantaged', stem: `Attainment8_Dis_${level}`, suffix: 'Num' } as const,
        { measure: 'ks4.attainment8.other', stem: `Attainment8_NDi_${level}`, suffix: 'Num' } as const,
      ]),
];

export const MEASURE_FILES: readonly FileSpec[] = [
  {
    file: 'EstablishmentAbsence.json',
    entity: 'school',
    idField: 'Id',
    fields: [
      { measure: 'absence.overall', stem: 'Abs_Tot_Est', suffix: 'Pct' },
      { measure: 'absence.persistent', stem: 'Abs_Persistent_Est', suffix: 'Pct' },
      { measure: 'absence.authorised', stem: 'Auth_Tot_Est', suffix: 'Pct' },
      { measure: 'absence.unauthorised', stem: 'UnAuth_Tot_Est', suffix: 'Pct' },
    ],
  },
  {
    file: 'EstablishmentWorkforce.json',
    entity: 'school',
    idField: 'Id',
    fields: [{ measure: 'workforce.pupil-teacher-ratio', stem: 'Workforce_PupTeaRatio_Est', suffix: 'Num' }],
  },
  { file: 'EstablishmentPerformance.json', entity: 'school', idField: 'id', fields: performance('Est') },
  { file: 'LAAbsence.json', entity: 'la', idField: 'Id', fields: byPhase('LA') },
  { file: 'EnglandAbsence.json', entity: 'england', idField: 'Id', onlyId: 'National', fields: byPhase('Eng') },
  { file: 'LAPerformance.json', entity: 'la', idField: 'Id', fields: performance('LA') },
  { file: 'EnglandPerformance.json', entity: 'england', idField: 'Id', onlyId: 'National', fields: performance('Eng') },
  {
    file: 'LADestinations.json',
    entity: 'la',
    idField: 'Id',
    fields: [{ measure: 'destinations.sustained', stem: 'AllDest_Tot_LA', suffix: 'Pct' }],
  },
  {
    file: 'EnglandDestinations.json',
    entity: 'england',
    idField: 'Id',
    onlyId: 'National',
    fields: [{ measure: 'destinations.sustained', stem: 'AllDest_Tot_Eng', suffix: 'Pct' }],
  },
];

/** The similar-school model inputs as published (a model's inputs belong to that model; see DOMAIN.md). */
export const SIMILARITY_FILES = [
  {
    dataset: 'dfe-primary',
    file: 'SimilarSchoolsPrimaryValuesEntry.json',
    inputs: ['PPPerc', 'Polar4QuintilePupils', 'PStability', 'PercentSchSupport', 'PercentEAL', 'IdaciPupils', 'PercentageStatementOrEhp', 'NumberOfPupils', 'Ks1PriorRwmAverage', 'ReadMatAverage'],
  },
  {
    dataset: 'dfe-secondary',
    file: 'SimilarSchoolsSecondaryValuesEntry.json',
    inputs: ['KS2MRP', 'PPPerc', 'PercentEAL', 'Polar4QuintilePupils', 'PStability', 'IdaciPupils', 'PercentSchSupport', 'NumberOfPupils', 'PercentageStatementOrEHP', 'Att8Scr'],
  },
] as const;

export const PUBLISHED_GROUP_FILES = [
  { dataset: 'dfe-primary', file: 'SimilarSchoolsPrimaryGroupsEntry.json' },
  { dataset: 'dfe-secondary', file: 'SimilarSchoolsSecondaryGroupsEntry-part.csv' },
] as const;


/** Reads datamap.csv: field name → academic year (first calendar year). */
export function readDatamap(path: string): Map<string, number> {
  const records = parse(readFileSync(path), { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true }) as Record<string, string>[];
  const years = new Map<string, number>();
  for (const r of records) {
    const name = r.PropertyName?.trim();
    const year = r.Year ? parseAcademicYear(r.Year) : null;
    if (name && year !== null) years.set(name, year);
  }
  return years;
}

function readJsonArray(path: string, file: string): Record<string, unknown>[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ImportError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(data)) throw new ImportError(`${file} should hold a JSON array of records.`);
  return data as Record<string, unknown>[];
}

export interface MeasuresImportResult {
  values: number;
  files: string[];
  similarityInputs: number;
  publishedNeighbours: number;
}

/**
 * Imports every known measure file found in `dir`, in one transaction. A bad value (not a number, not a
 * suppression code) fails the whole import with its file and record number; the previous data stay as they were.
 */
export async function importMeasures(database: Database, dir: string, options: { timings?: OperationTimings | undefined } = {}): Promise<MeasuresImportResult> {
  const elapsed = stopwatch();
  try {
    const result = await readAndWriteMeasures(database, dir);
    options.timings?.importFinished('measures', 'succeeded', elapsed());
    return result;
  } catch (error) {
    options.timings?.importFinished('measures', 'failed', elapsed());
    throw error;
  }
}

async function readAndWriteMeasures(database: Database, dir: string): Promise<MeasuresImportResult> {
  const datamapPath = join(dir, 'datamap.csv');
  if (!existsSync(datamapPath)) {
    throw new ImportError(`${dir} has no datamap.csv: it gives the year of every field, so nothing was imported.`);
  }
  const years = readDatamap(datamapPath);
  const problems: RowProblem[] = [];
  let problemCount = 0;
  const problem = (p: RowProblem) => {
    problemCount += 1;
    if (problems.length < 50) problems.push(p);
  };
  const values: MeasureValueRecord[] = [];
  const files: string[] = [];

  for (const spec of MEASURE_FILES) {
    const path = join(dir, spec.file);
    if (!existsSync(path)) continue;
    files.push(spec.file);
    const records = readJsonArray(path, spec.file);
    records.forEach((record, index) => {
      const id = String(record[spec.idField] ?? '').trim();
      if (spec.onlyId && id !== spec.onlyId) return;
      const line = index + 1;
      if (spec.entity === 'school' && !/^\d{6}$/.test(id)) {
        problem({ line, column: `${spec.file} ${spec.idField}`, message: `"${id}" is not a 6-digit URN (record ${line})` });
        return;
      }
      if (spec.entity === 'la' && !/^\d{3}$/.test(id)) return; // LA files also carry regional and national rows.
      for (const field of spec.fields) {
        for (const yearDesc of YEARS) {
          const name = `${field.stem}_${yearDesc}_${field.suffix}`;
          if (!(name in record)) continue;
          const year = years.get(name);
          if (year === undefined) {
            problem({ line, column: `${spec.file} ${name}`, message: `datamap.csv gives no year for ${name}` });
            continue;
          }
          const parsed = parsePublishedValue(record[name]);
          if (parsed.kind === 'invalid') {
            problem({ line, column: `${spec.file} ${name}`, message: `${parsed.reason} (record ${line})` });
            continue;
          }
          values.push({
            entityType: spec.entity,
            entityCode: spec.entity === 'england' ? ENGLAND_CODE : id,
            measure: field.measure,
            breakdown: field.breakdown ?? 'all',
            year,
            value: parsed.kind === 'value' ? parsed.value : null,
            status: parsed.kind === 'missing' ? parsed.status : null,
          });
        }
      }
    });
  }

  const inputs: SimilarityInputRecord[] = [];
  for (const spec of SIMILARITY_FILES) {
    const path = join(dir, spec.file);
    if (!existsSync(path)) continue;
    files.push(spec.file);
    readJsonArray(path, spec.file).forEach((record, index) => {
      const urn = String(record.URN ?? '').trim();
      if (!/^\d{6}$/.test(urn)) {
        problem({ line: index + 1, column: `${spec.file} URN`, message: `"${urn}" is not a 6-digit URN` });
        return;
      }
      for (const input of spec.inputs) {
        const parsed = parsePublishedValue(record[input]);
        if (parsed.kind === 'invalid') problem({ line: index + 1, column: `${spec.file} ${input}`, message: parsed.reason });
        else inputs.push({ dataset: spec.dataset, urn: Number(urn), input, value: parsed.kind === 'value' ? parsed.value : null });
      }
    });
  }

  const neighbours: PublishedNeighbourRecord[] = [];
  for (const spec of PUBLISHED_GROUP_FILES) {
    const path = join(dir, spec.file);
    if (!existsSync(path)) continue;
    files.push(spec.file);
    const records = spec.file.endsWith('.csv')
      ? (parse(readFileSync(path), { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[])
      : readJsonArray(path, spec.file);
    records.forEach((r, index) => {
      const urn = Number(r.URN);
      const neighbourUrn = Number(r.NeighbourURN);
      const rank = Number(r.Rank);
      const distance = Number(r.Dist);
      if (![urn, neighbourUrn, rank, distance].every(Number.isFinite)) {
        problem({ line: index + (spec.file.endsWith('.csv') ? 2 : 1), column: spec.file, message: 'URN, NeighbourURN, Rank and Dist must be numbers' });
        return;
      }
      neighbours.push({ dataset: spec.dataset, urn, neighbourUrn, rank, distance });
    });
  }

  if (files.length === 0) throw new ImportError(`${dir} holds none of the known measure files; nothing was imported.`);
  if (problemCount > 0) {
    throw new ImportError(`The measure files have ${problemCount} problem${problemCount === 1 ? '' : 's'}; nothing was imported.`, problems, problemCount);
  }

  const writer = new DirectoryWriter(database);
  const runId = await writer.startRun('measures', dir);
  await database.db.transaction(async (tx) => {
    await DirectoryWriter.upsertMeasureCatalogue(tx);
    await DirectoryWriter.upsertMeasureValues(tx, values);
    for (const spec of SIMILARITY_FILES) {
      const rows = inputs.filter((i) => i.dataset === spec.dataset);
      if (rows.length > 0) await DirectoryWriter.replaceSimilarityInputs(tx, spec.dataset, rows);
    }
    for (const spec of PUBLISHED_GROUP_FILES) {
      const rows = neighbours.filter((n) => n.dataset === spec.dataset);
      if (rows.length > 0) await DirectoryWriter.replacePublishedNeighbours(tx, spec.dataset, rows);
    }
  });
  await writer.finishRun(runId, 'succeeded', values.length, files.join(', '));
  return { values: values.length, files, similarityInputs: inputs.length, publishedNeighbours: neighbours.length };
}
