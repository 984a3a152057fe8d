import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client';

export type CaseStudyStatus = 'draft' | 'submitted' | 'returned' | 'published' | 'withdrawn';

/** The text a leader writes; one version of it. */
export interface CaseStudyContent {
  title: string;
  summary: string;
  context: Record<string, string>;
  contextNotes: string;
  challenge: string;
  approach: string;
  impact: string;
  impactMeasures: string[];
  applicability: string;
  partners: string;
  themes: string[];
  phases: string[];
  contactPreference: string;
  visibility: 'public' | 'members';
}

export interface CaseStudy extends CaseStudyContent {
  id: string;
  organisationId: string;
  organisationName: string;
  organisationKind: string;
  regionName: string | null;
  authorId: string | null;
  authorName: string;
  authorIds: string[];
  status: CaseStudyStatus;
  urn: number | null;
  demonstration: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
  /** The facilitator who drafted it on the author's behalf, if one did. */
  draftedWithName?: string | null;
}

export interface CaseStudySummary {
  id: string;
  title: string;
  summary: string;
  organisationName: string;
  organisationKind: string;
  regionName: string | null;
  themes: string[];
  phases: string[];
  status: CaseStudyStatus;
  visibility: 'public' | 'members';
  urn: number | null;
  demonstration: boolean;
  publishedAt: Date | null;
  updatedAt: Date;
  /** Search result snippet with matches in <mark> (ts_headline; everything else escaped by the caller). */
  snippet?: string;
}

export interface PracticeSearch {
  query: string;
  themes: string[];
  phases: string[];
  regions: string[];
  organisationKinds: string[];
  year: number | null;
  /** Whether members-only studies may be shown (the reader is signed in). */
  includeMembersOnly: boolean;
  /** Order by similarity to these URNs (nearest first) instead of relevance. */
  likeUrns: number[] | null;
  order: 'relevance' | 'newest' | 'like-mine';
  limit: number;
  offset: number;
}

/** Searches count matches up to this many; beyond it the page says "more than". */
export const COUNT_CAP = 1000;
/** Best match ranks at most this many of the most recent matches. */
export const RANK_CANDIDATES = 1000;
/** The quarter-counting number (year × 4 + quarter − 1, UTC) of a timestamptz expression, as in case_study_search_keys (migration 0012). */
const quarterOf = (at: string) => sql.raw(`(extract(year from ${at} at time zone 'UTC') * 4 + extract(quarter from ${at} at time zone 'UTC') - 1)::integer`);

/** A tsquery operand for a key of case_study_search_keys, quoted as tsquery input wants (quotes doubled, backslashes escaped). */
const keyOperand = (key: string) => `'${key.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** The search's filters on themes, phases and visibility as a tsquery over case_study_search_keys' keys (empty: none). */
export function filterKeys(s: Pick<PracticeSearch, 'themes' | 'phases' | 'includeMembersOnly'>): string {
  const any = (prefix: string, values: readonly string[]) => `(${values.map((v) => keyOperand(prefix + v)).join(' | ')})`;
  return [
    ...(s.themes.length ? [any('t:', s.themes)] : []),
    ...(s.phases.length ? [any('p:', s.phases)] : []),
    ...(s.includeMembersOnly ? [] : [keyOperand('v:public')]),
  ].join(' & ');
}

/** Snippets come from this many characters of a study's body when the query matches there (ts_headline's cost grows with the text). */
export const SNIPPET_PREFIX = 2000;

const SUMMARY = sql.raw(`
  cs.id, cs.title, cs.summary, o.name as "organisationName", o.kind as "organisationKind", e.region_name as "regionName",
  cs.themes, cs.phases, cs.status, cs.visibility, cs.urn, cs.demonstration, cs.published_at as "publishedAt", cs.updated_at as "updatedAt"`);

const FROM = sql.raw(`case_studies cs join organisations o on o.id = cs.organisation_id left join establishments e on e.urn = cs.urn`);

const dated = <T extends { publishedAt: unknown; updatedAt: unknown }>(r: T) => ({
  ...r,
  publishedAt: r.publishedAt ? new Date(r.publishedAt as string) : null,
  updatedAt: new Date(r.updatedAt as string),
});

export class CaseStudyRepository {
  constructor(private readonly database: Database) {}

  async create(input: CaseStudyContent & { organisationId: string; authorId: string; urn: number | null; demonstration?: boolean; status?: CaseStudyStatus; draftedWith?: string | null }): Promise<string> {
    const [row] = await this.database.rows<{ id: string }>(sql`
      insert into case_studies (organisation_id, author_id, status, visibility, title, summary, context, context_notes, challenge,
        approach, impact, impact_measures, applicability, partners, themes, phases, contact_preference, urn, demonstration, drafted_with, published_at)
      values (${input.organisationId}, ${input.authorId}, ${input.status ?? 'draft'}, ${input.visibility}, ${input.title}, ${input.summary},
        ${JSON.stringify(input.context)}::jsonb, ${input.contextNotes}, ${input.challenge}, ${input.approach}, ${input.impact},
        ${sql.param(input.impactMeasures)}::text[], ${input.applicability}, ${input.partners}, ${sql.param(input.themes)}::text[],
        ${sql.param(input.phases)}::text[], ${input.contactPreference}, ${input.urn}, ${input.demonstration ?? false}, ${input.draftedWith ?? null},
        ${input.status === 'published' ? sql`now()` : sql`null`})
      returning id`);
    await this.database.rows(sql`insert into case_study_authors (case_study_id, user_id) values (${row!.id}, ${input.authorId}) on conflict do nothing`);
    return row!.id;
  }

  async update(id: string, content: CaseStudyContent, version: number): Promise<void> {
    await this.database.rows(sql`
      update case_studies set title = ${content.title}, summary = ${content.summary}, context = ${JSON.stringify(content.context)}::jsonb,
        context_notes = ${content.contextNotes}, challenge = ${content.challenge}, approach = ${content.approach}, impact = ${content.impact},
        impact_measures = ${sql.param(content.impactMeasures)}::text[], applicability = ${content.applicability}, partners = ${content.partners},
        themes = ${sql.param(content.themes)}::text[], phases = ${sql.param(content.phases)}::text[],
        contact_preference = ${content.contactPreference}, visibility = ${content.visibility}, version = ${version}, updated_at = now()
      where id = ${id}`);
  }

  async get(id: string): Promise<CaseStudy | null> {
    const [row] = await this.database.rows<CaseStudy>(sql`
      select cs.id, cs.organisation_id as "organisationId", o.name as "organisationName", o.kind as "organisationKind",
             e.region_name as "regionName", cs.author_id as "authorId", coalesce(u.display_name, 'Former member') as "authorName",
             coalesce((select array_agg(a.user_id::text) from case_study_authors a where a.case_study_id = cs.id), '{}') as "authorIds",
             cs.status, cs.visibility, cs.title, cs.summary, cs.context, cs.context_notes as "contextNotes", cs.challenge, cs.approach,
             cs.impact, cs.impact_measures as "impactMeasures", cs.applicability, cs.partners, cs.themes, cs.phases,
             cs.contact_preference as "contactPreference", cs.urn, cs.demonstration, cs.version, cs.created_at as "createdAt",
             cs.updated_at as "updatedAt", cs.published_at as "publishedAt", dw.display_name as "draftedWithName"
      from ${FROM} left join users u on u.id = cs.author_id left join users dw on dw.id = cs.drafted_with
      where cs.id = ${id}`);
    return row ? { ...dated(row), createdAt: new Date(row.createdAt) } : null;
  }

  async addAuthor(id: string, userId: string): Promise<void> {
    await this.database.rows(sql`insert into case_study_authors (case_study_id, user_id) values (${id}, ${userId}) on conflict do nothing`);
  }

  async authors(id: string): Promise<{ id: string; name: string }[]> {
    return this.database.rows(sql`
      select u.id, coalesce(u.display_name, 'Former member') as name from case_study_authors a join users u on u.id = a.user_id
      where a.case_study_id = ${id} order by u.display_name`);
  }

  async setStatus(id: string, status: CaseStudyStatus): Promise<void> {
    await this.database.rows(sql`
      update case_studies set status = ${status}, updated_at = now(),
        published_at = case when ${status} = 'published' then coalesce(published_at, now()) else published_at end
      where id = ${id}`);
  }

  async addEvent(id: string, event: string, actorId: string | null, comment: string | null = null): Promise<void> {
    await this.database.rows(sql`insert into case_study_events (case_study_id, event, comment, actor_id) values (${id}, ${event}, ${comment}, ${actorId})`);
  }

  async events(id: string): Promise<{ event: string; comment: string | null; actorName: string | null; at: Date }[]> {
    const rows = await this.database.rows<{ event: string; comment: string | null; actorName: string | null; at: string }>(sql`
      select ev.event, ev.comment, u.display_name as "actorName", ev.at
      from case_study_events ev left join users u on u.id = ev.actor_id
      where ev.case_study_id = ${id} order by ev.at, ev.id`);
    return rows.map((r) => ({ ...r, at: new Date(r.at) }));
  }

  async saveVersion(id: string, version: number, snapshot: CaseStudyContent, by: string | null): Promise<void> {
    await this.database.rows(sql`
      insert into case_study_versions (case_study_id, version, snapshot, created_by) values (${id}, ${version}, ${JSON.stringify(snapshot)}::jsonb, ${by})
      on conflict (case_study_id, version) do update set snapshot = excluded.snapshot, created_by = excluded.created_by, created_at = now()`);
  }

  async versions(id: string): Promise<{ version: number; snapshot: CaseStudyContent; createdAt: Date; authorName: string | null }[]> {
    const rows = await this.database.rows<{ version: number; snapshot: CaseStudyContent; createdAt: string; authorName: string | null }>(sql`
      select v.version, v.snapshot, v.created_at as "createdAt", u.display_name as "authorName"
      from case_study_versions v left join users u on u.id = v.created_by
      where v.case_study_id = ${id} order by v.version`);
    return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
  }

  /**
   * Published studies matching a search; drafts and withdrawn studies never appear here. One statement (PGlite costs
   * about 2 ms a round trip): the count, the page and its snippets.
   *  - `total` counts matches up to COUNT_CAP; `more` says there are more than that (the page says "more than 1,000").
   *  - Best match ranks (ts_rank_cd) the RANK_CANDIDATES most recently published matches — all of them when there are
   *    fewer: ranking every match of a common word over 100,000 studies costs hundreds of milliseconds. The same walk
   *    of the most recent matches, quarter by quarter, gives the capped count, so a search reads its matches once.
   *  - Snippets (ts_headline re-parses the text) are made only for the rows shown: from the summary when the query
   *    matches there, else from the first SNIPPET_PREFIX characters of the body when it matches there, else from the
   *    whole body.
   */
  async search(s: PracticeSearch): Promise<{ total: number; more: boolean; rows: CaseStudySummary[] }> {
    const where: SQL[] = [sql`cs.status = 'published'`];
    if (!s.includeMembersOnly) where.push(sql`cs.visibility = 'public'`);
    const q = s.query.trim();
    // A scalar subquery: parsed once per search (an init plan), not once per row ranked, checked or highlighted.
    const tsquery = sql`(select websearch_to_tsquery('english', ${q}))`;
    if (q) where.push(sql`cs.search @@ ${tsquery}`);
    if (s.themes.length) where.push(sql`cs.themes && ${sql.param(s.themes)}::text[]`);
    if (s.phases.length) where.push(sql`cs.phases && ${sql.param(s.phases)}::text[]`);
    if (s.regions.length) where.push(sql`e.region_code in ${s.regions}`);
    if (s.organisationKinds.length) where.push(sql`o.kind in ${s.organisationKinds}`);
    if (s.year !== null) where.push(sql`extract(year from cs.published_at) = ${s.year}`);
    const filter = sql.join(where, sql` and `);
    // Matching needs the organisation or the school only for those filters (every study has one organisation).
    const from = sql`case_studies cs
      ${s.organisationKinds.length ? sql`join organisations o on o.id = cs.organisation_id` : sql``}
      ${s.regions.length ? sql`join establishments e on e.urn = cs.urn` : sql``}`;
    const likeOrder =
      s.likeUrns && s.likeUrns.length
        ? sql`coalesce(array_position(${sql.param(s.likeUrns)}::int[], cs.urn), 100000)`
        : sql`100000`;
    const order =
      s.order === 'like-mine'
        ? sql`${likeOrder}, cs.published_at desc, cs.id`
        : sql`cs.published_at desc, cs.id`;
    // With words to match (and not "schools like mine"), matches are read newest first, a quarter of publication at a
    // time, and reading stops once enough are found: a common word costs its last few months, not every match. Each
    // quarter is one scan of case_studies_search_by_quarter, whose keys carry the quarter (migration 0012): it finds
    // that quarter's studies with the search's words, themes, phases and visibility, without touching other quarters'
    // entries or rows. The search itself (phrases, negation) is then applied to each row found; ts_match_vq is @@
    // written so the planner does not also scan the words-only index.
    const walked = q && s.order !== 'like-mine';
    const relevance = s.order === 'relevance' && q;
    const scan = Math.max(COUNT_CAP + 1, RANK_CANDIDATES, relevance ? 0 : s.offset + s.limit);
    const walkFilter = sql.join(
      [
        sql`cs.status = 'published'`,
        sql`case_study_search_keys(cs.search, cs.published_at, cs.themes, cs.phases, cs.visibility) @@ case_study_search_query(${tsquery}, ${filterKeys(s)}, k.quarter)`,
        sql`ts_match_vq(cs.search, ${tsquery})`,
        ...(s.regions.length ? [sql`e.region_code in ${s.regions}`] : []),
        ...(s.organisationKinds.length ? [sql`o.kind in ${s.organisationKinds}`] : []),
        ...(s.year !== null ? [sql`extract(year from cs.published_at) = ${s.year}`] : []),
      ],
      sql` and `,
    );
    // Quarters to walk: from the newest published study's to the oldest's (none when the words are all stop words),
    // within the year asked for give or take a quarter (the year filter itself is exact, in the database's time zone).
    const bounds =
      s.year === null
        ? sql`${quarterOf('max(published_at)')} as hi, ${quarterOf('min(published_at)')} as lo`
        : sql`least(${quarterOf('max(published_at)')}, ${s.year * 4 + 4}) as hi, greatest(${quarterOf('min(published_at)')}, ${s.year * 4 - 1}) as lo`;
    const ctes = walked
      ? sql`
        -- The lateral join runs its subquery once per quarter, in generate_series's order (newest first), and the limit
        -- stops it: rows arrive in publication order without reading the quarters not needed.
        recent as materialized (
          select m.* from (select ${bounds} from case_studies where status = 'published' and numnode(${tsquery}) > 0) b
          cross join lateral generate_series(b.hi, b.lo, -1) as k(quarter)
          cross join lateral (
            -- Ranked here, while the row is read anyway (carrying the vectors on to rank later cost more than ranking
            -- the few matches beyond the candidates).
            select cs.id, cs.published_at${relevance ? sql`, ts_rank_cd(cs.search, ${tsquery}) as rank` : sql``} from ${from}
            where ${walkFilter}
            order by cs.published_at desc, cs.id
          ) m
          limit ${scan}
        ),
        counted as (select count(*)::int as n from recent),
        page as (
          select id, row_number() over (order by ${relevance ? sql`rank desc, ` : sql``}published_at desc, id) as position
          from (select * from recent order by published_at desc, id limit ${relevance ? RANK_CANDIDATES : scan}) candidates
          order by position
          limit ${s.limit} offset ${s.offset}
        )`
      : sql`
        counted as (select count(*)::int as n from (select 1 from ${from} where ${filter} limit ${COUNT_CAP + 1}) capped),
        page as (
          select cs.id, row_number() over (order by ${order}) as position from ${from}
          where ${filter}
          order by ${order}
          limit ${s.limit} offset ${s.offset}
        )`;
    const body = sql`cs.summary || ' ' || cs.challenge || ' ' || cs.approach || ' ' || cs.impact`;
    const options = `StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;
    // From the summary when the search matches there (its words have weight B in the search vector) and marks a word:
    // the leader's own description, and a fraction of the words to parse. Otherwise from the body's first SNIPPET_PREFIX characters when it marks a word there, else the whole body.
    const headline = (text: SQL) => sql`ts_headline('english', ${text}, ${tsquery}, ${options})`;
    const snippet = q
      ? sql`(select case when strpos(summary, '<mark>') > 0 then summary
                         when strpos(prefix, '<mark>') > 0 or length(${body}) <= ${SNIPPET_PREFIX} then prefix
                         else ${headline(body)} end
             from (select case when ts_match_vq(ts_filter(cs.search, '{b}'), ${tsquery}) then ${headline(sql`cs.summary`)} end as summary) s
             cross join lateral (select case when strpos(summary, '<mark>') > 0 then null else ${headline(sql`left(${body}, ${SNIPPET_PREFIX})`)} end as prefix) p)`
      : sql`null`;
    const rows = await this.database.rows<CaseStudySummary & { total: number }>(sql`
      with ${ctes}
      select counted.n as total, p.*
      from counted left join lateral (
        select ${SUMMARY}, ${snippet} as snippet, page.position
        from page join ${FROM} on cs.id = page.id
      ) p on true
      order by p.position`);
    const counted = rows[0]?.total ?? 0;
    return {
      total: Math.min(counted, COUNT_CAP),
      more: counted > COUNT_CAP,
      rows: rows.filter((r) => r.id !== null).map(({ total: _, position: __, ...r }: CaseStudySummary & { total: number; position?: number }) => dated(r)),
    };
  }

  /** Studies the person writes or can manage: drafts and everything else, newest first. */
  async workingOn(userId: string, adminOf: readonly string[]): Promise<CaseStudySummary[]> {
    const rows = await this.database.rows<CaseStudySummary>(sql`
      select ${SUMMARY} from ${FROM}
      where exists (select 1 from case_study_authors a where a.case_study_id = cs.id and a.user_id = ${userId})
         ${adminOf.length ? sql`or cs.organisation_id in ${[...adminOf]}` : sql``}
      order by cs.updated_at desc`);
    return rows.map(dated);
  }

  /** Submitted studies waiting for a facilitator. */
  async awaitingReview(): Promise<CaseStudySummary[]> {
    const rows = await this.database.rows<CaseStudySummary>(sql`select ${SUMMARY} from ${FROM} where cs.status = 'submitted' order by cs.updated_at`);
    return rows.map(dated);
  }

  /** Other published studies sharing a theme, most themes in common first. */
  async related(id: string, themes: readonly string[], includeMembersOnly: boolean, limit = 4): Promise<CaseStudySummary[]> {
    if (themes.length === 0) return [];
    const rows = await this.database.rows<CaseStudySummary>(sql`
      select ${SUMMARY} from ${FROM}
      where cs.status = 'published' and cs.id <> ${id} and cs.themes && ${sql.param([...themes])}::text[]
        ${includeMembersOnly ? sql`` : sql`and cs.visibility = 'public'`}
      order by cardinality(array(select unnest(cs.themes) intersect select unnest(${sql.param([...themes])}::text[]))) desc, cs.published_at desc, cs.id
      limit ${limit}`);
    return rows.map(dated);
  }

  /** Published studies of these schools on a theme (bright spots in data packs link to them). */
  async publishedBySchools(urns: readonly number[], theme: string | null, includeMembersOnly: boolean): Promise<{ id: string; title: string; urn: number; themes: string[] }[]> {
    if (urns.length === 0) return [];
    return this.database.rows(sql`
      select cs.id, cs.title, cs.urn, cs.themes from case_studies cs
      where cs.status = 'published' and cs.urn in ${[...urns]} ${theme ? sql`and ${theme} = any(cs.themes)` : sql``}
        ${includeMembersOnly ? sql`` : sql`and cs.visibility = 'public'`}
      order by cs.published_at desc`);
  }

  async addLearnMore(input: { caseStudyId: string; fromUserId: string; fromOrganisationId: string | null; message: string }): Promise<void> {
    await this.database.rows(sql`
      insert into learn_more_requests (case_study_id, from_user_id, from_organisation_id, message)
      values (${input.caseStudyId}, ${input.fromUserId}, ${input.fromOrganisationId}, ${input.message})`);
  }

  /** Requests to learn more about the studies this person wrote. */
  async learnMoreFor(userId: string): Promise<{ id: string; caseStudyId: string; title: string; fromName: string; fromOrganisation: string | null; message: string; createdAt: Date; reply: string | null }[]> {
    const rows = await this.database.rows<{ id: string; caseStudyId: string; title: string; fromName: string; fromOrganisation: string | null; message: string; createdAt: string; reply: string | null }>(sql`
      select r.id, r.case_study_id as "caseStudyId", cs.title, coalesce(u.display_name, 'Former member') as "fromName",
             o.name as "fromOrganisation", r.message, r.created_at as "createdAt", r.reply
      from learn_more_requests r
      join case_studies cs on cs.id = r.case_study_id
      join case_study_authors a on a.case_study_id = cs.id and a.user_id = ${userId}
      left join users u on u.id = r.from_user_id
      left join organisations o on o.id = r.from_organisation_id
      order by r.created_at desc`);
    return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
  }

  /** The author's reply to a request; only once, and only by an author of the study. Returns the requester, or null. */
  async reply(requestId: string, authorId: string, reply: string): Promise<{ fromUserId: string; title: string; caseStudyId: string } | null> {
    const [row] = await this.database.rows<{ fromUserId: string; title: string; caseStudyId: string }>(sql`
      update learn_more_requests r set reply = ${reply}, replied_at = now()
      from case_studies cs
      where r.id = ${requestId} and cs.id = r.case_study_id and r.replied_at is null
        and exists (select 1 from case_study_authors a where a.case_study_id = cs.id and a.user_id = ${authorId})
      returning r.from_user_id as "fromUserId", cs.title, cs.id as "caseStudyId"`);
    return row ?? null;
  }

  /** Requests this person sent, with any replies. */
  async sentRequests(userId: string): Promise<{ id: string; caseStudyId: string; title: string; message: string; reply: string | null; repliedAt: Date | null }[]> {
    const rows = await this.database.rows<{ id: string; caseStudyId: string; title: string; message: string; reply: string | null; repliedAt: string | null }>(sql`
      select r.id, r.case_study_id as "caseStudyId", cs.title, r.message, r.reply, r.replied_at as "repliedAt"
      from learn_more_requests r join case_studies cs on cs.id = r.case_study_id
      where r.from_user_id = ${userId} order by r.created_at desc`);
    return rows.map((r) => ({ ...r, repliedAt: r.repliedAt ? new Date(r.repliedAt) : null }));
  }

  async save(userId: string, caseStudyId: string): Promise<void> {
    await this.database.rows(sql`insert into reading_list (user_id, case_study_id) values (${userId}, ${caseStudyId}) on conflict do nothing`);
  }

  async unsave(userId: string, caseStudyId: string): Promise<void> {
    await this.database.rows(sql`delete from reading_list where user_id = ${userId} and case_study_id = ${caseStudyId}`);
  }

  async readingList(userId: string, includeMembersOnly: boolean): Promise<CaseStudySummary[]> {
    const rows = await this.database.rows<CaseStudySummary>(sql`
      select ${SUMMARY} from ${FROM} join reading_list r on r.case_study_id = cs.id and r.user_id = ${userId}
      where cs.status = 'published' ${includeMembersOnly ? sql`` : sql`and cs.visibility = 'public'`}
      order by r.saved_at desc`);
    return rows.map(dated);
  }

  async isSaved(userId: string, caseStudyId: string): Promise<boolean> {
    const [row] = await this.database.rows<{ n: number }>(sql`select count(*)::int as n from reading_list where user_id = ${userId} and case_study_id = ${caseStudyId}`);
    return (row?.n ?? 0) > 0;
  }

  async count(): Promise<number> {
    const [row] = await this.database.rows<{ n: number }>(sql`select count(*)::int as n from case_studies`);
    return row?.n ?? 0;
  }
}
