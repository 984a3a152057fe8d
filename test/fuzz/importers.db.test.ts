import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { importCensus } from '../../src/importers/census.importer';
import { ImportError } from '../../src/importers/csv-source';
import { importGias } from '../../src/importers/gias.importer';
import { importGiasGroups } from '../../src/importers/gias-groups.importer';
import { importGiasLinks } from '../../src/importers/gias-links.importer';

/**
 * Property-based fuzzing of every CSV importer (issue 10): real rows from the sample files, mutated — cells replaced
 * by arbitrary text (quotes, commas, line breaks, any Unicode), blanked, turned into huge or negative numbers; cells
 * dropped or added; columns dropped, duplicated or renamed; bytes that are not UTF-8. Each import either succeeds or
 * throws an ImportError whose every problem names a line (and a column where there is one); nothing else is thrown,
 * and a rejected file changes nothing.
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.close());

const RUNS = Number(process.env.TRELLIS_FUZZ_RUNS ?? 150);

function sampleOf(path: string, rows = 12): string[][] {
  const all = parse(readFileSync(path), { bom: true, relax_column_count: true }) as string[][];
  return [all[0]!, ...all.slice(1, rows + 1)];
}

const weirdCell = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', ' ', '"', '""', ',', '\n', '\r\n', 'z', 'x', 'c', 'SUPP', 'NaN', 'Infinity', '-1', '1e308', '99999999999999999999', '31/02/2024', '2024-01-01', '0', '000000', '12345', '1234567'),
  fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }).map(String),
  fc.double({ noNaN: false }).map(String),
);

/** A mutation of a file: [header, ...rows] → a new file, as bytes. */
const mutatedFile = (base: string[][]) =>
  fc
    .record({
      cellEdits: fc.array(fc.tuple(fc.nat(), fc.nat(), weirdCell), { maxLength: 12 }),
      dropCells: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 2 }),
      addCells: fc.array(fc.tuple(fc.nat(), weirdCell), { maxLength: 2 }),
      headerEdit: fc.option(fc.tuple(fc.nat(), fc.constantFrom('drop', 'duplicate', 'rename', 'blank')), { freq: 4 }),
      rows: fc.integer({ min: 0, max: base.length - 1 }),
      latin1: fc.boolean(),
    })
    .map((m) => {
      const header = [...base[0]!];
      const rows = base.slice(1, 1 + m.rows).map((r) => [...r]);
      for (const [r, c, v] of m.cellEdits) if (rows.length) rows[r % rows.length]![c % header.length] = v;
      for (const [r, c] of m.dropCells) if (rows.length) rows[r % rows.length]!.splice(c % header.length, 1);
      for (const [r, v] of m.addCells) if (rows.length) rows[r % rows.length]!.push(v);
      if (m.headerEdit) {
        const [at, how] = m.headerEdit;
        const i = at % header.length;
        if (how === 'drop') {
          header.splice(i, 1);
          for (const r of rows) r.splice(i, 1);
        } else if (how === 'duplicate') header[(i + 1) % header.length] = header[i]!;
        else if (how === 'rename') header[i] = `${header[i]} (renamed)`;
        else header[i] = '';
      }
      const text = stringify([header, ...rows]);
      return m.latin1 ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
    });

const IMPORTERS = [
  { name: 'GIAS establishments', file: 'data/sample/gias/edubasealldata.csv', table: 'establishments', run: importGias },
  { name: 'GIAS links', file: 'data/sample/gias/links.csv', table: 'establishment_links', run: importGiasLinks },
  { name: 'GIAS groups', file: 'data/sample/gias/allgroupsdata.csv', table: 'groups', run: importGiasGroups },
  { name: 'school census', file: 'data/sample/census/spc-school-level-2022-23.csv', table: 'measure_values', run: importCensus },
] as const;

describe('fuzzing the importers', () => {
  it.each(IMPORTERS)('$name: every malformed file is either imported or rejected with a line for each problem, and a rejection changes nothing', async ({ file, table, run }) => {
    const base = sampleOf(file);
    let rejected = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(mutatedFile(base), async (bytes) => {
        const [before] = await db.rows<{ n: number; sum: string }>(sql.raw(`select count(*)::int as n, md5(coalesce(string_agg(t::text, ',' order by t::text), '')) as sum from ${table} t`));
        try {
          await run(db, bytes, { maxProblems: 1000 });
          accepted++;
        } catch (error) {
          if (!(error instanceof ImportError)) throw new Error(`not an ImportError: ${String(error)}\n${(error as Error).stack}`);
          rejected++;
          const report = error.report();
          if (error.problems.length === 0) expect(report).toMatch(/header|empty|no (establishments|links|groups|schools)|not UTF-8|encoding/i);
          for (const p of error.problems) {
            expect(p.line, report).toBeGreaterThanOrEqual(1);
            expect(p.message.length, report).toBeGreaterThan(0);
          }
          const [after] = await db.rows<{ n: number; sum: string }>(sql.raw(`select count(*)::int as n, md5(coalesce(string_agg(t::text, ',' order by t::text), '')) as sum from ${table} t`));
          expect(after).toEqual(before);
        }
      }),
      { numRuns: RUNS, seed: 20261129 },
    );
    // The generator really does produce both: files that fail and files that pass.
    expect(rejected).toBeGreaterThan(RUNS / 10);
    expect(accepted + rejected).toBe(RUNS);
  }, 300_000);
});
