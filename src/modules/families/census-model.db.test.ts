import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database';
import { FamiliesService } from './families.service';

/**
 * The census model gives a family, and so a data pack, to a school the DfE similar-schools data does not cover: the
 * national instance holds the census for every school but DfE inputs for none. Here one sample school loses its DfE
 * inputs (this test's own database) and keeps its census measures.
 */
let db: TestDatabase;
let service: FamiliesService;
let urn: number;

beforeAll(async () => {
  db = await createTestDatabase({ sample: true });
  // A school with census measures and absence figures, among those with DfE inputs (so it is a real sample school).
  const [row] = await db.rows<{ urn: number }>(sql`
    select e.urn from establishments e
    where exists (select 1 from measure_values v where v.entity_type = 'school' and v.entity_code = e.urn::text and v.measure = 'census.fsm' and v.value is not null)
      and exists (select 1 from measure_values v where v.entity_type = 'school' and v.entity_code = e.urn::text and v.measure = 'absence.overall' and v.value is not null)
      and exists (select 1 from similarity_inputs s where s.urn = e.urn)
    order by e.urn limit 1`);
  urn = row!.urn;
  await db.rows(sql`delete from similarity_inputs where urn = ${urn}`);
  service = new FamiliesService(db);
  await service.rebuild();
}, 120_000);
afterAll(async () => db.close());

describe('census comparators (census-pupil)', () => {
  it('is the default model of a school without DfE inputs, and the DfE models say it is outside them', async () => {
    expect(await service.defaultModel(urn)).toBe('census-pupil');
    const dfe = await service.family(urn, 'dfe-primary');
    expect('reason' in dfe).toBe(true);
  });

  it('gives that school a family of 29 from the census, each member with its census inputs and reasons', async () => {
    const family = await service.family(urn, 'census-pupil');
    if ('reason' in family) throw new Error(family.reason);
    expect(family.members).toHaveLength(29);
    expect(family.model.inputs.map((i) => i.name)).toEqual(['CensusPupils', 'CensusFSM', 'CensusEAL']);
    expect(Object.values(family.inputs).every((v) => v !== null)).toBe(true);
    const [censusFsm] = await db.rows<{ value: number }>(sql`
      select value from measure_values where entity_type = 'school' and entity_code = ${String(urn)} and measure = 'census.fsm' order by year desc limit 1`);
    expect(family.inputs.CensusFSM).toBe(censusFsm!.value);
    for (const m of family.members) {
      expect(Object.keys(m.inputs)).toEqual(['CensusPupils', 'CensusFSM', 'CensusEAL']);
      expect(m.inputs.CensusPupils).not.toBeNull();
    }
  });

  it('gives it a data pack that puts its absence beside its census family', async () => {
    const pack = await service.dataPack(urn, 'census-pupil');
    if ('reason' in pack) throw new Error(pack.reason);
    const absence = pack.measures.find((m) => m.measure.code === 'absence.overall')!;
    const [own] = await db.rows<{ value: number }>(sql`
      select value from measure_values where entity_type = 'school' and entity_code = ${String(urn)} and measure = 'absence.overall' order by year desc limit 1`);
    expect(absence.school.value).toBe(own!.value);
    expect(absence.standing.membersWithValue).toBeGreaterThan(10);
    expect(absence.standing.rank).not.toBeNull();
  });
});
