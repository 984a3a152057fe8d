import { z } from 'zod';
import type { Database } from '../db/client';
import { DirectoryWriter, type MeasureValueRecord } from '../db/repositories/directory-writer.repository';
import { parsePublishedValue } from '../domain/measures/values';
import type { CsvInput } from './csv-source';
import { runCsvImport, type ImportOptions, type ImportResult } from './csv-import';

/**
 * Reader of the DfE's school-level census file ("Schools, pupils and their characteristics", Explore Education
 * Statistics layout: one row per school, official column names, `z` for not applicable, `c` or `x` for suppressed).
 * Stores each school's FSM %, EAL % and headcount as measures `census.fsm`, `census.eal` and `census.pupils` for the
 * academic year of its `time_period` (202223 → 2022, i.e. 2022/23: the January 2023 census).
 */
export const CENSUS_COLUMNS = {
  timePeriod: 'time_period',
  urn: 'urn',
  pupils: 'headcount of pupils',
  fsm: '% of pupils known to be eligible for free school meals',
  eal: '% of pupils whose first language is known or believed to be other than English',
} as const;

const published = (column: string) =>
  z.string().transform((s, ctx) => {
    const parsed = parsePublishedValue(s);
    if (parsed.kind === 'invalid') {
      ctx.addIssue({ code: 'custom', message: `${parsed.reason} (${column})` });
      return z.NEVER;
    }
    return parsed.kind === 'value' ? { value: parsed.value, status: null } : { value: null, status: parsed.status };
  });

const percent = (column: string) =>
  published(column).refine((v) => v.value === null || (v.value >= 0 && v.value <= 100), { message: 'is not a percentage between 0 and 100' });

const CensusRow = z.object({
  [CENSUS_COLUMNS.timePeriod]: z
    .string()
    .transform((s) => s.trim())
    .refine((s) => /^(\d{4})(\d{2})$/.test(s) && Number(s.slice(4)) === (Number(s.slice(2, 4)) + 1) % 100, {
      message: 'is not an academic year written like 202223',
    })
    .transform((s) => Number(s.slice(0, 4))),
  [CENSUS_COLUMNS.urn]: z
    .string()
    .transform((s) => s.trim())
    .refine((s) => /^\d{6}$/.test(s), { message: 'is not a 6-digit URN' }),
  [CENSUS_COLUMNS.pupils]: published(CENSUS_COLUMNS.pupils).refine((v) => v.value === null || (Number.isInteger(v.value) && v.value >= 0), {
    message: 'is not a whole number of pupils',
  }),
  [CENSUS_COLUMNS.fsm]: percent(CENSUS_COLUMNS.fsm),
  [CENSUS_COLUMNS.eal]: percent(CENSUS_COLUMNS.eal),
});

type CensusRecord = { urn: string; values: MeasureValueRecord[] };

export function importCensus(database: Database, input: CsvInput, options: ImportOptions = {}): Promise<ImportResult> {
  let catalogueWritten = false;
  return runCsvImport(
    database,
    input,
    {
      kind: 'census',
      noun: 'schools',
      required: Object.values(CENSUS_COLUMNS),
      row: CensusRow,
      toRecord: (r): CensusRecord => {
        const year = r[CENSUS_COLUMNS.timePeriod];
        const urn = r[CENSUS_COLUMNS.urn];
        const value = (measure: string, v: { value: number | null; status: string | null }): MeasureValueRecord => ({
          entityType: 'school',
          entityCode: urn,
          measure,
          breakdown: 'all',
          year,
          value: v.value,
          status: v.status,
        });
        return {
          urn,
          values: [value('census.fsm', r[CENSUS_COLUMNS.fsm]), value('census.eal', r[CENSUS_COLUMNS.eal]), value('census.pupils', r[CENSUS_COLUMNS.pupils])],
        };
      },
      uniqueKey: { column: CENSUS_COLUMNS.urn, of: (r) => r.urn },
      write: async (tx, batch) => {
        if (!catalogueWritten) {
          await DirectoryWriter.upsertMeasureCatalogue(tx);
          catalogueWritten = true;
        }
        await DirectoryWriter.upsertMeasureValues(
          tx,
          batch.flatMap((r) => r.values),
        );
      },
    },
    options,
  );
}
