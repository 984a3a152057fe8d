/**
 * `npm run bench:national`: builds a national instance on PostgreSQL for the soak and the national benchmarks — every
 * open school in England from the real national files (../shared/data/national: GIAS extract, January 2023 census,
 * 2024/25 absence) through the same importers an operator runs (docs/operations.md), the sample's DfE measure files
 * (LA and England figures, similar-schools inputs), families, and then, generated for load only: 100,000 case
 * studies and 5,000 partnerships of 2–6 schools with activities. Idempotent: an instance already built is kept.
 * Prints the database URL to give `npm run bench:soak` as TRELLIS_SOAK_DATABASE_URL.
 * Options: --database=trellis_national  --studies=100000  --partnerships=5000
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/client';
import { importAbsenceNational } from '../src/importers/absence-national.importer';
import { importCensus } from '../src/importers/census.importer';
import { importGiasGroups } from '../src/importers/gias-groups.importer';
import { importGiasNational } from '../src/importers/gias-national.importer';
import { importMeasures } from '../src/importers/measures.importer';
import { FamiliesService } from '../src/modules/families/families.service';
import { seedCaseStudies } from './practice';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const name = args.get('database') ?? 'trellis_national';
const studies = Number(args.get('studies') ?? 100_000);
const partnerships = Number(args.get('partnerships') ?? 5_000);
const admin = process.env.TRELLIS_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const NATIONAL = '../shared/data/national';

async function step<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** 5,000 partnerships of 2–6 schools each (organisations made for them), each with 1–4 activities over two years. */
async function seedPartnerships(database: Database, count: number): Promise<void> {
  await database.rows(sql`
    insert into organisations (kind, name, urn, la_code, postcode, easting, northing)
    select 'school', e.name, e.urn, e.la_code, e.postcode, e.easting, e.northing
    from establishments e where e.status_name like 'Open%' and not exists (select 1 from organisations o where o.urn = e.urn)
    order by md5(e.urn::text) limit 15000`);
  const orgs = (await database.rows<{ id: string }>(sql`select id from organisations where urn is not null order by id`)).map((r) => r.id);
  const random = rng(5000);
  const types = ['state-state', 'state-independent', 'multi-agency', 'area-based', 'trust-wide'];
  const stages = ['pilot', 'alliance', 'integration'];
  const themes = ['attendance', 'transition', 'curriculum-teaching', 'inclusion-send', 'mental-health'];
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const rows = Array.from({ length: count }, (_, i) => ({
    name: `Generated partnership ${i + 1}`,
    type: types[Math.floor(random() * types.length)]!,
    stage: stages[Math.floor(random() * stages.length)]!,
    theme: themes[Math.floor(random() * themes.length)]!,
    startedOn: day(200 + Math.floor(random() * 1200)),
  }));
  const ids = (
    await database.rows<{ id: string }>(sql`
      insert into partnerships (name, purpose, type, stage, visibility, themes, started_on, demonstration)
      select n, 'Generated for load tests.', t, s, 'public', array[th], d::date, true
      from unnest(${sql.param(rows.map((r) => r.name))}::text[], ${sql.param(rows.map((r) => r.type))}::text[], ${sql.param(rows.map((r) => r.stage))}::text[],
                  ${sql.param(rows.map((r) => r.theme))}::text[], ${sql.param(rows.map((r) => r.startedOn))}::text[]) as x(n, t, s, th, d)
      returning id`)
  ).map((r) => r.id);
  const members: [string, string, string][] = [];
  const activities: [string, string, string][] = [];
  for (const id of ids) {
    const size = 2 + Math.floor(random() * 5);
    const chosen = new Set<string>();
    while (chosen.size < size) chosen.add(orgs[Math.floor(random() * orgs.length)]!);
    [...chosen].forEach((org, k) => members.push([id, org, k === 0 ? 'lead' : 'member']));
    const n = 1 + Math.floor(random() * 4);
    for (let k = 0; k < n; k++) activities.push([id, day(Math.floor(random() * 730)), 'Generated meeting of the member schools']);
  }
  for (let at = 0; at < members.length; at += 5000) {
    const batch = members.slice(at, at + 5000);
    await database.rows(sql`
      insert into partnership_members (partnership_id, organisation_id, role)
      select p::uuid, o::uuid, r from unnest(${sql.param(batch.map((m) => m[0]))}::text[], ${sql.param(batch.map((m) => m[1]))}::text[], ${sql.param(batch.map((m) => m[2]))}::text[]) as x(p, o, r)
      on conflict do nothing`);
  }
  for (let at = 0; at < activities.length; at += 5000) {
    const batch = activities.slice(at, at + 5000);
    await database.rows(sql`
      insert into partnership_activities (partnership_id, happened_on, kind, participants)
      select p::uuid, d::date, 'meeting', w from unnest(${sql.param(batch.map((a) => a[0]))}::text[], ${sql.param(batch.map((a) => a[1]))}::text[], ${sql.param(batch.map((a) => a[2]))}::text[]) as x(p, d, w)`);
  }
}

const client = new pg.Client({ connectionString: admin });
await client.connect();
const exists = (await client.query('select 1 from pg_database where datname = $1', [name])).rowCount! > 0;
if (!exists) await client.query(`create database ${name}`);
await client.end();
const url = new URL(admin);
url.pathname = `/${name}`;
const database = await openDatabase({ url: url.toString() });
const [state] = await database.rows<{ schools: number; studies: number; partnerships: number }>(sql`
  select (select count(*)::int from establishments) as schools, (select count(*)::int from case_studies) as studies, (select count(*)::int from partnerships) as partnerships`);
if (state!.schools < 20_000) {
  await step('GIAS groups (sample file: the national extract has no groups)', () => importGiasGroups(database, 'data/sample/gias/allgroupsdata.csv'));
  await step('GIAS national extract', () => importGiasNational(database, `${NATIONAL}/gias-open-establishments-2025-05-24.csv`));
  await step('school census, January 2023', () => importCensus(database, `${NATIONAL}/spc-school-level-2022-23.csv`));
  await step('absence 2024/25', () => importAbsenceNational(database, `${NATIONAL}/absence-2024-25.csv`));
  await step('DfE measure files (LA and England figures, similar-schools inputs)', () => importMeasures(database, 'data/sample/measures'));
  await step('families', () => new FamiliesService(database).rebuild());
}
if (state!.studies < studies) await step(`${studies.toLocaleString('en-GB')} generated case studies`, () => seedCaseStudies(database, studies - state!.studies));
if (state!.partnerships < partnerships) await step(`${partnerships.toLocaleString('en-GB')} generated partnerships`, () => seedPartnerships(database, partnerships - state!.partnerships));
await database.rows(sql`analyze`);
const [after] = await database.rows<{ schools: number; studies: number; partnerships: number }>(sql`
  select (select count(*)::int from establishments) as schools, (select count(*)::int from case_studies) as studies, (select count(*)::int from partnerships) as partnerships`);
await database.close();
console.log(`national instance: ${after!.schools.toLocaleString('en-GB')} schools, ${after!.studies.toLocaleString('en-GB')} case studies, ${after!.partnerships.toLocaleString('en-GB')} partnerships`);
console.log(`TRELLIS_SOAK_DATABASE_URL=${url.toString()}`);
process.exit(0);
