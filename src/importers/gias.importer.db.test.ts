import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database';
import { ImportError } from './csv-source';
import { importGias } from './gias.importer';
import { importGiasLinks } from './gias-links.importer';

// Real rows: the first five establishments of the committed sample, in the official GIAS layout.
const sample = parse(readFileSync('data/sample/gias/edubasealldata.csv'), { bom: true }) as string[][];
const header = sample[0]!;
const rows = sample.slice(1, 6);
const col = (name: string) => header.indexOf(name);

function csv(body: string[][], head: string[] = header): Buffer {
  return Buffer.from(stringify([head, ...body]));
}
function withCell(row: string[], column: string, value: string): string[] {
  const copy = [...row];
  copy[col(column)] = value;
  return copy;
}

async function expectImportError(input: Buffer, message: RegExp, problem?: { line: number; column?: string; message: RegExp }) {
  const error = await importGias(db, input).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportError);
  const importError = error as ImportError;
  expect(importError.message).toMatch(message);
  if (problem) {
    expect(importError.problems).toContainEqual(
      expect.objectContaining({ line: problem.line, ...(problem.column ? { column: problem.column } : {}), message: expect.stringMatching(problem.message) }),
    );
  }
}

let db: TestDatabase;
let before: { establishments: number; names: string };

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.close());

beforeEach(async () => {
  await db.rows(sql`truncate establishments, local_authorities, groups, establishment_links`);
  await importGias(db, csv(rows));
  const [names] = await db.rows<{ names: string }>(sql`select string_agg(name || '|' || coalesce(pupils::text, ''), ',' order by urn) as names from establishments`);
  before = { establishments: await db.count('establishments'), names: names!.names };
});

async function expectUnchanged() {
  const [names] = await db.rows<{ names: string }>(sql`select string_agg(name || '|' || coalesce(pupils::text, ''), ',' order by urn) as names from establishments`);
  expect({ establishments: await db.count('establishments'), names: names!.names }).toEqual(before);
}

describe('importGias', () => {
  it('imports real GIAS rows with their fields, coordinates and derived LA', async () => {
    expect(before.establishments).toBe(5);
    const [school] = await db.rows<Record<string, unknown>>(sql`
      select urn, laestab, name, phase_name, la_code, la_name, postcode_key, latitude, longitude, pupils, capacity, statutory_low_age
      from establishments where urn = 100025`);
    expect(school).toMatchObject({
      urn: 100025,
      laestab: 2022775,
      name: 'Gospel Oak Primary School',
      phase_name: 'Primary',
      la_code: '202',
      la_name: 'Camden',
      postcode_key: 'NW32JB',
      pupils: 421,
      capacity: 459,
      statutory_low_age: 3,
    });
    expect(school!.latitude).toBeCloseTo(51.555, 3);
    expect(school!.longitude).toBeCloseTo(-0.1518, 3);
    expect(await db.rows(sql`select code, name, gss_code from local_authorities where code = '202'`)).toEqual([
      { code: '202', name: 'Camden', gss_code: 'E09000007' },
    ]);
  });

  it('is idempotent: importing the same file again upserts by URN', async () => {
    await importGias(db, csv(rows));
    await expectUnchanged();
    await importGias(db, csv([withCell(rows[0]!, 'NumberOfPupils', '430')]));
    expect(await db.rows(sql`select pupils from establishments where urn = 100025`)).toEqual([{ pupils: 430 }]);
    expect(await db.count('establishments')).toBe(5);
  });

  it('rejects a file with the wrong header, and changes nothing', async () => {
    await expectImportError(csv([['1', '2']], ['Foo', 'Bar']), /none of the required columns/, { line: 1, column: 'URN', message: /missing/ });
    await expectUnchanged();
  });

  it('rejects a file missing a required column, naming it', async () => {
    const without = header.filter((h) => h !== 'EstablishmentName');
    const body = rows.map((r) => r.filter((_, i) => i !== col('EstablishmentName')));
    await expectImportError(csv(body, without), /header row is not the expected layout/, {
      line: 1,
      column: 'EstablishmentName',
      message: /required column "EstablishmentName" is missing/,
    });
    await expectUnchanged();
  });

  it('rejects bad dates with their line and column', async () => {
    const body = [rows[0]!, withCell(rows[1]!, 'OpenDate', '31/02/2020'), withCell(rows[2]!, 'CloseDate', '2020-09-01')];
    await expectImportError(csv(body), /2 problems; nothing was imported/, { line: 3, column: 'OpenDate', message: /not a real date/ });
    await expectImportError(csv(body), /nothing was imported/, { line: 4, column: 'CloseDate', message: /dd\/mm\/yyyy/ });
    await expectUnchanged();
  });

  it('rejects non-numeric numbers', async () => {
    const body = [withCell(rows[0]!, 'NumberOfPupils', 'about 400'), withCell(rows[1]!, 'URN', '10004X')];
    await expectImportError(csv(body), /2 problems/, { line: 2, column: 'NumberOfPupils', message: /not a whole number/ });
    await expectImportError(csv(body), /2 problems/, { line: 3, column: 'URN', message: /6-digit URN/ });
    await expectUnchanged();
  });

  it('rejects duplicate URNs, naming both lines', async () => {
    const body = [rows[0]!, rows[1]!, withCell(rows[2]!, 'URN', rows[0]![0]!)];
    await expectImportError(csv(body), /1 problem;/, { line: 4, column: 'URN', message: /100025 is also on line 2/ });
    await expectUnchanged();
  });

  it('stores suppressed values as missing, never as zero', async () => {
    await importGias(db, csv([withCell(rows[0]!, 'PercentageFSM', 'SUPP'), withCell(rows[1]!, 'PercentageFSM', '23.4')]));
    expect(await db.rows(sql`select urn, percentage_fsm from establishments where urn in (100025, ${Number(rows[1]![0])}) order by urn`)).toEqual([
      { urn: 100025, percentage_fsm: null },
      { urn: Number(rows[1]![0]), percentage_fsm: 23.4 },
    ]);
  });

  it('rejects an empty file and a header-only file', async () => {
    await expectImportError(Buffer.alloc(0), /file is empty/);
    await expectImportError(csv([]), /no establishments/);
    await expectUnchanged();
  });

  it('rejects a row with the wrong number of fields', async () => {
    const body = [rows[0]!, rows[1]!.slice(0, 50)];
    await expectImportError(csv(body), /1 problem/, { line: 3, message: /has 50 fields but the header has 140/ });
    await expectUnchanged();
  });

  it('reads a Windows-1252 file (older GIAS extracts) without mangling names', async () => {
    const name = 'St Mary’s Church of England Primary School – Café';
    const text = stringify([header, withCell(rows[0]!, 'EstablishmentName', name)]);
    const result = await importGias(db, iconv.encode(text, 'win1252'));
    expect(result.encoding).toBe('windows-1252');
    expect(await db.rows(sql`select name from establishments where urn = 100025`)).toEqual([{ name }]);
  });

  it('leaves the previous data intact when a late row fails (the transaction rolls back written batches)', async () => {
    const many = Array.from({ length: 30 }, (_, i) => withCell(withCell(rows[i % 5]!, 'URN', String(200000 + i)), 'EstablishmentName', `School ${i}`));
    many.push(withCell(rows[0]!, 'OpenDate', 'yesterday'));
    const error = await importGias(db, csv(many), { batchSize: 7 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    await expectUnchanged();
  });

  it('records each run in import_runs with its outcome', async () => {
    await importGias(db, csv([['x']], ['Foo'])).catch(() => undefined);
    const [last] = await db.rows<{ kind: string; status: string; message: string }>(sql`select kind, status, message from import_runs order by id desc limit 1`);
    expect(last).toMatchObject({ kind: 'gias', status: 'failed' });
    expect(last!.message).toMatch(/line 1, URN: required column "URN" is missing/);
  });
});

describe('importGiasLinks', () => {
  it('imports links and rejects a bad URN with its line', async () => {
    const good = Buffer.from('URN,LinkURN,LinkName,LinkType,LinkEstablishedDate\n100025,100049,Haverstock School,Successor,01/09/2020\n');
    expect((await importGiasLinks(db, good)).rows).toBe(1);
    const bad = Buffer.from('URN,LinkURN,LinkName,LinkType,LinkEstablishedDate\n100025,ABC,x,Successor,\n');
    const error = (await importGiasLinks(db, bad).catch((e: unknown) => e)) as ImportError;
    expect(error.problems).toEqual([{ line: 2, column: 'LinkURN', message: 'is not a 6-digit URN' }]);
    expect(await db.count('establishment_links')).toBe(1);
  });
});
