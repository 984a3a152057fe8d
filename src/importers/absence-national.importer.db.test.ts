import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database';
import { importAbsenceNational } from './absence-national.importer';
import { ImportError } from './csv-source';

// Rows copied unchanged from shared/data/national/absence-2024-25.csv (EES school-level absence, full year 2024/25).
const SLICE = 'test/fixtures/national/absence-slice.csv';
const HEADER = 'school_urn,enrolments_pa_10_exact_percent,sess_overall_percent,susp_rate,perm_excl_rate';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await importAbsenceNational(db, SLICE);
});
afterAll(async () => db.close());

const value = async (urn: string, measure: string) => {
  const [row] = await db.rows<{ value: number | null; status: string | null; year: number; breakdown: string }>(sql`
    select value, status, year::int as year, breakdown from measure_values where entity_type = 'school' and entity_code = ${urn} and measure = ${measure}`);
  return row;
};

describe('importAbsenceNational on the national 2024/25 absence file', () => {
  // Golden figures: the file's row for Richard Rose Morton Academy, 135620.
  it('stores overall and persistent absence for 2024/25 (year 2024)', async () => {
    expect(await value('135620', 'absence.overall')).toEqual({ value: 7.85869, status: null, year: 2024, breakdown: 'all' });
    expect(await value('135620', 'absence.persistent')).toEqual({ value: 15.69061, status: null, year: 2024, breakdown: 'all' });
  });

  it('stores an empty cell as not published, never zero', async () => {
    expect(await value('109476', 'absence.overall')).toEqual({ value: null, status: 'Not published', year: 2024, breakdown: 'all' });
  });

  it('reads two measures for each of the four schools and nothing of suspensions or exclusions', async () => {
    const rows = await db.rows<{ measure: string; n: number }>(sql`select measure, count(*)::int as n from measure_values group by measure order by measure`);
    expect(rows).toEqual([
      { measure: 'absence.overall', n: 4 },
      { measure: 'absence.persistent', n: 4 },
    ]);
  });
});

describe('importAbsenceNational: bad input changes nothing and says where', () => {
  it.each([
    ['a missing column', 'school_urn,sess_overall_percent\n135620,7.8\n', /enrolments_pa_10_exact_percent/],
    ['a malformed URN', `${HEADER}\n13562,15.6,7.8,4.1,0.2\n`, /line 2.*school_urn.*6-digit URN/s],
    ['a percentage over 100', `${HEADER}\n135620,15.6,107.8,4.1,0.2\n`, /line 2.*sess_overall_percent.*between 0 and 100/s],
    ['a word where a figure belongs', `${HEADER}\n135620,high,7.8,4.1,0.2\n`, /line 2.*enrolments_pa_10_exact_percent/s],
    ['a school twice', `${HEADER}\n135620,15.6,7.8,4.1,0.2\n135620,15.6,7.8,4.1,0.2\n`, /line 3.*also on line 2/s],
  ])('%s', async (_what, csv, message) => {
    const error = await importAbsenceNational(db, Buffer.from(csv)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).report()).toMatch(message);
    expect(await value('135620', 'absence.overall')).toMatchObject({ value: 7.85869 });
    expect(await db.count('measure_values')).toBe(8);
  });
});
