import { z } from 'zod';
import type { Database } from '../db/client';
import { DirectoryWriter, type MeasureValueRecord } from '../db/repositories/directory-writer.repository';
import { parsePublishedValue } from '../domain/measures/values';
import type { CsvInput } from './csv-source';
import { runCsvImport, type ImportOptions, type ImportResult } from './csv-import';

/**
 * Reader of the national school-level absence file (shared/data/national/absence-2024-25.csv: one row per school,
 * built from the EES file `1a_Absence_3term_school.csv` for the full year 2024/25). Stores overall absence
 * (`sess_overall_percent`, % of possible sessions) and persistent absence (`enrolments_pa_10_exact_percent`, % of
 * enrolments missing 10% or more of sessions) as `absence.overall` and `absence.persistent` for 2024/25 (year 2024).
 * An empty cell is suppressed or not published: stored as missing, never zero.
 *
 * The file's suspension and permanent-exclusion rates (`susp_rate`, `perm_excl_rate`) are from another release whose
 * period was not kept (2023/24 at best) and have no entry in the measure catalogue: they are not read.
 */
export const ABSENCE_NATIONAL_YEAR = 2024;

export const ABSENCE_NATIONAL_COLUMNS = {
  urn: 'school_urn',
  persistent: 'enrolments_pa_10_exact_percent',
  overall: 'sess_overall_percent',
} as const;

const percent = z
  .string()
  .transform((s, ctx) => {
    const parsed = parsePublishedValue(s);
    if (parsed.kind === 'invalid') {
      ctx.addIssue({ code: 'custom', message: parsed.reason });
      return z.NEVER;
    }
    return parsed.kind === 'value' ? { value: parsed.value, status: null } : { value: null, status: parsed.status };
  })
  .refine((v) => v.value === null || (v.value >= 0 && v.value <= 100), { message: 'is not a percentage between 0 and 100' });

const AbsenceRow = z.object({
  [ABSENCE_NATIONAL_COLUMNS.urn]: z
    .string()
    .transform((s) => s.trim())
    .refine((s) => /^\d{6}$/.test(s), { message: 'is not a 6-digit URN' }),
  [ABSENCE_NATIONAL_COLUMNS.persistent]: percent,
  [ABSENCE_NATIONAL_COLUMNS.overall]: percent,
});

type AbsenceRecord = { urn: string; values: MeasureValueRecord[] };

export function importAbsenceNational(database: Database, input: CsvInput, options: ImportOptions = {}): Promise<ImportResult> {
  let catalogueWritten = false;
  return runCsvImport(
    database,
    input,
    {
      kind: 'absence-national',
      noun: 'schools',
      required: Object.values(ABSENCE_NATIONAL_COLUMNS),
      row: AbsenceRow,
      toRecord: (r): AbsenceRecord => {
        const urn = r[ABSENCE_NATIONAL_COLUMNS.urn];
        const value = (measure: string, v: { value: number | null; status: string | null }): MeasureValueRecord => ({
          entityType: 'school',
          entityCode: urn,
          measure,
          breakdown: 'all',
          year: ABSENCE_NATIONAL_YEAR,
          value: v.value,
          status: v.status,
        });
        return {
          urn,
          values: [value('absence.overall', r[ABSENCE_NATIONAL_COLUMNS.overall]), value('absence.persistent', r[ABSENCE_NATIONAL_COLUMNS.persistent])],
        };
      },
      uniqueKey: { column: ABSENCE_NATIONAL_COLUMNS.urn, of: (r) => r.urn },
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
