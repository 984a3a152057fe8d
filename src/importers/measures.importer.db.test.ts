import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database';
import { ImportError } from './csv-source';
import { importMeasures } from './measures.importer';

let db: TestDatabase;
const dir = mkdtempSync(join(tmpdir(), 'trellis-measures-'));

beforeAll(async () => {
  db = await createTestDatabase();
  cpSync('data/sample/measures', dir, { recursive: true });
  await importMeasures(db, dir);
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const value = async (entityType: string, entityCode: string, measure: string, year: number, breakdown = 'all') => {
  const [row] = await db.rows<{ value: number | null; status: string | null }>(sql`
    select value, status from measure_values
    where entity_type = ${entityType} and entity_code = ${entityCode} and measure = ${measure} and year = ${year} and breakdown = ${breakdown}`);
  return row;
};

describe('importMeasures on the real DfE files', () => {
  // Golden figures are the published values in shared/data/raw/dfe-sap-sector, years from its datamap.csv.
  it('dates absence by datamap.csv: Current is 2023/24, Previous2 is 2021/22', async () => {
    expect(await value('school', '100025', 'absence.overall', 2023)).toEqual({ value: 6.06903, status: null });
    expect(await value('school', '100025', 'absence.overall', 2021)).toEqual({ value: 7.21367, status: null });
    expect(await value('school', '100025', 'absence.persistent', 2022)).toEqual({ value: 20.54795, status: null });
  });

  it('dates KS4 performance and workforce differently: Current is 2024/25', async () => {
    expect(await value('england', 'E92000001', 'ks4.attainment8', 2024)).toEqual({ value: 46, status: null });
    expect(await value('school', '100025', 'workforce.pupil-teacher-ratio', 2024)).toEqual({ value: 18.7, status: null });
  });

  it("takes England's figure from the National row, not the Local authority or Regional averages", async () => {
    expect(await value('england', 'E92000001', 'absence.overall', 2023, 'secondary')).toEqual({ value: 8.88916, status: null });
    expect(await value('england', 'E92000001', 'absence.persistent', 2023, 'primary')).toEqual({ value: 14.55841, status: null });
  });

  it('keeps LA figures by phase', async () => {
    expect(await value('la', '201', 'absence.overall', 2023, 'primary')).toEqual({ value: 4.3008, status: null });
    expect(await value('la', '201', 'absence.overall', 2023, 'secondary')).toEqual({ value: null, status: 'Not published' });
  });

  it('keeps the similar-school inputs with their model, and the published groups', async () => {
    const [n] = await db.rows<{ n: number }>(sql`select count(distinct urn)::int as n from similarity_inputs where dataset = 'dfe-primary'`);
    expect(n!.n).toBe(93);
    const [published] = await db.rows<{ n: number }>(sql`select count(*)::int as n from published_neighbours where dataset = 'dfe-primary'`);
    expect(published!.n).toBe(4650);
  });

  it('rejects a value that is neither a number nor a suppression code, and changes nothing', async () => {
    const before = await db.count('measure_values');
    const bad = mkdtempSync(join(tmpdir(), 'trellis-bad-'));
    try {
      cpSync(join(dir, 'datamap.csv'), join(bad, 'datamap.csv'));
      const records = JSON.parse(readFileSync(join(dir, 'EstablishmentAbsence.json'), 'utf8')) as Record<string, unknown>[];
      records[2]!.Abs_Tot_Est_Current_Pct = 'six';
      records[0]!.Abs_Tot_Est_Current_Pct = '99.9';
      writeFileSync(join(bad, 'EstablishmentAbsence.json'), JSON.stringify(records));
      const error = (await importMeasures(db, bad).catch((e: unknown) => e)) as ImportError;
      expect(error).toBeInstanceOf(ImportError);
      expect(error.problems).toEqual([
        { line: 3, column: 'EstablishmentAbsence.json Abs_Tot_Est_Current_Pct', message: '"six" is not a number or a known suppression code (record 3)' },
      ]);
      expect(await db.count('measure_values')).toBe(before);
      expect(await value('school', '100025', 'absence.overall', 2023)).toEqual({ value: 6.06903, status: null });
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });

  it('refuses a folder without datamap.csv', async () => {
    await expect(importMeasures(db, tmpdir())).rejects.toThrow(/no datamap.csv/);
  });
});
