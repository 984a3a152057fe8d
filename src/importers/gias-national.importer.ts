import { z } from 'zod';
import { bngToWgs84 } from '../domain/geo/british-national-grid';
import type { Database } from '../db/client';
import { DirectoryWriter, ESTABLISHMENT_COLUMNS, type EstablishmentRecord } from '../db/repositories/directory-writer.repository';
import { bulkUpsert } from '../db/repositories/bulk';
import type { CsvInput } from './csv-source';
import { runCsvImport, type ImportOptions, type ImportResult } from './csv-import';
import { optionalInt, optionalText, publishedNumber, requiredText } from './fields';

/**
 * Reader of the national list of open establishments (GIAS extract of 24 May 2025, England and Wales, all types;
 * shared/data/national/gias-open-establishments-2025-05-24.csv). Its columns are snake_case, not GIAS's own, and it
 * has far fewer of them than the full "edubasealldata" extract: identity, LA, type, phase, pupils, FSM % and location.
 *
 * Only the columns the file has are written, so a later (or earlier) full GIAS import, and the areas the census
 * import fills in, are never blanked by it. Every row is an open establishment: status "Open".
 *
 * Welsh establishments (LA 660–681, type "Welsh establishment") are left out and counted: Trellis is for schools in
 * England — the census, absence and attainment files and the area boundaries cover England only — and GIAS lists
 * Welsh schools with no phase, pupils or FSM, so they could only appear as empty pages.
 */
export const GIAS_NATIONAL_COLUMNS = [
  'urn',
  'la_code',
  'la_name',
  'establishment_number',
  'establishment_name',
  'establishment_type',
  'establishment_type_group',
  'education_phase',
  'number_of_pupils',
  'percentage_fsm',
  'easting',
  'northing',
  'longitude',
  'latitude',
] as const;

const optionalCoordinate = (min: number, max: number) =>
  publishedNumber.refine((n) => n === null || (n >= min && n <= max), { message: `is outside ${min} to ${max}` });

const GiasNationalRow = z.object({
  urn: z
    .string()
    .transform((s) => s.trim())
    .refine((s) => /^\d{6}$/.test(s), { message: 'is not a 6-digit URN' })
    .transform(Number),
  la_code: z
    .string()
    .transform((s) => s.trim())
    .refine((s) => /^\d{3}$/.test(s), { message: 'is not a 3-digit LA code' }),
  la_name: requiredText(100),
  establishment_number: optionalInt(0, 9999),
  establishment_name: requiredText(200),
  establishment_type: optionalText(100),
  establishment_type_group: optionalText(100),
  education_phase: optionalText(100),
  number_of_pupils: optionalInt(0, 100_000),
  percentage_fsm: publishedNumber.refine((n) => n === null || (n >= 0 && n <= 100), { message: 'is not a percentage between 0 and 100' }),
  easting: optionalInt(0, 800_000),
  northing: optionalInt(0, 1_300_000),
  // Great Britain and the few establishments GIAS places abroad (British schools overseas) all fit these.
  longitude: optionalCoordinate(-180, 180),
  latitude: optionalCoordinate(-90, 90),
});
type GiasNationalRow = z.output<typeof GiasNationalRow>;

/** The establishment columns this file fills; the others are left as they are. */
const WRITTEN = [
  'urn',
  'laestab',
  'laCode',
  'laName',
  'establishmentNumber',
  'name',
  'typeName',
  'typeGroupName',
  'statusCode',
  'statusName',
  'phaseName',
  'pupils',
  'percentageFsm',
  'easting',
  'northing',
  'latitude',
  'longitude',
] as const satisfies readonly (keyof EstablishmentRecord)[];
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const WRITTEN_COLUMNS = ESTABLISHMENT_COLUMNS.filter((c) => (WRITTEN as readonly string[]).map(snake).includes(c.column));

type NationalEstablishment = Pick<EstablishmentRecord, (typeof WRITTEN)[number]>;

/** DfE LA numbers 660–681 are the Welsh authorities in GIAS. */
export const isWelshLa = (laCode: string) => Number(laCode) >= 660 && Number(laCode) <= 681;

function toEstablishment(r: GiasNationalRow): NationalEstablishment {
  const located = r.easting !== null && r.northing !== null && r.easting > 0 && r.northing > 0;
  const position = located && (r.latitude === null || r.longitude === null) ? bngToWgs84(r.easting, r.northing) : null;
  return {
    urn: r.urn,
    laestab: r.establishment_number === null ? null : Number(r.la_code) * 10000 + r.establishment_number,
    laCode: r.la_code,
    laName: r.la_name,
    establishmentNumber: r.establishment_number === null ? null : String(r.establishment_number).padStart(4, '0'),
    name: r.establishment_name,
    typeName: r.establishment_type,
    typeGroupName: r.establishment_type_group,
    // GIAS's EstablishmentStatus code 1 is "Open"; the file lists open establishments only.
    statusCode: '1',
    statusName: 'Open',
    phaseName: r.education_phase,
    pupils: r.number_of_pupils,
    percentageFsm: r.percentage_fsm,
    easting: located ? r.easting : null,
    northing: located ? r.northing : null,
    latitude: located ? (r.latitude ?? position?.latitude ?? null) : null,
    longitude: located ? (r.longitude ?? position?.longitude ?? null) : null,
  };
}

export function importGiasNational(database: Database, input: CsvInput, options: ImportOptions = {}): Promise<ImportResult> {
  return runCsvImport(
    database,
    input,
    {
      kind: 'gias-national',
      noun: 'establishments',
      required: GIAS_NATIONAL_COLUMNS,
      row: GiasNationalRow,
      toRecord: toEstablishment,
      uniqueKey: { column: 'urn', of: (r) => r.urn },
      skip: { when: (r) => isWelshLa(r.laCode), reason: 'Welsh establishments (LA 660–681): Trellis covers schools in England' },
      write: (tx, rows) =>
        bulkUpsert(tx, rows as unknown as EstablishmentRecord[], { table: 'establishments', columns: WRITTEN_COLUMNS, key: ['urn'], onConflict: 'update' }),
      finish: DirectoryWriter.refreshDerivedFromEstablishments,
    },
    options,
  );
}
