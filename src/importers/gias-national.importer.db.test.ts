import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database';
import { ImportError } from './csv-source';
import { importGiasNational } from './gias-national.importer';

// Rows copied unchanged from shared/data/national/gias-open-establishments-2025-05-24.csv (GIAS, 24 May 2025).
const SLICE = 'test/fixtures/national/gias-open-establishments-slice.csv';
const HEADER =
  'urn,la_code,la_name,establishment_number,establishment_name,establishment_type,establishment_type_group,education_phase,number_of_pupils,percentage_fsm,easting,northing,lsoa_code,pcon_code,longitude,latitude';
const ALDGATE =
  '100000,201,City of London,3614,The Aldgate School,Voluntary aided school,Local authority maintained schools,Primary,244,21.7,533498,181201,E01032739,E14001172,-0.07753063171580948,51.513968813644965';

let db: TestDatabase;
let result: Awaited<ReturnType<typeof importGiasNational>>;
beforeAll(async () => {
  db = await createTestDatabase();
  result = await importGiasNational(db, SLICE);
});
afterAll(async () => db.close());

const school = async (urn: number) => {
  const [row] = await db.rows<Record<string, unknown>>(sql`
    select urn, laestab, la_code, la_name, establishment_number, name, type_name, type_group_name, status_code, status_name, phase_name,
      pupils, percentage_fsm, easting, northing, latitude, longitude, district_code, trust_uid
    from establishments where urn = ${urn}`);
  return row;
};

describe('importGiasNational on the national list of open establishments', () => {
  it('imports the English establishments and leaves out the Welsh ones, saying why', () => {
    expect(result.rows).toBe(7);
    expect(result.skipped).toEqual({ rows: 1, reason: expect.stringMatching(/Welsh establishments/) });
  });

  // Golden figures: the file's row for URN 100000.
  it('stores what the file has, with status Open', async () => {
    expect(await school(100000)).toEqual({
      urn: 100000,
      laestab: 2013614,
      la_code: '201',
      la_name: 'City of London',
      establishment_number: '3614',
      name: 'The Aldgate School',
      type_name: 'Voluntary aided school',
      type_group_name: 'Local authority maintained schools',
      status_code: '1',
      status_name: 'Open',
      phase_name: 'Primary',
      pupils: 244,
      percentage_fsm: 21.7,
      easting: 533498,
      northing: 181201,
      latitude: 51.513968813644965,
      longitude: -0.07753063171580948,
      district_code: null,
      trust_uid: null,
    });
  });

  it('keeps an empty cell empty: no FSM % for an independent school, no location overseas', async () => {
    expect(await school(100001)).toMatchObject({ pupils: 764, percentage_fsm: null });
    expect(await school(132307)).toMatchObject({ la_code: '702', easting: null, northing: null, latitude: null, longitude: null, pupils: null });
  });

  it('does not store the Welsh establishment', async () => {
    expect(await school(400035)).toBeUndefined();
  });

  it('names the local authorities of the establishments, Cumberland (942) among them', async () => {
    const [la] = await db.rows<{ name: string }>(sql`select name from local_authorities where code = '942'`);
    expect(la?.name).toBe('Cumberland');
  });

  it('writes only its own columns: a re-import keeps what GIAS or the census gave the others', async () => {
    await db.rows(sql`update establishments set district_code = 'E09000001', trust_uid = '1234', pupils = 1 where urn = 100000`);
    await importGiasNational(db, SLICE);
    expect(await school(100000)).toMatchObject({ district_code: 'E09000001', trust_uid: '1234', pupils: 244 });
  });
});

describe('importGiasNational: bad input changes nothing and says where', () => {
  it.each([
    ['a missing column', `${HEADER.replace(',percentage_fsm', '')}\n`, /percentage_fsm/],
    ['a malformed URN', `${HEADER}\n${ALDGATE.replace('100000', '10000A')}\n`, /line 2.*urn.*6-digit URN/s],
    ['an FSM % over 100', `${HEADER}\n${ALDGATE.replace(',21.7,', ',121.7,')}\n`, /line 2.*percentage_fsm.*percentage/s],
    ['a word for pupils', `${HEADER}\n${ALDGATE.replace(',244,', ',many,')}\n`, /line 2.*number_of_pupils.*whole number/s],
    ['an impossible latitude', `${HEADER}\n${ALDGATE.replace('51.513968813644965', '151.5')}\n`, /line 2.*latitude.*outside/s],
    ['an establishment twice', `${HEADER}\n${ALDGATE}\n${ALDGATE}\n`, /line 3.*urn.*also on line 2/s],
    ['a row cut short', `${HEADER}\n${ALDGATE.split(',').slice(0, 10).join(',')}\n`, /line 2.*10 fields but the header has 16/s],
    ['only Welsh establishments', `${HEADER}\n400035,681,Cardiff,1003,Grangetown Nursery School,Welsh establishment,Welsh schools,Not applicable,,,317801,174394,W01001946,W07000091,-3.18,51.47\n`, /all 1 were left out \(Welsh/],
  ])('%s', async (_what, csv, message) => {
    const before = await db.count('establishments');
    await db.rows(sql`update establishments set pupils = 244 where urn = 100000`);
    const error = await importGiasNational(db, Buffer.from(csv)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).report()).toMatch(message);
    expect(await db.count('establishments')).toBe(before);
    expect(await school(100000)).toMatchObject({ pupils: 244, percentage_fsm: 21.7 });
  });
});
