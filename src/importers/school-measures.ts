import type { Db } from '../db/client';
import { DirectoryWriter, type MeasureValueRecord } from '../db/repositories/directory-writer.repository';

/** One school's published value of a measure for a year, with the publisher's reason when it is missing. */
export function schoolMeasureValue(urn: string, year: number, measure: string, cell: { value: number | null; status: string | null }): MeasureValueRecord {
  return { entityType: 'school', entityCode: urn, measure, breakdown: 'all', year, value: cell.value, status: cell.status };
}

/**
 * The batch writer of an importer of school-level measures: the catalogue first (values refer to it), once per
 * import, then each batch's values.
 */
export function schoolMeasureWriter(): (tx: Db, values: readonly MeasureValueRecord[]) => Promise<void> {
  let catalogueWritten = false;
  return async (tx, values) => {
    if (!catalogueWritten) {
      await DirectoryWriter.upsertMeasureCatalogue(tx);
      catalogueWritten = true;
    }
    await DirectoryWriter.upsertMeasureValues(tx, values);
  };
}
