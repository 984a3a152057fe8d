import { sql } from 'drizzle-orm';
import type { SchoolInputs } from '../../domain/similarity/families';
import { INPUTS } from '../../domain/similarity/models';
import type { Database } from '../client';

/** Census measure code → the similar-school input read from it (the inputs of models.ts whose field is a census measure). */
const CENSUS_INPUTS: Record<string, string> = Object.fromEntries(
  Object.entries(INPUTS)
    .filter(([, d]) => d.field.startsWith('census.'))
    .map(([name, d]) => [d.field, name]),
);

export interface FamilyRow {
  urn: number;
  rank: number;
  memberUrn: number;
  distance: number;
  contributions: number[];
}

export interface MemberDetails {
  urn: number;
  name: string;
  laName: string | null;
  regionName: string | null;
  regionCode: string | null;
  phaseName: string | null;
  town: string | null;
  pupils: number | null;
  easting: number | null;
  northing: number | null;
  latitude: number | null;
  longitude: number | null;
}

export interface FamilyBuild {
  model: string;
  builtAt: Date;
  population: number;
  excluded: number;
  scales: string;
  milliseconds: number;
}

/** Similar-school inputs, stored families and the schools' details a family page shows. */
export class FamilyRepository {
  constructor(private readonly database: Database) {}

  /**
   * Every school with similar-school inputs, one entry per dataset (`dfe-primary`, `dfe-secondary`), and a merged
   * entry (`merged`: secondary values first, then primary, then the census inputs of every school the census has) used
   * by the FBIT, census and custom models. GIAS gives region, phase
   * and, where the inputs lack it, the number of pupils.
   */
  async schoolInputs(urns?: readonly number[]): Promise<Record<'dfe-primary' | 'dfe-secondary' | 'merged', SchoolInputs[]>> {
    if (urns && urns.length === 0) return { 'dfe-primary': [], 'dfe-secondary': [], merged: [] };
    const rows = await this.database.rows<{ dataset: string; urn: number; input: string; value: number | null; region: string | null; phase: string | null }>(sql`
      select s.dataset, s.urn, s.input, s.value, e.region_code as region, e.phase_name as phase
      from similarity_inputs s left join establishments e on e.urn = s.urn
      ${urns ? sql`where s.urn in ${[...urns]}` : sql``}
      order by s.urn`);
    const byDataset = new Map<string, Map<number, SchoolInputs>>();
    for (const r of rows) {
      let schools = byDataset.get(r.dataset);
      if (!schools) byDataset.set(r.dataset, (schools = new Map()));
      let school = schools.get(r.urn);
      if (!school) schools.set(r.urn, (school = { urn: r.urn, values: {}, region: r.region, phase: r.phase }));
      school.values[r.input] = r.value;
    }
    const primary = byDataset.get('dfe-primary') ?? new Map<number, SchoolInputs>();
    const secondary = byDataset.get('dfe-secondary') ?? new Map<number, SchoolInputs>();
    const merged = new Map<number, SchoolInputs>();
    for (const source of [primary, secondary]) {
      for (const [urn, s] of source) {
        const values = { ...(merged.get(urn)?.values ?? {}), ...s.values };
        // The two datasets spell the EHC field differently; one name for the models that use both.
        values.PercentageStatementOrEHP = s.values.PercentageStatementOrEHP ?? s.values.PercentageStatementOrEhp ?? values.PercentageStatementOrEHP ?? null;
        const sen = values.PercentSchSupport;
        const ehc = values.PercentageStatementOrEHP;
        values.SENTotal = typeof sen === 'number' && typeof ehc === 'number' ? sen + ehc : null;
        merged.set(urn, { ...s, values });
      }
    }
    // The January census's pupils, FSM % and EAL % (the latest year each school has), for every school with them:
    // schools without DfE inputs join the merged set here.
    const census = await this.database.rows<{ urn: number; measure: string; value: number | null; region: string | null; phase: string | null }>(sql`
      select distinct on (v.entity_code, v.measure) e.urn, v.measure, v.value, e.region_code as region, e.phase_name as phase
      from measure_values v join establishments e on e.urn::text = v.entity_code
      where v.entity_type = 'school' and v.breakdown = 'all' and v.measure in ${Object.keys(CENSUS_INPUTS)}
        ${urns ? sql`and v.entity_code in ${urns.map(String)} and e.urn in ${[...urns]}` : sql``}
      order by v.entity_code, v.measure, v.year desc`);
    for (const r of census) {
      let school = merged.get(r.urn);
      if (!school) merged.set(r.urn, (school = { urn: r.urn, values: {}, region: r.region, phase: r.phase }));
      school.values[CENSUS_INPUTS[r.measure]!] = r.value;
    }
    return { 'dfe-primary': [...primary.values()], 'dfe-secondary': [...secondary.values()], merged: [...merged.values()] };
  }

  /** Replaces a model's stored families in one transaction. */
  async replaceFamilies(model: string, rows: readonly FamilyRow[], build: Omit<FamilyBuild, 'model' | 'builtAt'>): Promise<void> {
    await this.database.db.transaction(async (tx) => {
      await tx.execute(sql`delete from families where model = ${model}`);
      const batch = 20_000;
      for (let start = 0; start < rows.length; start += batch) {
        const part = rows.slice(start, start + batch);
        await tx.execute(sql`
          insert into families (model, urn, rank, member_urn, distance, contributions)
          select ${model}, u, r, m, d, c::float8[]
          from unnest(${sql.param(part.map((x) => x.urn))}::int[], ${sql.param(part.map((x) => x.rank))}::smallint[],
                      ${sql.param(part.map((x) => x.memberUrn))}::int[], ${sql.param(part.map((x) => x.distance))}::float8[],
                      ${sql.param(part.map((x) => `{${x.contributions.join(',')}}`))}::text[]) as t(u, r, m, d, c)`);
      }
      await tx.execute(sql`
        insert into family_builds (model, built_at, population, excluded, scales, milliseconds)
        values (${model}, now(), ${build.population}, ${build.excluded}, ${build.scales}, ${build.milliseconds})
        on conflict (model) do update set built_at = excluded.built_at, population = excluded.population,
          excluded = excluded.excluded, scales = excluded.scales, milliseconds = excluded.milliseconds`);
    });
  }

  async family(model: string, urn: number): Promise<FamilyRow[]> {
    return this.database.rows<FamilyRow>(sql`
      select urn, rank::int as rank, member_urn as "memberUrn", distance, contributions
      from families where model = ${model} and urn = ${urn} order by rank`);
  }

  /** A family's members and distances only (no per-input shares): for callers that need no explanation. */
  async members(model: string, urn: number): Promise<{ memberUrn: number; distance: number }[]> {
    return this.database.rows(sql`select member_urn as "memberUrn", distance from families where model = ${model} and urn = ${urn} order by rank`);
  }

  /** Which models have a stored family for this school. */
  async modelsFor(urn: number): Promise<string[]> {
    // One index probe per model (the primary key starts with model, urn), not a scan of every family.
    const rows = await this.database.rows<{ model: string }>(sql`
      select b.model from family_builds b cross join lateral (select 1 from families f where f.model = b.model and f.urn = ${urn} limit 1) found
      order by b.model`);
    return rows.map((r) => r.model);
  }

  async build(model: string): Promise<FamilyBuild | null> {
    const [row] = await this.database.rows<FamilyBuild>(sql`
      select model, built_at as "builtAt", population, excluded, scales, milliseconds from family_builds where model = ${model}`);
    return row ? { ...row, builtAt: new Date(row.builtAt) } : null;
  }

  async details(urns: readonly number[]): Promise<Map<number, MemberDetails>> {
    if (urns.length === 0) return new Map();
    const rows = await this.database.rows<MemberDetails>(sql`
      select urn, name, la_name as "laName", region_name as "regionName", region_code as "regionCode", phase_name as "phaseName",
             town, pupils, easting, northing, latitude, longitude
      from establishments where urn in ${[...urns]}`);
    return new Map(rows.map((r) => [r.urn, r]));
  }
}
