import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database';
import { importCensus } from './census.importer';
import { ImportError } from './csv-source';
import { importGiasNational } from './gias-national.importer';

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

describe('importCensus places the schools GIAS left without areas (national GIAS list, then census)', () => {
  // Rows copied unchanged from the national files: the GIAS list of 24 May 2025 and the January 2023 census.
  let national: TestDatabase;
  let placed: number;
  let placedByLa: number;
  beforeAll(async () => {
    national = await createTestDatabase();
    await importGiasNational(national, 'test/fixtures/national/gias-open-establishments-slice.csv');
    // A value GIAS gave is newer than the census and is kept.
    await national.rows(sql`update establishments set urban_rural_name = 'from GIAS' where urn = 100001`);
    ({ establishmentsPlaced: placed, establishmentsPlacedByLa: placedByLa } = await importCensus(national, 'test/fixtures/national/spc-school-level-slice.csv'));
  });
  afterAll(async () => national.close());

  const areas = async (urn: number) => {
    const [row] = await national.rows<Record<string, unknown>>(sql`
      select gss_la_code, district_code, district_name, region_code, region_name, urban_rural_name, trust_name
      from establishments where urn = ${urn}`);
    return row;
  };

  it('fills LA, district, region (as the GIAS letter), urban/rural class and trust name from the census', async () => {
    expect(placed).toBe(5);
    expect(await areas(100000)).toEqual({
      gss_la_code: 'E09000001',
      district_code: 'E09000001',
      district_name: 'City of London',
      region_code: 'H',
      region_name: 'London',
      urban_rural_name: '(England/Wales) Urban major conurbation',
      trust_name: null,
    });
  });

  it('moves the codes of authorities reorganised in April 2023 to their successors', async () => {
    // Census: Cumbria E10000006, district Carlisle E07000028 → Cumberland E06000063.
    expect(await areas(135620)).toMatchObject({ gss_la_code: 'E06000063', district_code: 'E06000063', region_code: 'B', trust_name: 'UNITED LEARNING TRUST' });
    // Census: North Yorkshire county E10000023, district Harrogate E07000165 → North Yorkshire unitary E06000065.
    expect(await areas(136497)).toMatchObject({ gss_la_code: 'E06000065', district_code: 'E06000065', region_code: 'D', trust_name: 'RED KITE LEARNING TRUST' });
  });

  it('places a school opened since the census by its local authority, whose district is itself when unitary', async () => {
    // Lakes College - West Cumbria (130632, Cumberland 942) is not in the census; Richard Rose Morton Academy places Cumberland.
    expect(placedByLa).toBe(1);
    expect(await areas(130632)).toMatchObject({ gss_la_code: 'E06000063', district_code: 'E06000063', region_code: 'B', region_name: 'North West', trust_name: null });
    // The BFPO establishment (LA 702) has no LA in England to take areas from.
    expect(await areas(132307)).toMatchObject({ gss_la_code: null, region_code: null });
  });

  it('keeps what GIAS gave, creates no establishment for a census school not in the directory, and names the LAs', async () => {
    expect(await areas(100001)).toMatchObject({ urban_rural_name: 'from GIAS', gss_la_code: 'E09000001' });
    expect(await national.rows(sql`select urn from establishments where urn = 100014`)).toEqual([]);
    const [fsm] = await national.rows<{ value: number }>(sql`select value from measure_values where entity_code = '100014' and measure = 'census.fsm'`);
    expect(fsm?.value).toBe(44.7);
    const [la] = await national.rows(sql`select gss_code, region_code from local_authorities where code = '942'`);
    expect(la).toEqual({ gss_code: 'E06000063', region_code: 'B' });
  });

  it.each([
    ['a region that is not one of England’s nine', 'region_code', 'E12000010', /line 2.*region_code.*nine regions/s],
    ['a district that is not a code', 'district_administrative_code', 'Harrogate', /line 2.*district_administrative_code.*GSS district code/s],
  ])('rejects %s by line and changes nothing', async (_what, column, bad, message) => {
    const areaHeader = `${HEADER},${column}`;
    const error = await importCensus(national, Buffer.from(`${areaHeader}\n202223,100000,452,35.6,40.1,${bad}\n`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).report()).toMatch(message);
    expect(await areas(100000)).toMatchObject({ region_code: 'H', district_code: 'E09000001' });
  });
});
