import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStudyRepository, COUNT_CAP, SNIPPET_PREFIX, type PracticeSearch } from '../../db/repositories/case-study.repository';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database';
import { seedCaseStudies } from '../../../bench/practice';

/**
 * Search is one statement that walks the most recent matches a quarter of publication at a time (through an index of
 * quarter-prefixed keys) and counts from the same walk. This checks it against the plain query it replaced (two
 * statements: rank the RANK_CANDIDATES most recent matches, snippets over the whole body; a capped count) on generated
 * libraries of both benchmark kinds, with common words (more than COUNT_CAP matches), rare words, phrases, negation,
 * stop words, theme, phase and year filters, members-only, both orders and later pages.
 */
let db: TestDatabase;
let repo: CaseStudyRepository;

/** The query as it was before (commit 41c974c), kept here as the reference. */
async function reference(s: PracticeSearch) {
  const FROM = sql.raw(`case_studies cs join organisations o on o.id = cs.organisation_id left join establishments e on e.urn = cs.urn`);
  const where: SQL[] = [sql`cs.status = 'published'`];
  if (!s.includeMembersOnly) where.push(sql`cs.visibility = 'public'`);
  const q = s.query.trim();
  if (q) where.push(sql`cs.search @@ websearch_to_tsquery('english', ${q})`);
  if (s.themes.length) where.push(sql`cs.themes && ${sql.param(s.themes)}::text[]`);
  if (s.phases.length) where.push(sql`cs.phases && ${sql.param(s.phases)}::text[]`);
  if (s.year !== null) where.push(sql`extract(year from cs.published_at) = ${s.year}`);
  const order = s.order === 'newest' || !q ? sql`cs.published_at desc, cs.id` : sql`ts_rank_cd(cs.search, websearch_to_tsquery('english', ${q})) desc, cs.published_at desc, cs.id`;
  const page =
    s.order === 'relevance' && q
      ? sql`candidates as (select cs.id, cs.search, cs.published_at from ${FROM} where ${sql.join(where, sql` and `)} order by cs.published_at desc, cs.id limit 1000),
        page as (select id, row_number() over (order by ts_rank_cd(search, websearch_to_tsquery('english', ${q})) desc, published_at desc, id) as position
                 from candidates order by position limit ${s.limit} offset ${s.offset})`
      : sql`page as (select cs.id, row_number() over (order by ${order}) as position from ${FROM} where ${sql.join(where, sql` and `)} order by ${order} limit ${s.limit} offset ${s.offset})`;
  const rows = await db.rows<{ id: string; snippet: string | null; body: string; summary: string; summaryMatches: boolean }>(sql`
    with ${page}
    select cs.id, cs.summary, ${q ? sql`(ts_filter(cs.search, '{b}') @@ websearch_to_tsquery('english', ${q}) and strpos(ts_headline('english', cs.summary, websearch_to_tsquery('english', ${q}), 'StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=12, MaxFragments=2'), '<mark>') > 0)` : sql`false`} as "summaryMatches", ${q ? sql`ts_headline('english', cs.summary || ' ' || cs.challenge || ' ' || cs.approach || ' ' || cs.impact, websearch_to_tsquery('english', ${q}),
      'StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "')` : sql`null`} as snippet,
      cs.summary || ' ' || cs.challenge || ' ' || cs.approach || ' ' || cs.impact as body
    from page join ${FROM} on cs.id = page.id order by page.position`);
  const [count] = await db.rows<{ n: number }>(sql`select count(*)::int as n from (select 1 from ${FROM} where ${sql.join(where, sql` and `)} limit ${COUNT_CAP + 1}) capped`);
  return { total: count!.n, rows };
}

beforeAll(async () => {
  db = await createTestDatabase();
  await seedCaseStudies(db, 2_500, 'recombined');
  await seedCaseStudies(db, 1_500, 'demo');
  // Some long studies, so snippets come from the first SNIPPET_PREFIX characters or, when the match is later, the whole body.
  await db.rows(sql`update case_studies set approach = repeat('Staff met weekly to plan the week ahead together. ', 60) || approach where id in (select id from case_studies order by id limit 300)`);
  // Some primary and all-through studies, for the phase filter.
  await db.rows(sql`update case_studies set phases = case when random() < 0.5 then '{primary}'::text[] else '{primary,secondary}'::text[] end where id in (select id from case_studies order by title limit 800)`);
  await db.rows(sql`analyze case_studies`);
  repo = new CaseStudyRepository(db);
}, 240_000);
afterAll(async () => db.close());

const QUERIES = ['pupils', 'attendance calls', 'family support worker', 'retrieval practice', 'phonics readers', 'coffee mornings', '"key stage three" -science', 'nurse or coach', 'staff plan', 'zebra', '', 'early-career teachers', '-pupils', 'the', 'pupils or -attendance'];
const LAST_YEAR = new Date().getUTCFullYear() - 1;

describe('search in one statement matches the two-statement query it replaced', () => {
  it('same studies in the same order, the same capped count, snippets from the matched text', async () => {
    let capped = 0;
    let long = 0;
    let summaries = 0;
    for (const query of QUERIES)
      for (const [themes, phases, year] of [[[], [], null], [['attendance'], [], null], [['literacy', 'behaviour'], [], null], [[], ['primary'], null], [[], [], LAST_YEAR]] as const)
        for (const order of ['relevance', 'newest'] as const)
          for (const [offset, includeMembersOnly] of [[0, false], [40, true]] as const) {
            const s: PracticeSearch = { query, themes: [...themes], phases: [...phases], regions: [], organisationKinds: [], year, includeMembersOnly, likeUrns: null, order, limit: 20, offset };
            const [before, after] = [await reference(s), await repo.search(s)];
            const label = JSON.stringify({ query, themes, phases, year, order, offset });
            expect(after.total, label).toBe(Math.min(before.total, COUNT_CAP));
            expect(after.more, label).toBe(before.total > COUNT_CAP);
            if (after.more) capped++;
            expect(after.rows.map((r) => r.id), label).toEqual(before.rows.map((r) => r.id));
            for (const [i, row] of after.rows.entries()) {
              const old = before.rows[i]!;
              if (old.summaryMatches) {
                // The summary alone matches the search (weight B) and its headline marks a word: the snippet is the summary's.
                summaries++;
                expect(row.snippet, label).toContain('<mark>');
                for (const part of (row.snippet ?? '').replace(/<\/?mark>/g, '').split(' … ')) expect(old.summary.replace(/\s+/g, ' '), label).toContain(part.trim().replace(/\s+/g, ' '));
              } else if (old.body.length <= SNIPPET_PREFIX) expect(row.snippet, label).toBe(old.snippet);
              else {
                long++;
                // A long body: the snippet marks the query's words wherever the old one did, and comes from the body.
                expect(row.snippet?.includes('<mark>'), label).toBe(old.snippet?.includes('<mark>'));
                for (const part of (row.snippet ?? '').replace(/<\/?mark>/g, '').split(' … ')) expect(old.body.replace(/\s+/g, ' '), label).toContain(part.trim().replace(/\s+/g, ' '));
              }
            }
          }
    expect(capped).toBeGreaterThan(5);
    expect(long).toBeGreaterThan(0);
    expect(summaries).toBeGreaterThan(0);
  }, 240_000);

  it('walks back to older quarters when the newest hold too few matches', async () => {
    // Every match of this word is more than three years old: found all the same, newest first.
    await db.rows(sql`update case_studies set approach = approach || ' Quokka.', published_at = now() - interval '4 years' - (random() * interval '100 days') where id in (select id from case_studies order by id desc limit 30)`);
    const s: PracticeSearch = { query: 'quokka', themes: [], phases: [], regions: [], organisationKinds: [], year: null, includeMembersOnly: true, likeUrns: null, order: 'relevance', limit: 50, offset: 0 };
    const [before, after] = [await reference(s), await repo.search(s)];
    expect(after.total).toBe(30);
    expect(after.rows.map((r) => r.id)).toEqual(before.rows.map((r) => r.id));
  });
});
