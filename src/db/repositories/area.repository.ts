import { sql } from 'drizzle-orm';
import type { Database } from '../client';
import { DEFAULT_MODEL_ORDER } from '../../domain/similarity/models';

/** One open school with what the area view needs: context, location, areas and disadvantage. */
export interface AreaSchoolRow {
  urn: number;
  name: string;
  phaseName: string | null;
  pupils: number | null;
  percentageFsm: number | null;
  /** Pupil premium % from the DfE similar-schools inputs (the school's own phase's file first). */
  ppPerc: number | null;
  easting: number | null;
  northing: number | null;
  gssLaCode: string | null;
  laCode: string | null;
  districtCode: string | null;
  regionCode: string | null;
  urbanRuralName: string | null;
  trustUid: string | null;
  trustName: string | null;
  federationUid: string | null;
}

export interface CollaborationCounts {
  partnerships: number;
  networks: number;
  supports: number;
  caseStudies: number;
}

export interface OfferRow {
  id: string;
  title: string;
  organisationName: string;
  organisationKind: string;
  themes: string[];
  mode: string;
  placesLeft: number;
  easting: number | null;
  northing: number | null;
}

/** Reads for the area view (need against collaboration). Everything is read in bulk; the service computes and caches. */
export class AreaRepository {
  constructor(private readonly database: Database) {}

  /** Open schools (status "Open" or "Open, but proposed to close"). */
  schools(): Promise<AreaSchoolRow[]> {
    return this.database.rows<AreaSchoolRow>(sql`
      select e.urn, e.name, e.phase_name as "phaseName", e.pupils, e.percentage_fsm as "percentageFsm",
        coalesce(
          case when e.phase_name ilike 'secondary%' or e.phase_name ilike '%16 plus%' then sec.value else pri.value end,
          sec.value, pri.value) as "ppPerc",
        e.easting, e.northing, e.gss_la_code as "gssLaCode", e.la_code as "laCode", e.district_code as "districtCode",
        e.region_code as "regionCode", e.urban_rural_name as "urbanRuralName", e.trust_uid as "trustUid", e.trust_name as "trustName",
        e.federation_uid as "federationUid"
      from establishments e
      left join similarity_inputs sec on sec.dataset = 'dfe-secondary' and sec.urn = e.urn and sec.input = 'PPPerc'
      left join similarity_inputs pri on pri.dataset = 'dfe-primary' and pri.urn = e.urn and pri.input = 'PPPerc'
      where e.status_name like 'Open%'
      order by e.urn`);
  }

  /**
   * Active collaborations per school (URN) since a date: partnerships with an activity since then, networks with a
   * meeting since then, agreed support given or received that was open at some point since then, and published case
   * studies (of any date: a published study stays on the shelf).
   */
  async collaborations(since: string): Promise<Map<number, CollaborationCounts>> {
    const rows = await this.database.rows<{ urn: number; kind: keyof CollaborationCounts; n: number }>(sql`
      select o.urn, 'partnerships' as kind, count(distinct pm.partnership_id)::int as n
      from partnership_members pm join organisations o on o.id = pm.organisation_id
      where o.urn is not null and exists (select 1 from partnership_activities a where a.partnership_id = pm.partnership_id and a.happened_on >= ${since}::date)
      group by o.urn
      union all
      select o.urn, 'networks', count(distinct nm.network_id)::int
      from network_members nm join organisations o on o.id = nm.organisation_id
      where o.urn is not null and exists (select 1 from network_meetings m where m.network_id = nm.network_id and m.held_on >= ${since}::date)
      group by o.urn
      union all
      select o.urn, 'supports', count(distinct s.id)::int
      from supports s
      join needs n on n.id = s.need_id
      join offers f on f.id = s.offer_id
      join organisations o on o.id in (n.organisation_id, f.organisation_id)
      where o.urn is not null and s.starts_on <= current_date and (s.status = 'agreed' or s.closed_at >= ${since}::date)
      group by o.urn
      union all
      select c.urn, 'caseStudies', count(*)::int
      from case_studies c where c.urn is not null and c.status = 'published'
      group by c.urn`);
    const out = new Map<number, CollaborationCounts>();
    for (const r of rows) {
      let counts = out.get(r.urn);
      if (!counts) out.set(r.urn, (counts = { partnerships: 0, networks: 0, supports: 0, caseStudies: 0 }));
      counts[r.kind] = r.n;
    }
    return out;
  }

  /** Open offers with places left, located at their organisation (a school's location from GIAS when the organisation has none). */
  offers(): Promise<OfferRow[]> {
    return this.database.rows<OfferRow>(sql`
      select f.id, f.title, o.name as "organisationName", o.kind as "organisationKind", f.themes, f.mode,
        (f.capacity - f.places_taken)::int as "placesLeft",
        coalesce(o.easting, e.easting) as easting, coalesce(o.northing, e.northing) as northing
      from offers f join organisations o on o.id = f.organisation_id left join establishments e on e.urn = o.urn
      where f.status = 'open' and f.capacity > f.places_taken and f.visibility = 'public'
      order by f.id`);
  }

  /** Each school's family members under its default model (the first of DEFAULT_MODEL_ORDER it has), nearest first. */
  async familyMembers(): Promise<Map<number, number[]>> {
    const rows = await this.database.rows<{ urn: number; members: number[] }>(sql`
      select f.urn, array_agg(f.member_urn order by f.rank) as members
      from families f
      join (
        select distinct on (urn) urn, model from families where rank = 1
        order by urn, array_position(${sql.param([...DEFAULT_MODEL_ORDER])}::text[], model)
      ) m on m.urn = f.urn and m.model = f.model
      group by f.urn`);
    return new Map(rows.map((r) => [r.urn, r.members]));
  }

  /** Every school's values of the given measures for every year (for the areas' trends). */
  schoolSeries(measures: readonly string[]): Promise<{ urn: number; measure: string; year: number; value: number }[]> {
    return this.database.rows(sql`
      select entity_code::int as urn, measure, year::int as year, value from measure_values
      where entity_type = 'school' and measure in ${[...measures]} and value is not null and entity_code ~ '^[0-9]+$'`);
  }

  /**
   * Changes when anything the view counts changes: memberships, activities, meetings, supports, published studies,
   * offers. Counts catch deletions; maximum timestamps catch edits (a study is never deleted: publishing or withdrawing
   * it moves its updated_at). One round trip of index probes and counts of small tables.
   */
  async collaborationVersion(): Promise<string> {
    const [row] = await this.database.rows<{ v: string }>(sql`
      select concat_ws('|',
        (select count(*) from partnership_members), (select count(*) from partnership_activities), (select max(created_at) from partnership_activities),
        (select count(*) from network_members), (select count(*) from network_meetings), (select max(created_at) from network_meetings),
        (select count(*) from supports), (select max(coalesce(closed_at, created_at)) from supports),
        (select max(updated_at) from case_studies),
        (select count(*) from offers), (select max(updated_at) from offers),
        (select count(*) from organisations), current_date) as v`);
    return row!.v;
  }
}
