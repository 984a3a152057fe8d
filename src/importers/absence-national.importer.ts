import { z } from 'zod';
import type { Database } from '../db/client';
import type { MeasureValueRecord } from '../db/repositories/directory-writer.repository';
import type { CsvInput } from './csv-source';
import { runCsvImport, type ImportOptions, type ImportResult } from './csv-import';
import { publishedPercentCell, urnText } from './fields';
import { schoolMeasureValue, schoolMeasureWriter } from './school-measures';

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

const AbsenceRow = z.object({
  [ABSENCE_NATIONAL_COLUMNS.urn]: urnText,
  [ABSENCE_NATIONAL_COLUMNS.persistent]: publishedPercentCell,
  [ABSENCE_NATIONAL_COLUMNS.overall]: publishedPercentCell,
});

type AbsenceRecord = { urn: string; values: MeasureValueRecord[] };

export function importAbsenceNational(database: Database, input: CsvInput, options: ImportOptions = {}): Promise<ImportResult> {
  const writeValues = schoolMeasureWriter();
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
        const value = (measure: string, cell: { value: number | null; status: string | null }) => schoolMeasureValue(urn, ABSENCE_NATIONAL_YEAR, measure, cell);
        return {
          urn,
          values: [value('absence.overall', r[ABSENCE_NATIONAL_COLUMNS.overall]), value('absence.persistent', r[ABSENCE_NATIONAL_COLUMNS.persistent])],
        };
      },
      uniqueKey: { column: ABSENCE_NATIONAL_COLUMNS.urn, of: (r) => r.urn },
      write: (tx, batch) => writeValues(tx, batch.flatMap((r) => r.values)),
    },
    options,
  );
}
