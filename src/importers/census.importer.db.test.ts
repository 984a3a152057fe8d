import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database';
import { importCensus } from './census.importer';
import { ImportError } from './csv-source';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await importCensus(db, 'data/sample/census/spc-school-level-2022-23.csv');
});
afterAll(async () => db.close());

const value = async (urn: string, measure: string) => {
  const [row] = await db.rows<{ value: number | null; status: string | null; year: number }>(sql`
    select value, status, year::int as year from measure_values where entity_type = 'school' and entity_code = ${urn} and measure = ${measure}`);
  return row;
};

const HEADER =
  'time_period,urn,headcount of pupils,% of pupils known to be eligible for free school meals,% of pupils whose first language is known or believed to be other than English';

describe('importCensus on the real January 2023 file (sample schools)', () => {
  // Golden figures: the published cells of spc_school_level_underlying_data (EES), Gospel Oak Primary School, 100025.
  it('stores FSM %, EAL % and headcount for 2022/23 (time_period 202223)', async () => {
    expect(await value('100025', 'census.fsm')).toEqual({ value: 35.6, status: null, year: 2022 });
    expect(await value('100025', 'census.pupils')).toMatchObject({ value: 452, year: 2022 });
  });

  it('reads every row of the sample file', async () => {
    const [row] = await db.rows<{ n: number }>(sql`select count(*)::int as n from measure_values where measure = 'census.fsm'`);
    expect(row!.n).toBe(1867);
  });
});

describe('importCensus: bad input changes nothing and says where', () => {
  it.each([
    ['a missing column', 'time_period,urn,headcount of pupils\n202223,100025,452\n', /% of pupils known to be eligible/],
    ['a malformed URN', `${HEADER}\n202223,10002,452,35.6,40.1\n`, /line 2.*urn.*6-digit URN/s],
    ['a percentage over 100', `${HEADER}\n202223,100025,452,135.6,40.1\n`, /line 2.*between 0 and 100/s],
    ['a word where a figure belongs', `${HEADER}\n202223,100025,lots,35.6,40.1\n`, /line 2.*headcount of pupils/s],
    ['a year that is not an academic year', `${HEADER}\n202224,100025,452,35.6,40.1\n`, /line 2.*academic year/s],
    ['a school twice', `${HEADER}\n202223,100025,452,35.6,40.1\n202223,100025,452,35.6,40.1\n`, /line 3.*also on line 2/s],
  ])('%s', async (_what, csv, message) => {
    const error = await importCensus(db, Buffer.from(csv)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).report()).toMatch(message);
    expect(await value('100025', 'census.fsm')).toEqual({ value: 35.6, status: null, year: 2022 });
  });

  it('keeps the publisher’s reason for a missing value (z: not applicable), never a zero', async () => {
    await importCensus(db, Buffer.from(`${HEADER}\n202223,999991,12,z,c\n`));
    expect(await value('999991', 'census.fsm')).toEqual({ value: null, status: 'Not applicable', year: 2022 });
    expect(await value('999991', 'census.eal')).toMatchObject({ value: null, status: 'Confidential (suppressed)' });
  });
});
