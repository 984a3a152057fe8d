import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/client';
import { CaseStudyRepository } from '../src/db/repositories/case-study.repository';
import { THEME_VALUES } from '../src/domain/practice/themes';

/**
 * Practice search over `count` generated case studies (for the benchmark only): sentences recombined from realistic
 * practice, random themes, phases and organisations, then the real search query (weighted full-text, snippets,
 * filters) timed one request at a time.
 */
const SENTENCES = [
  'We telephoned every absent family before half past nine and visited on the third day.',
  'The attendance officer coordinated reintegration meetings with the school nurse and early help.',
  'Retrieval quizzes at the start of lessons helped pupils remember earlier content.',
  'Teaching assistants pre-taught key vocabulary to pupils with SEN support before lessons.',
  'A summer school and older mentors eased the move from primary to secondary school.',
  'Early-career teachers kept a reduced timetable and met a coach every fortnight.',
  'Weakest readers had daily phonics and fluency practice in small groups.',
  'Coffee mornings with interpreters brought families into school for the first time.',
  'An inclusion base with a curriculum replaced internal exclusion and suspensions fell.',
  'Four schools shared a family support worker funded jointly with the local authority.',
  'Breakfast club volunteers greeted pupils by name and late marks fell.',
  'Youth workers ran lunchtime sessions for pupils at risk of exclusion.',
  'Governors reviewed the pupil premium strategy against the evidence each term.',
  'The trust moved to a common curriculum for key stage three science.',
  'Staff wellbeing improved after we cut data drops and marking policies.',
];
const QUERIES = ['attendance calls', 'reintegration', 'phonics readers', 'family support worker', 'breakfast club volunteers', 'mentoring transition', 'pupil premium strategy', 'exclusion', 'early career teachers coaching', 'retrieval practice'];

export async function seedCaseStudies(database: Database, count: number): Promise<void> {
  const orgs: string[] = [];
  for (let i = 0; i < 200; i++) {
    const [row] = await database.rows<{ id: string }>(sql`insert into organisations (kind, name) values ('school', ${`Bench school ${i}`}) returning id`);
    orgs.push(row!.id);
  }
  let seed = 99;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const batch = 5000;
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const rows = Array.from({ length: n }, (_, i) => ({
      org: pick(orgs),
      title: `${pick(SENTENCES).split(' ').slice(0, 6).join(' ')} (${start + i})`,
      summary: pick(SENTENCES),
      approach: Array.from({ length: 6 }, () => pick(SENTENCES)).join(' '),
      themes: `{${pick(THEME_VALUES)},${pick(THEME_VALUES)}}`,
      visibility: random() < 0.9 ? 'public' : 'members',
    }));
    await database.rows(sql`
      insert into case_studies (organisation_id, status, visibility, title, summary, approach, themes, phases, published_at, demonstration)
      select o::uuid, 'published', v, t, s, a, th::text[], '{secondary}', now() - (random() * interval '900 days'), true
      from unnest(${sql.param(rows.map((r) => r.org))}::text[], ${sql.param(rows.map((r) => r.visibility))}::text[], ${sql.param(rows.map((r) => r.title))}::text[],
                  ${sql.param(rows.map((r) => r.summary))}::text[], ${sql.param(rows.map((r) => r.approach))}::text[], ${sql.param(rows.map((r) => r.themes))}::text[]) as x(o, v, t, s, a, th)`);
  }
  await database.rows(sql`analyze case_studies`);
}

export async function timeSearches(database: Database, runs = 200): Promise<{ p50: number; p95: number }> {
  const repo = new CaseStudyRepository(database);
  const times: number[] = [];
  for (let i = 0; i < runs + 20; i++) {
    const started = performance.now();
    await repo.search({
      query: QUERIES[i % QUERIES.length]!,
      themes: i % 3 === 0 ? [THEME_VALUES[i % THEME_VALUES.length]!] : [],
      phases: [],
      regions: [],
      organisationKinds: [],
      year: null,
      includeMembersOnly: i % 2 === 0,
      likeUrns: null,
      order: 'relevance',
      limit: 20,
      offset: 0,
    });
    if (i >= 20) times.push(performance.now() - started); // the first 20 warm caches
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(runs / 2)]!, p95: times[Math.floor(runs * 0.95)]! };
}

export async function benchPractice(count: number, pgAdmin: string): Promise<{ label: string; seedSeconds: number; p50: number; p95: number }[]> {
  const results = [];
  const dir = mkdtempSync(join(tmpdir(), 'trellis-practice-'));
  try {
    const db = await openDatabase({ dataDir: dir });
    let t0 = performance.now();
    await seedCaseStudies(db, count);
    const seedSeconds = (performance.now() - t0) / 1000;
    results.push({ label: 'PGlite (on disk)', seedSeconds, ...(await timeSearches(db)) });
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const name = `trellis_bench_practice_${Date.now()}`;
  const admin = new pg.Client({ connectionString: pgAdmin });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(pgAdmin);
  url.pathname = `/${name}`;
  try {
    const db = await openDatabase({ url: url.toString() });
    const t0 = performance.now();
    await seedCaseStudies(db, count);
    results.push({ label: 'PostgreSQL 15 (local)', seedSeconds: (performance.now() - t0) / 1000, ...(await timeSearches(db)) });
    await db.close();
  } finally {
    const c = new pg.Client({ connectionString: pgAdmin });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  }
  return results;
}
