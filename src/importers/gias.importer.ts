import { z } from 'zod';
import { bngToWgs84 } from '../domain/geo/british-national-grid';
import type { Database } from '../db/client';
import { DirectoryWriter, type EstablishmentRecord } from '../db/repositories/directory-writer.repository';
import type { CsvInput } from './csv-source';
import { runCsvImport, type ImportOptions, type ImportResult } from './csv-import';
import { optionalDate, optionalInt, optionalText, publishedNumber, requiredText } from './fields';

/**
 * Reader of the GIAS "edubasealldata" extract (Get Information about Schools, all establishments; layout in
 * shared/data/formats). Personal data in the extract (head teacher names) is never read.
 */

/** Columns without which a file is not a GIAS establishment extract. */
export const GIAS_REQUIRED_COLUMNS = [
  'URN',
  'LA (code)',
  'LA (name)',
  'EstablishmentNumber',
  'EstablishmentName',
  'TypeOfEstablishment (name)',
  'EstablishmentTypeGroup (name)',
  'EstablishmentStatus (name)',
  'PhaseOfEducation (name)',
] as const;

const GiasRow = z.object({
  URN: z
    .string()
    .transform((s) => s.trim())
    .refine((s) => /^\d{6}$/.test(s), { message: 'is not a 6-digit URN' })
    .transform(Number),
  'LA (code)': z
    .string()
    .transform((s) => s.trim())
    .refine((s) => /^\d{3}$/.test(s), { message: 'is not a 3-digit LA code' }),
  'LA (name)': requiredText(100),
  EstablishmentNumber: optionalInt(0, 9999),
  EstablishmentName: requiredText(200),
  'TypeOfEstablishment (code)': optionalText(10),
  'TypeOfEstablishment (name)': optionalText(100),
  'EstablishmentTypeGroup (code)': optionalText(10),
  'EstablishmentTypeGroup (name)': optionalText(100),
  'EstablishmentStatus (code)': optionalText(10),
  'EstablishmentStatus (name)': optionalText(100),
  OpenDate: optionalDate,
  CloseDate: optionalDate,
  'PhaseOfEducation (code)': optionalText(10),
  'PhaseOfEducation (name)': optionalText(100),
  StatutoryLowAge: optionalInt(0, 99),
  StatutoryHighAge: optionalInt(0, 99),
  'Boarders (name)': optionalText(100),
  'NurseryProvision (name)': optionalText(100),
  'OfficialSixthForm (name)': optionalText(100),
  'Gender (name)': optionalText(50),
  'ReligiousCharacter (name)': optionalText(100),
  'AdmissionsPolicy (name)': optionalText(100),
  SchoolCapacity: optionalInt(0, 100_000),
  CensusDate: optionalDate,
  NumberOfPupils: optionalInt(0, 100_000),
  NumberOfBoys: optionalInt(0, 100_000),
  NumberOfGirls: optionalInt(0, 100_000),
  PercentageFSM: publishedNumber.refine((n) => n === null || (n >= 0 && n <= 100), { message: 'is not a percentage' }),
  'Trusts (code)': optionalText(20),
  'Trusts (name)': optionalText(200),
  'Federations (code)': optionalText(20),
  'Federations (name)': optionalText(200),
  UKPRN: optionalText(20),
  Street: optionalText(200),
  Locality: optionalText(200),
  Address3: optionalText(200),
  Town: optionalText(100),
  'County (name)': optionalText(100),
  Postcode: optionalText(10),
  SchoolWebsite: optionalText(300),
  TelephoneNum: optionalText(30),
  'GOR (code)': optionalText(5),
  'GOR (name)': optionalText(100),
  'DistrictAdministrative (code)': optionalText(12),
  'DistrictAdministrative (name)': optionalText(100),
  'UrbanRural (code)': optionalText(5),
  'UrbanRural (name)': optionalText(100),
  'GSSLACode (name)': optionalText(12),
  Easting: optionalInt(0, 800_000),
  Northing: optionalInt(0, 1_300_000),
  LastChangedDate: optionalDate,
});
type GiasRow = z.output<typeof GiasRow>;

function toEstablishment(r: GiasRow): EstablishmentRecord {
  const laCode = r['LA (code)'];
  const position = bngToWgs84(r.Easting, r.Northing);
  return {
    urn: r.URN,
    laestab: r.EstablishmentNumber === null ? null : Number(laCode) * 10000 + r.EstablishmentNumber,
    laCode,
    laName: r['LA (name)'],
    establishmentNumber: r.EstablishmentNumber === null ? null : String(r.EstablishmentNumber).padStart(4, '0'),
    name: r.EstablishmentName,
    typeCode: r['TypeOfEstablishment (code)'],
    typeName: r['TypeOfEstablishment (name)'],
    typeGroupCode: r['EstablishmentTypeGroup (code)'],
    typeGroupName: r['EstablishmentTypeGroup (name)'],
    statusCode: r['EstablishmentStatus (code)'],
    statusName: r['EstablishmentStatus (name)'],
    openDate: r.OpenDate,
    closeDate: r.CloseDate,
    phaseCode: r['PhaseOfEducation (code)'],
    phaseName: r['PhaseOfEducation (name)'],
    statutoryLowAge: r.StatutoryLowAge,
    statutoryHighAge: r.StatutoryHighAge,
    boardersName: r['Boarders (name)'],
    nurseryName: r['NurseryProvision (name)'],
    sixthFormName: r['OfficialSixthForm (name)'],
    genderName: r['Gender (name)'],
    religiousCharacterName: r['ReligiousCharacter (name)'],
    admissionsPolicyName: r['AdmissionsPolicy (name)'],
    capacity: r.SchoolCapacity,
    pupils: r.NumberOfPupils,
    boys: r.NumberOfBoys,
    girls: r.NumberOfGirls,
    percentageFsm: r.PercentageFSM,
    censusDate: r.CensusDate,
    trustUid: r['Trusts (code)'],
    trustName: r['Trusts (name)'],
    federationUid: r['Federations (code)'],
    federationName: r['Federations (name)'],
    ukprn: r.UKPRN,
    street: r.Street,
    locality: r.Locality,
    address3: r.Address3,
    town: r.Town,
    county: r['County (name)'],
    postcode: r.Postcode,
    website: r.SchoolWebsite,
    telephone: r.TelephoneNum,
    regionCode: r['GOR (code)'],
    regionName: r['GOR (name)'],
    districtCode: r['DistrictAdministrative (code)'],
    districtName: r['DistrictAdministrative (name)'],
    gssLaCode: r['GSSLACode (name)'],
    urbanRuralCode: r['UrbanRural (code)'],
    urbanRuralName: r['UrbanRural (name)'],
    easting: r.Easting || null,
    northing: r.Northing || null,
    latitude: position?.latitude ?? null,
    longitude: position?.longitude ?? null,
    lastChangedDate: r.LastChangedDate,
  };
}

/**
 * Imports a GIAS establishment extract in one transaction: every row is validated, and if any row is bad the
 * database is left exactly as it was and an ImportError lists the problems by line. Upserts by URN.
 */
export function importGias(database: Database, input: CsvInput, options: ImportOptions = {}): Promise<ImportResult> {
  return runCsvImport(
    database,
    input,
    {
      kind: 'gias',
      noun: 'establishments',
      required: GIAS_REQUIRED_COLUMNS,
      row: GiasRow,
      toRecord: toEstablishment,
      uniqueKey: { column: 'URN', of: (r) => r.urn },
      write: DirectoryWriter.upsertEstablishments,
      finish: DirectoryWriter.refreshDerivedFromEstablishments,
    },
    options,
  );
}
