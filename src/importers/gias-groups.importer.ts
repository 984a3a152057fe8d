import { z } from 'zod';
import type { Database } from '../db/client';
import { DirectoryWriter, type GroupRecord } from '../db/repositories/directory-writer.repository';
import type { CsvInput } from './csv-source';
import { runCsvImport, type ImportOptions, type ImportResult } from './csv-import';
import { optionalDate, optionalText } from './fields';

/** Reader of the GIAS groups file ("allgroupsdata": trusts, federations, sponsors). Leaders' names are not read. */
const GroupRow = z.object({
  'Group UID': z
    .string()
    .transform((s) => s.trim())
    .refine((s) => /^\d{1,10}$/.test(s), { message: 'is not a group UID (digits)' }),
  'Group ID': optionalText(100),
  // GIAS has a few groups with no name; they are kept, named by their UID.
  'Group Name': optionalText(300),
  'Companies House Number': optionalText(20),
  'Group Type (code)': optionalText(10),
  'Group Type': optionalText(100),
  'Closed Date': optionalDate,
  'Open date': optionalDate,
  'Group Town': optionalText(100),
  'Group Postcode': optionalText(10),
  'Group Status (code)': optionalText(20),
  'Group Status': optionalText(50),
  UKPRN: optionalText(20),
});

export function importGiasGroups(database: Database, input: CsvInput, options: ImportOptions = {}): Promise<ImportResult> {
  return runCsvImport(
    database,
    input,
    {
      kind: 'gias-groups',
      noun: 'groups',
      required: ['Group UID', 'Group Name', 'Group Type'],
      row: GroupRow,
      toRecord: (r): GroupRecord => ({
        uid: r['Group UID'],
        groupId: r['Group ID'],
        name: r['Group Name'] ?? `Unnamed group ${r['Group UID']}`,
        typeCode: r['Group Type (code)'],
        typeName: r['Group Type'],
        statusCode: r['Group Status (code)'],
        statusName: r['Group Status'],
        companiesHouseNumber: r['Companies House Number'],
        openDate: r['Open date'],
        closedDate: r['Closed Date'],
        ukprn: r.UKPRN,
        town: r['Group Town'],
        postcode: r['Group Postcode'],
      }),
      uniqueKey: { column: 'Group UID', of: (r) => r.uid },
      write: DirectoryWriter.upsertGroups,
    },
    options,
  );
}
