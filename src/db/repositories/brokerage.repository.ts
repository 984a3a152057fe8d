import { sql, type SQL } from 'drizzle-orm';
import type { Database, Db } from '../client';

export interface Need {
  id: string;
  organisationId: string;
  organisationName: string;
  organisationKind: string;
  urn: number | null;
  laCode: string | null;
  laName: string | null;
  easting: number | null;
  northing: number | null;
  createdBy: string | null;
  title: string;
  description: string;
  theme: string;
  measures: string[];
  phase: string;
  kinds: string[];
  timeFrame: string;
  urgency: 'low' | 'medium' | 'high';
  visibility: 'facilitators' | 'named' | 'members' | 'public';
  visibleTo: string[];
  visibleToNames: string[];
  status: 'open' | 'closed';
  demonstration: boolean;
  createdAt: Date;
}

export interface Offer {
  id: string;
  organisationId: string;
  organisationName: string;
  organisationKind: string;
  urn: number | null;
  laCode: string | null;
  laName: string | null;
  easting: number | null;
  northing: number | null;
  designations: string[];
  createdBy: string | null;
  title: string;
  description: string;
  themes: string[];
  kinds: string[];
  phases: string[];
  capacity: number;
  placesTaken: number;
  placesLeft: number;
  mode: 'in-person' | 'remote' | 'both';
  radiusKm: number | null;
  cost: 'free' | 'cost-recovery';
  visibility: 'public' | 'members';
  status: 'open' | 'closed';
  demonstration: boolean;
  createdAt: Date;
}

/** The few columns matching needs about an offer (reading whole rows of thousands of offers is the slow part). */
export type OfferCandidate = Pick<
  Offer,
  'id' | 'title' | 'organisationId' | 'organisationName' | 'organisationKind' | 'urn' | 'easting' | 'northing' | 'designations' | 'themes' | 'kinds' | 'phases' | 'placesLeft' | 'mode' | 'radiusKm' | 'visibility' | 'status'
>;

/** What `needForMatching` reads in one round trip. */
export interface NeedForMatching {
  need: Need;
  /** As `offersVersion`. */
  offersVersion: string;
  /** As `ImportRunRepository.dataVersion`. */
  dataVersion: number;
  /** As `caseStudyCounts(need.theme)`. */
  caseStudyCounts: Map<string, number>;
  /** The need's organisation's families by model (as `FamilyRepository.members`; none when it is not a school), with the model's stored scales. */
  families: Map<string, { scales: string; members: { memberUrn: number; distance: number }[] }>;
}

export interface Introduction {
  id: string;
  needId: string;
  offerId: string;
  needTitle: string;
  offerTitle: string;
  needOrganisationId: string;
  needOrganisationName: string;
  offerOrganisationId: string;
  offerOrganisationName: string;
  requestedBy: 'need' | 'offer' | 'facilitator';
  requestedByUser: string | null;
  message: string;
  status: 'requested' | 'accepted' | 'declined' | 'completed';
  declineReason: string | null;
  declineNote: string | null;
  respondedAt: Date | null;
  supportId: string | null;
  demonstration: boolean;
  createdAt: Date;
}

export interface Objective {
  text: string;
  measure: string | null;
}

export interface Contact {
  side: 'need' | 'offer';
  userId: string | null;
  name: string;
  email: string;
}

export interface Support {
  id: string;
  introductionId: string;
  needId: string;
  offerId: string;
  needTitle: string;
  offerTitle: string;
  needOrganisationId: string;
  needOrganisationName: string;
  needUrn: number | null;
  offerOrganisationId: string;
  offerOrganisationName: string;
  objectives: Objective[];
  startsOn: string;
  endsOn: string;
  contacts: Contact[];
  status: 'agreed' | 'closed';
  reflection: string | null;
  closedAt: Date | null;
  lastReviewAt: Date | null;
  demonstration: boolean;
  createdAt: Date;
}

export interface Review {
  id: string;
  term: string;
  rating: 'green' | 'amber' | 'red';
  notes: string;
  authorName: string | null;
  createdAt: Date;
}

export interface Notification {
  id: string;
  text: string;
  link: string;
  readAt: Date | null;
  createdAt: Date;
}

/** Who is asking for lists: which needs and offers they may see (the policy's rules, as SQL). */
export interface Viewer {
  signedIn: boolean;
  isFacilitator: boolean;
  organisationIds: readonly string[];
}

export interface ListFilter {
  theme?: string | undefined;
  kind?: string | undefined;
  phase?: string | undefined;
  laCode?: string | undefined;
  status?: 'open' | 'closed' | 'all' | undefined;
  organisationId?: string | undefined;
}

const NEED_SELECT = sql`
  n.id, n.organisation_id as "organisationId", o.name as "organisationName", o.kind as "organisationKind", o.urn,
  coalesce(e.la_code, o.la_code) as "laCode", e.la_name as "laName",
  coalesce(e.easting, o.easting) as easting, coalesce(e.northing, o.northing) as northing,
  n.created_by as "createdBy", n.title, n.description, n.theme, n.measures, n.phase, n.kinds, n.time_frame as "timeFrame",
  n.urgency, n.visibility, n.status, n.demonstration, n.created_at as "createdAt",
  coalesce((select array_agg(v.organisation_id::text order by v.organisation_id) from need_visible_to v where v.need_id = n.id), '{}') as "visibleTo",
  coalesce((select array_agg(vo.name order by vo.name) from need_visible_to v join organisations vo on vo.id = v.organisation_id where v.need_id = n.id), '{}') as "visibleToNames"`;
const NEED_FROM = sql`needs n join organisations o on o.id = n.organisation_id left join establishments e on e.urn = o.urn`;

const OFFER_SELECT = sql`
  f.id, f.organisation_id as "organisationId", o.name as "organisationName", o.kind as "organisationKind", o.urn,
  coalesce(e.la_code, o.la_code) as "laCode", e.la_name as "laName",
  coalesce(e.easting, o.easting) as easting, coalesce(e.northing, o.northing) as northing, o.designations,
  f.created_by as "createdBy", f.title, f.description, f.themes, f.kinds, f.phases, f.capacity, f.places_taken as "placesTaken",
  f.capacity - f.places_taken as "placesLeft", f.mode, f.radius_km as "radiusKm", f.cost, f.visibility, f.status, f.demonstration,
  f.created_at as "createdAt"`;
const OFFER_FROM = sql`offers f join organisations o on o.id = f.organisation_id left join establishments e on e.urn = o.urn`;

const INTRODUCTION_SELECT = sql`
  i.id, i.need_id as "needId", i.offer_id as "offerId", n.title as "needTitle", f.title as "offerTitle",
  n.organisation_id as "needOrganisationId", no.name as "needOrganisationName",
  f.organisation_id as "offerOrganisationId", fo.name as "offerOrganisationName",
  i.requested_by as "requestedBy", i.requested_by_user as "requestedByUser", i.message, i.status,
  i.decline_reason as "declineReason", i.decline_note as "declineNote", i.responded_at as "respondedAt",
  (select s.id from supports s where s.introduction_id = i.id) as "supportId", i.demonstration, i.created_at as "createdAt"`;
const INTRODUCTION_FROM = sql`introductions i join needs n on n.id = i.need_id join offers f on f.id = i.offer_id
  join organisations no on no.id = n.organisation_id join organisations fo on fo.id = f.organisation_id`;

const SUPPORT_SELECT = sql`
  s.id, s.introduction_id as "introductionId", s.need_id as "needId", s.offer_id as "offerId", n.title as "needTitle", f.title as "offerTitle",
  n.organisation_id as "needOrganisationId", no.name as "needOrganisationName", no.urn as "needUrn",
  f.organisation_id as "offerOrganisationId", fo.name as "offerOrganisationName",
  s.objectives, s.starts_on::text as "startsOn", s.ends_on::text as "endsOn", s.contacts, s.status, s.reflection, s.closed_at as "closedAt",
  (select max(r.created_at) from support_reviews r where r.support_id = s.id) as "lastReviewAt", s.demonstration, s.created_at as "createdAt"`;
const SUPPORT_FROM = sql`supports s join needs n on n.id = s.need_id join offers f on f.id = s.offer_id
  join organisations no on no.id = n.organisation_id join organisations fo on fo.id = f.organisation_id`;

const toDate = (v: unknown) => (v == null ? null : new Date(v as string));
const need = (r: Need): Need => ({ ...r, createdAt: new Date(r.createdAt) });
const offer = (r: Offer): Offer => ({ ...r, createdAt: new Date(r.createdAt) });
const introduction = (r: Introduction): Introduction => ({ ...r, respondedAt: toDate(r.respondedAt), createdAt: new Date(r.createdAt) });
const support = (r: Support): Support => ({ ...r, closedAt: toDate(r.closedAt), lastReviewAt: toDate(r.lastReviewAt), createdAt: new Date(r.createdAt) });

const ids = (xs: readonly string[]) => sql`${sql.param([...xs])}::uuid[]`;

/** Introductions and supports where one of the organisations is on either side (`n`: the need, `f`: the offer). */
function eitherSide(organisationIds: readonly string[] | 'all'): SQL {
  if (organisationIds === 'all') return sql`true`;
  if (organisationIds.length === 0) return sql`false`;
  return sql`(n.organisation_id = any(${ids(organisationIds)}) or f.organisation_id = any(${ids(organisationIds)}))`;
}

/** The policy's visibility rules for needs, as a SQL condition (kept beside `can` in domain/access/policy.ts). */
export function needVisibleSql(viewer: Viewer): SQL {
  if (viewer.isFacilitator) return sql`true`;
  const own = viewer.organisationIds.length ? sql`n.organisation_id = any(${ids(viewer.organisationIds)})` : sql`false`;
  const named = viewer.organisationIds.length
    ? sql`(n.visibility = 'named' and exists (select 1 from need_visible_to v where v.need_id = n.id and v.organisation_id = any(${ids(viewer.organisationIds)})))`
    : sql`false`;
  const open = viewer.signedIn ? sql`n.visibility in ('public', 'members')` : sql`n.visibility = 'public'`;
  return sql`(${own} or (n.status = 'open' and (${open} or ${named})))`;
}

export function offerVisibleSql(viewer: Viewer): SQL {
  if (viewer.isFacilitator) return sql`true`;
  const own = viewer.organisationIds.length ? sql`f.organisation_id = any(${ids(viewer.organisationIds)})` : sql`false`;
  const open = viewer.signedIn ? sql`f.visibility in ('public', 'members')` : sql`f.visibility = 'public'`;
  return sql`(${own} or (f.status = 'open' and ${open}))`;
}

function filters(alias: 'n' | 'f', f: ListFilter): SQL[] {
  const where: SQL[] = [];
  const a = sql.raw(alias);
  const status = f.status ?? 'open';
  if (status !== 'all') where.push(sql`${a}.status = ${status}`);
  if (f.theme) where.push(alias === 'n' ? sql`n.theme = ${f.theme}` : sql`${f.theme} = any(f.themes)`);
  if (f.kind) where.push(sql`${f.kind} = any(${a}.kinds)`);
  if (f.phase) where.push(alias === 'n' ? sql`n.phase = ${f.phase}` : sql`${f.phase} = any(f.phases)`);
  if (f.laCode) where.push(sql`coalesce(e.la_code, o.la_code) = ${f.laCode}`);
  if (f.organisationId) where.push(sql`${a}.organisation_id = ${f.organisationId}`);
  return where;
}

/** Needs, offers, introductions, supports, reviews and the inbox. */
export class BrokerageRepository {
  constructor(private readonly database: Database) {}

  private get db(): Db {
    return this.database.db;
  }

  /** Runs `work` in one transaction with a repository bound to it. */
  transaction<T>(work: (repo: BrokerageRepository) => Promise<T>): Promise<T> {
    return this.database.db.transaction((tx) =>
      work(new BrokerageRepository({ ...this.database, db: tx as unknown as Db, rows: async (q) => ((await tx.execute(q)) as unknown as { rows: never[] }).rows })),
    );
  }

  // Needs

  async createNeed(input: Omit<Need, 'id' | 'organisationName' | 'organisationKind' | 'urn' | 'laCode' | 'laName' | 'easting' | 'northing' | 'visibleToNames' | 'status' | 'createdAt'>): Promise<string> {
    return this.transaction(async (repo) => {
      const [row] = await repo.database.rows<{ id: string }>(sql`
        insert into needs (organisation_id, created_by, title, description, theme, measures, phase, kinds, time_frame, urgency, visibility, demonstration)
        values (${input.organisationId}, ${input.createdBy}, ${input.title}, ${input.description}, ${input.theme}, ${sql.param(input.measures)}::text[],
                ${input.phase}, ${sql.param(input.kinds)}::text[], ${input.timeFrame}, ${input.urgency}, ${input.visibility}, ${input.demonstration})
        returning id`);
      for (const organisationId of input.visibility === 'named' ? input.visibleTo : []) {
        await repo.database.rows(sql`insert into need_visible_to (need_id, organisation_id) values (${row!.id}, ${organisationId}) on conflict do nothing`);
      }
      return row!.id;
    });
  }

  async need(id: string): Promise<Need | null> {
    const [row] = await this.database.rows<Need>(sql`select ${NEED_SELECT} from ${NEED_FROM} where n.id = ${id}`);
    return row ? need(row) : null;
  }

  /**
   * A need with everything ranking its offers reads that is not kept in memory, in one round trip (on the embedded
   * database each query costs about 2 ms): the offers' version, the data version, published case studies on its
   * theme per organisation, and its school's stored families (with each model's scales), one per model.
   */
  async needForMatching(id: string): Promise<NeedForMatching | null> {
    const [row] = await this.database.rows<Need & { offersVersion: string | null; dataVersion: number; caseStudyCounts: string; families: string }>(sql`
      select ${NEED_SELECT},
        (select max(updated_at)::text from offers) as "offersVersion",
        (select coalesce(max(id), 0)::int from import_runs where status = 'succeeded') as "dataVersion",
        (select coalesce(json_agg(json_build_array(c.organisation_id, c.k)), '[]')::text
           from (select organisation_id, count(*)::int as k from case_studies
                 where status = 'published' and themes @> array[n.theme]::text[] group by organisation_id) c) as "caseStudyCounts",
        (select coalesce(json_agg(json_build_array(b.model, b.scales, m.members) order by b.model), '[]')::text
           from family_builds b
           cross join lateral (select json_agg(json_build_array(f.member_urn, f.distance) order by f.rank) as members
                               from families f where f.model = b.model and f.urn = o.urn) m
           where m.members is not null) as "families"
      from ${NEED_FROM} where n.id = ${id}`);
    if (!row) return null;
    const { offersVersion, dataVersion, caseStudyCounts, families, ...rest } = row;
    return {
      need: need(rest as Need),
      offersVersion: offersVersion ?? '',
      dataVersion: Number(dataVersion),
      caseStudyCounts: new Map(JSON.parse(caseStudyCounts) as [string, number][]),
      families: new Map(
        (JSON.parse(families) as [string, string, [number, number][]][]).map(([model, scales, members]) => [model, { scales, members: members.map(([memberUrn, distance]) => ({ memberUrn, distance })) }]),
      ),
    };
  }

  async needs(viewer: Viewer, f: ListFilter = {}, limit = 500): Promise<Need[]> {
    const where = [needVisibleSql(viewer), ...filters('n', f)];
    const rows = await this.database.rows<Need>(sql`select ${NEED_SELECT} from ${NEED_FROM} where ${sql.join(where, sql` and `)} order by n.created_at desc, n.id limit ${limit}`);
    return rows.map(need);
  }

  async updateNeed(id: string, input: Pick<Need, 'title' | 'description' | 'theme' | 'measures' | 'phase' | 'kinds' | 'timeFrame' | 'urgency' | 'visibility' | 'visibleTo'>): Promise<void> {
    await this.transaction(async (repo) => {
      await repo.database.rows(sql`
        update needs set title = ${input.title}, description = ${input.description}, theme = ${input.theme}, measures = ${sql.param(input.measures)}::text[],
          phase = ${input.phase}, kinds = ${sql.param(input.kinds)}::text[], time_frame = ${input.timeFrame}, urgency = ${input.urgency},
          visibility = ${input.visibility}, updated_at = clock_timestamp()
        where id = ${id}`);
      await repo.database.rows(sql`delete from need_visible_to where need_id = ${id}`);
      for (const organisationId of input.visibility === 'named' ? input.visibleTo : []) {
        await repo.database.rows(sql`insert into need_visible_to (need_id, organisation_id) values (${id}, ${organisationId}) on conflict do nothing`);
      }
    });
  }

  async setNeedStatus(id: string, status: 'open' | 'closed'): Promise<void> {
    await this.database.rows(sql`update needs set status = ${status}, updated_at = clock_timestamp() where id = ${id}`);
  }

  /** Open needs on any of the themes, for an offer's match list (visibility applied by the caller's viewer). */
  async openNeedsFor(viewer: Viewer, themes: readonly string[], kinds: readonly string[]): Promise<Need[]> {
    const rows = await this.database.rows<Need>(sql`
      select ${NEED_SELECT} from ${NEED_FROM}
      where n.status = 'open' and n.theme = any(${sql.param([...themes])}::text[]) and n.kinds && ${sql.param([...kinds])}::text[] and ${needVisibleSql(viewer)}`);
    return rows.map(need);
  }

  // Offers

  async createOffer(input: Pick<Offer, 'organisationId' | 'createdBy' | 'title' | 'description' | 'themes' | 'kinds' | 'phases' | 'capacity' | 'mode' | 'radiusKm' | 'cost' | 'visibility' | 'demonstration'>): Promise<string> {
    const [row] = await this.database.rows<{ id: string }>(sql`
      insert into offers (organisation_id, created_by, title, description, themes, kinds, phases, capacity, mode, radius_km, cost, visibility, demonstration)
      values (${input.organisationId}, ${input.createdBy}, ${input.title}, ${input.description}, ${sql.param(input.themes)}::text[], ${sql.param(input.kinds)}::text[],
              ${sql.param(input.phases)}::text[], ${input.capacity}, ${input.mode}, ${input.radiusKm}, ${input.cost}, ${input.visibility}, ${input.demonstration})
      returning id`);
    return row!.id;
  }

  async offer(id: string): Promise<Offer | null> {
    const [row] = await this.database.rows<Offer>(sql`select ${OFFER_SELECT} from ${OFFER_FROM} where f.id = ${id}`);
    return row ? offer(row) : null;
  }

  async offers(viewer: Viewer, f: ListFilter = {}, limit = 500): Promise<Offer[]> {
    const where = [offerVisibleSql(viewer), ...filters('f', f)];
    const rows = await this.database.rows<Offer>(sql`select ${OFFER_SELECT} from ${OFFER_FROM} where ${sql.join(where, sql` and `)} order by f.created_at desc, f.id limit ${limit}`);
    return rows.map(offer);
  }

  /** Saves an offer's terms; false (nothing written) when the new capacity is below the places already taken. */
  async updateOffer(id: string, input: Pick<Offer, 'title' | 'description' | 'themes' | 'kinds' | 'phases' | 'capacity' | 'mode' | 'radiusKm' | 'cost' | 'visibility'>): Promise<boolean> {
    const rows = await this.database.rows(sql`
      update offers set title = ${input.title}, description = ${input.description}, themes = ${sql.param(input.themes)}::text[], kinds = ${sql.param(input.kinds)}::text[],
        phases = ${sql.param(input.phases)}::text[], capacity = ${input.capacity}, mode = ${input.mode}, radius_km = ${input.radiusKm}, cost = ${input.cost},
        visibility = ${input.visibility}, updated_at = clock_timestamp()
      where id = ${id} and places_taken <= ${input.capacity} returning id`);
    return rows.length === 1;
  }

  async setOfferStatus(id: string, status: 'open' | 'closed'): Promise<void> {
    await this.database.rows(sql`update offers set status = ${status}, updated_at = clock_timestamp() where id = ${id}`);
  }

  /** Open offers with a place left that could fit a need: on its theme, giving a kind of help it asks for. */
  /** Changes whenever an offer is added or changes (status, places): the version of `openOfferCandidates`. */
  async offersVersion(): Promise<string> {
    const [row] = await this.database.rows<{ v: string | null }>(sql`select max(updated_at)::text as v from offers`);
    return row?.v ?? '';
  }

  /**
   * Every open offer with a place left, with the few columns matching needs (reading whole rows of thousands of
   * offers is the slow part; arrays travel as text because parsing thousands of array values costs more than the
   * query on PGlite). The service keeps them in memory until `offersVersion` changes.
   */
  async openOfferCandidates(): Promise<OfferCandidate[]> {
    const rows = await this.database.rows<Record<string, unknown>>(sql`
      select f.id, f.title, f.organisation_id as "organisationId", o.name as "organisationName", o.kind as "organisationKind", o.urn,
             coalesce(e.easting, o.easting) as easting, coalesce(e.northing, o.northing) as northing,
             array_to_string(o.designations, ',') as designations, array_to_string(f.themes, ',') as themes, array_to_string(f.kinds, ',') as kinds,
             array_to_string(f.phases, ',') as phases, f.capacity - f.places_taken as "placesLeft", f.mode, f.radius_km as "radiusKm", f.visibility, f.status
      from ${OFFER_FROM}
      where f.status = 'open' and f.places_taken < f.capacity`);
    const split = (v: unknown) => (typeof v === 'string' && v ? v.split(',') : []);
    return rows.map((r) => ({ ...r, designations: split(r.designations), themes: split(r.themes), kinds: split(r.kinds), phases: split(r.phases) }) as unknown as OfferCandidate);
  }



  /** Published case studies on a theme, per organisation (every organisation that has one). */
  async caseStudyCounts(theme: string): Promise<Map<string, number>> {
    const rows = await this.database.rows<{ id: string; n: number }>(sql`
      select organisation_id as id, count(*)::int as n from case_studies
      where status = 'published' and themes @> array[${theme}]::text[]
      group by organisation_id`);
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  // Introductions

  /** Records a request; a live request for the same pair already exists → null (nothing written). */
  async createIntroduction(input: { needId: string; offerId: string; requestedBy: 'need' | 'offer' | 'facilitator'; requestedByUser: string | null; message: string; demonstration?: boolean }): Promise<string | null> {
    const rows = await this.database.rows<{ id: string }>(sql`
      insert into introductions (need_id, offer_id, requested_by, requested_by_user, message, demonstration)
      values (${input.needId}, ${input.offerId}, ${input.requestedBy}, ${input.requestedByUser}, ${input.message}, ${input.demonstration ?? false})
      on conflict (need_id, offer_id) where status in ('requested', 'accepted') do nothing
      returning id`);
    return rows[0]?.id ?? null;
  }

  async introduction(id: string): Promise<Introduction | null> {
    const [row] = await this.database.rows<Introduction>(sql`select ${INTRODUCTION_SELECT} from ${INTRODUCTION_FROM} where i.id = ${id}`);
    return row ? introduction(row) : null;
  }

  async introductionsFor(organisationIds: readonly string[] | 'all', extra: SQL = sql`true`): Promise<Introduction[]> {
    const who = eitherSide(organisationIds);
    const rows = await this.database.rows<Introduction>(sql`select ${INTRODUCTION_SELECT} from ${INTRODUCTION_FROM} where ${who} and ${extra} order by i.created_at desc, i.id`);
    return rows.map(introduction);
  }

  async introductionsWaitingLongerThan(days: number): Promise<Introduction[]> {
    return this.introductionsFor('all', sql`i.status = 'requested' and i.created_at < now() - make_interval(days => ${days})`);
  }

  async decline(id: string, userId: string, reason: string, note: string): Promise<boolean> {
    const rows = await this.database.rows(sql`
      update introductions set status = 'declined', decline_reason = ${reason}, decline_note = ${note}, responded_by = ${userId}, responded_at = now()
      where id = ${id} and status = 'requested' returning id`);
    return rows.length === 1;
  }

  /**
   * Accepts and agrees the support in one transaction: the introduction must still be requested and the offer must
   * have a place left (taken atomically: of two concurrent accepts for the last place exactly one wins). Returns the
   * support's id, or why not; on failure nothing is written.
   */
  async accept(input: { introductionId: string; userId: string; objectives: Objective[]; startsOn: string; endsOn: string; contacts: Contact[]; demonstration?: boolean }): Promise<{ supportId: string } | { failed: 'not-requested' | 'no-capacity' | 'closed' }> {
    const outcome = await this.transaction(async (repo) => {
      const [intro] = await repo.database.rows<{ id: string; needId: string; offerId: string }>(sql`
        update introductions set status = 'accepted', responded_by = ${input.userId}, responded_at = now()
        where id = ${input.introductionId} and status = 'requested' returning id, need_id as "needId", offer_id as "offerId"`);
      if (!intro) return { failed: 'not-requested' as const };
      const [open] = await repo.database.rows<{ need: string; offer: string }>(sql`
        select (select status from needs where id = ${intro.needId} for update) as need, (select status from offers where id = ${intro.offerId}) as offer`);
      if (open?.need !== 'open' || open.offer !== 'open') throw new Closed();
      const taken = await repo.database.rows(sql`
        update offers set places_taken = places_taken + 1, updated_at = clock_timestamp() where id = ${intro.offerId} and status = 'open' and places_taken < capacity returning id`);
      if (taken.length === 0) throw new NoCapacity();
      const [row] = await repo.database.rows<{ id: string }>(sql`
        insert into supports (introduction_id, need_id, offer_id, objectives, starts_on, ends_on, contacts, demonstration)
        values (${intro.id}, ${intro.needId}, ${intro.offerId}, ${JSON.stringify(input.objectives)}::jsonb, ${input.startsOn}, ${input.endsOn}, ${JSON.stringify(input.contacts)}::jsonb, ${input.demonstration ?? false})
        returning id`);
      return { supportId: row!.id };
    }).catch((e: unknown) => {
      if (e instanceof NoCapacity) return { failed: 'no-capacity' as const };
      if (e instanceof Closed) return { failed: 'closed' as const };
      throw e;
    });
    return outcome;
  }

  // Supports

  async support(id: string): Promise<Support | null> {
    const [row] = await this.database.rows<Support>(sql`select ${SUPPORT_SELECT} from ${SUPPORT_FROM} where s.id = ${id}`);
    return row ? support(row) : null;
  }

  async supportsFor(organisationIds: readonly string[] | 'all', extra: SQL = sql`true`): Promise<Support[]> {
    const who = eitherSide(organisationIds);
    const rows = await this.database.rows<Support>(sql`select ${SUPPORT_SELECT} from ${SUPPORT_FROM} where ${who} and ${extra} order by s.created_at desc, s.id`);
    return rows.map(support);
  }

  /** Agreed supports whose last review (or start) is more than `days` ago. */
  async supportsDueForReview(days: number): Promise<Support[]> {
    return this.supportsFor('all', sql`s.status = 'agreed' and coalesce((select max(r.created_at) from support_reviews r where r.support_id = s.id), s.starts_on::timestamptz) < now() - make_interval(days => ${days})`);
  }

  async reviews(supportId: string): Promise<Review[]> {
    const rows = await this.database.rows<Review>(sql`
      select r.id, r.term, r.rating, r.notes, u.display_name as "authorName", r.created_at as "createdAt"
      from support_reviews r left join users u on u.id = r.created_by where r.support_id = ${supportId} order by r.created_at, r.id`);
    return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
  }

  async addReview(input: { supportId: string; term: string; rating: string; notes: string; createdBy: string | null }): Promise<void> {
    await this.database.rows(sql`insert into support_reviews (support_id, term, rating, notes, created_by) values (${input.supportId}, ${input.term}, ${input.rating}, ${input.notes}, ${input.createdBy})`);
  }

  /** Closes a support and gives its place back to the offer, in one transaction; false if it was not open. */
  async close(id: string, reflection: string): Promise<boolean> {
    return this.transaction(async (repo) => {
      const [row] = await repo.database.rows<{ offerId: string }>(sql`
        update supports set status = 'closed', reflection = ${reflection}, closed_at = now() where id = ${id} and status = 'agreed' returning offer_id as "offerId"`);
      if (!row) return false;
      await repo.database.rows(sql`update offers set places_taken = greatest(places_taken - 1, 0), updated_at = clock_timestamp() where id = ${row.offerId}`);
      // The introduction is done: the same need and offer may be introduced again later.
      await repo.database.rows(sql`update introductions set status = 'completed' where id = (select introduction_id from supports where id = ${id})`);
      return true;
    });
  }

  // Facilitator lists

  /** Open needs with no live introduction (requested or accepted). */
  async unmatchedNeeds(f: ListFilter): Promise<Need[]> {
    const where = [sql`n.status = 'open'`, sql`not exists (select 1 from introductions i where i.need_id = n.id and i.status in ('requested', 'accepted'))`, ...filters('n', { ...f, status: 'all' })];
    const rows = await this.database.rows<Need>(sql`select ${NEED_SELECT} from ${NEED_FROM} where ${sql.join(where, sql` and `)} order by n.created_at, n.id`);
    return rows.map(need);
  }

  async offersAtCapacity(f: ListFilter): Promise<Offer[]> {
    const where = [sql`f.status = 'open'`, sql`f.places_taken >= f.capacity`, ...filters('f', { ...f, status: 'all' })];
    const rows = await this.database.rows<Offer>(sql`select ${OFFER_SELECT} from ${OFFER_FROM} where ${sql.join(where, sql` and `)} order by o.name, f.id`);
    return rows.map(offer);
  }

  /** Organisations (with their school URNs) that have an open offer on a theme. */
  async organisationsOffering(theme: string): Promise<Set<number>> {
    const rows = await this.database.rows<{ urn: number }>(sql`
      select distinct o.urn from offers f join organisations o on o.id = f.organisation_id where f.status = 'open' and f.themes @> array[${theme}]::text[] and o.urn is not null`);
    return new Set(rows.map((r) => r.urn));
  }

  // People to notify, and the inbox

  /** The people who hear about an organisation's brokerage: its admins and, when given, the person who posted. */
  async recipients(organisationId: string, alsoUserId: string | null): Promise<{ id: string; email: string; displayName: string }[]> {
    return this.database.rows(sql`
      select distinct u.id, u.email, u.display_name as "displayName" from users u
      left join memberships m on m.user_id = u.id and m.organisation_id = ${organisationId}
      where u.deleted_at is null and (m.role = 'admin' or u.id = ${alsoUserId})`);
  }

  async notify(userIds: readonly string[], text: string, link: string): Promise<void> {
    if (userIds.length === 0) return;
    await this.database.rows(sql`insert into notifications (user_id, text, link) select u, ${text}, ${link} from unnest(${ids([...new Set(userIds)])}) as u`);
  }

  async inbox(userId: string): Promise<Notification[]> {
    const rows = await this.database.rows<Notification>(sql`
      select id, text, link, read_at as "readAt", created_at as "createdAt" from notifications where user_id = ${userId} order by created_at desc, id limit 200`);
    return rows.map((r) => ({ ...r, readAt: toDate(r.readAt), createdAt: new Date(r.createdAt) }));
  }

  async unreadCount(userId: string): Promise<number> {
    const [row] = await this.database.rows<{ n: number }>(sql`select count(*)::int as n from notifications where user_id = ${userId} and read_at is null`);
    return row?.n ?? 0;
  }

  async markRead(userId: string): Promise<void> {
    await this.database.rows(sql`update notifications set read_at = now() where user_id = ${userId} and read_at is null`);
  }

  /** Organisations that have worked with this one through an agreed support (either side, open or closed). */
  async partnerOrganisations(organisationId: string): Promise<string[]> {
    const rows = await this.database.rows<{ id: string }>(sql`
      select distinct case when n.organisation_id = ${organisationId} then f.organisation_id else n.organisation_id end as id
      from supports s join needs n on n.id = s.need_id join offers f on f.id = s.offer_id
      where n.organisation_id = ${organisationId} or f.organisation_id = ${organisationId}`);
    return rows.map((r) => r.id);
  }

  /** Organisations a need can be shown to, by name. */
  async organisationChoices(): Promise<{ id: string; name: string }[]> {
    return this.database.rows(sql`select id, name from organisations order by name, id limit 5000`);
  }

  async count(table: 'needs' | 'offers'): Promise<number> {
    const [row] = await this.database.rows<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(table)}`);
    return row?.n ?? 0;
  }
}

class NoCapacity extends Error {}
class Closed extends Error {}
