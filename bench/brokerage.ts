import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Actor } from '../src/domain/access/policy';
import { precisionAt } from '../src/domain/brokerage/matching';
import { THEME_VALUES } from '../src/domain/practice/themes';
import { openDatabase, type Database } from '../src/db/client';
import { loadSample } from '../src/importers/sample';
import { DEMO_NEEDS, DEMO_OFFERS, DEMO_ORGANISATIONS } from '../src/importers/demo-brokerage-data';
import { BrokerageService } from '../src/modules/brokerage/brokerage.service';
import { SCENARIOS } from '../test/fixtures/matching-scenarios';

const OTHER_THEMES = THEME_VALUES.filter((t) => t !== 'attendance');

const FACILITATOR: Actor = { kind: 'user', userId: '00000000-0000-4000-8000-000000000001', emailVerified: true, isFacilitator: true, isPlatformAdmin: false, memberships: new Map() };

/** Precision at 3 of the matcher against the facilitator's picks (test/fixtures/matching-scenarios.ts), on the sample. */
async function precision(db: Database, service: BrokerageService): Promise<{ mean: number; needs: number }> {
  const offerKey = new Map<string, string>();
  for (const f of DEMO_OFFERS) {
    const [row] = await db.rows<{ id: string }>(sql`select id from offers where title = ${f.title}`);
    if (row) offerKey.set(row.id, f.key);
  }
  const values: number[] = [];
  for (const s of SCENARIOS) {
    const need = DEMO_NEEDS.find((n) => n.key === s.need)!;
    const urn = DEMO_ORGANISATIONS.find((o) => o.key === need.organisation)!.urn!;
    const [row] = await db.rows<{ id: string }>(sql`select n.id from needs n join organisations o on o.id = n.organisation_id where n.title = ${need.title} and o.urn = ${urn}`);
    const list = await service.matchesForNeed(FACILITATOR, row!.id);
    const p = precisionAt(3, list.matches.map((m) => offerKey.get(m.match.offerId)!), s.picks);
    if (p !== null) values.push(p);
  }
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, needs: values.length };
}

/**
 * The worst case for one need: 10,000 open offers, every one on the need's theme and kind with places left, from
 * organisations for 1,900 real sample schools (so similarity, the measure and distance are computed for each).
 */
export async function addOffers(db: Database, count: number): Promise<void> {
  await db.rows(sql`
    insert into organisations (kind, name, urn, la_code, postcode, easting, northing)
    select 'school', e.name, e.urn, e.la_code, e.postcode, e.easting, e.northing from establishments e
    where e.status_name like 'Open%' and not exists (select 1 from organisations o where o.urn = e.urn)`);
  const orgs = (await db.rows<{ id: string }>(sql`select id from organisations where urn is not null order by urn`)).map((r) => r.id);
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const rows = Array.from({ length: count }, (_, i) => ({
    org: orgs[i % orgs.length]!,
    themes: `{attendance,${OTHER_THEMES[Math.floor(random() * OTHER_THEMES.length)]}}`,
    capacity: 1 + Math.floor(random() * 5),
    radius: 5 + Math.floor(random() * 40),
    mode: random() < 0.2 ? 'both' : 'in-person',
  }));
  await db.rows(sql`
    insert into offers (organisation_id, title, themes, kinds, phases, capacity, mode, radius_km, visibility, demonstration)
    select o::uuid, 'Bench offer', th::text[], '{visit,mentoring}', '{secondary}', c, m, r, 'public', true
    from unnest(${sql.param(rows.map((r) => r.org))}::text[], ${sql.param(rows.map((r) => r.themes))}::text[], ${sql.param(rows.map((r) => r.capacity))}::int[],
                ${sql.param(rows.map((r) => r.mode))}::text[], ${sql.param(rows.map((r) => r.radius))}::int[]) as x(o, th, c, m, r)`);
  await db.rows(sql`analyze offers`);
}

async function timeMatching(db: Database, service: BrokerageService, runs = 60): Promise<{ p50: number; p95: number; offers: number; shown: number }> {
  const [need] = await db.rows<{ id: string }>(sql`select n.id from needs n join organisations o on o.id = n.organisation_id where o.urn = 138059`); // Rockwood Academy
  const [count] = await db.rows<{ n: number }>(sql`select count(*)::int as n from offers where status = 'open' and 'attendance' = any(themes)`);
  const times: number[] = [];
  let shown = 0;
  for (let i = 0; i < runs + 10; i++) {
    const t0 = performance.now();
    const list = await service.matchesForNeed(FACILITATOR, need!.id);
    if (i >= 10) times.push(performance.now() - t0);
    shown = list.total;
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(runs / 2)]!, p95: times[Math.floor(runs * 0.95)]!, offers: count!.n, shown };
}

export async function benchBrokerage(pgAdmin: string): Promise<{ precision: { mean: number; needs: number }; results: { label: string; p50: number; p95: number; offers: number; shown: number }[] }> {
  const results = [];
  const mailer = { send: async () => undefined } as never;
  const dir = mkdtempSync(join(tmpdir(), 'trellis-brokerage-'));
  let quality: { mean: number; needs: number };
  try {
    const db = await openDatabase({ dataDir: dir });
    await loadSample(db, 'data/sample');
    const service = new BrokerageService(db, mailer, '');
    quality = await precision(db, service);
    await addOffers(db, 10_000);
    results.push({ label: 'PGlite (on disk)', ...(await timeMatching(db, service)) });
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const name = `trellis_bench_brokerage_${Date.now()}`;
  const admin = new pg.Client({ connectionString: pgAdmin });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(pgAdmin);
  url.pathname = `/${name}`;
  try {
    const db = await openDatabase({ url: url.toString() });
    await loadSample(db, 'data/sample');
    await addOffers(db, 10_000);
    results.push({ label: 'PostgreSQL 15 (local)', ...(await timeMatching(db, new BrokerageService(db, mailer, ''))) });
    await db.close();
  } finally {
    const c = new pg.Client({ connectionString: pgAdmin });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  }
  return { precision: quality, results };
}
