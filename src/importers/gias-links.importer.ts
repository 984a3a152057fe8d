import { z } from 'zod';
import type { Database } from '../db/client';
import { DirectoryWriter, type LinkRecord } from '../db/repositories/directory-writer.repository';
import type { CsvInput } from './csv-source';
import { runCsvImport, type ImportOptions, type ImportResult } from './csv-import';
import { optionalDate, optionalText, requiredText } from './fields';

/** Reader of the GIAS establishment links file (predecessor, successor, sixth-form centre links …). */
const urn = z
  .string()
  .transform((s) => s.trim())
  .refine((s) => /^\d{6}$/.test(s), { message: 'is not a 6-digit URN' })
  .transform(Number);

const LinkRow = z.object({
  URN: urn,
  LinkURN: urn,
  LinkName: optionalText(200),
  LinkType: requiredText(100),
  LinkEstablishedDate: optionalDate,
});

export function importGiasLinks(database: Database, input: CsvInput, options: ImportOptions = {}): Promise<ImportResult> {
  return runCsvImport(
    database,
    input,
    {
      kind: 'gias-links',
      noun: 'links',
      required: ['URN', 'LinkURN', 'LinkType'],
      row: LinkRow,
      toRecord: (r): LinkRecord => ({
        urn: r.URN,
        linkedUrn: r.LinkURN,
        linkName: r.LinkName,
        linkType: r.LinkType,
        establishedDate: r.LinkEstablishedDate,
      }),
      uniqueKey: { column: 'URN', of: (r) => `${r.urn} → ${r.linkedUrn} (${r.linkType})` },
      write: DirectoryWriter.upsertLinks,
    },
    options,
  );
}
