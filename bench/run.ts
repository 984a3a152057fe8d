/**
 * `npm run bench`: the foundation's speed targets, measured on this machine and written to docs/benchmarks.md.
 *  - import of a 50,000-row GIAS-format file (resampled real rows) on PGlite and on PostgreSQL: target ≤ 20 s;
 *  - school page latency at 20 concurrent connections (autocannon): target p95 ≤ 50 ms, and throughput as a ratio of
 *    a bare Fastify + Nunjucks page served by the same process.
 *  - families: every school's family for one model over 22,000 schools (resampled real inputs) ≤ 3 s on one core, as a
 *    ratio against brute force in the same run; a custom family for one school among 22,000 ≤ 20 ms; data-pack page
 *    p95 ≤ 50 ms at 20 connections.
 *  - practice: search over 100,000 generated case studies on PGlite and PostgreSQL, p95 ≤ 30 ms.
 *  - brokerage: matching one need among 10,000 offers on PGlite and PostgreSQL, ≤ 50 ms; matching precision at 3.
 *  - areas: the area view over the real national files (about 24,000 schools) with generated collaborations, ≤ 2 s.
 * Options: --only=import,pages,families,families-pages,practice,brokerage,areas  --corpus=demo,recombined (practice libraries)  --rows=50000  --duration=15 (seconds per page run)  --no-write (leave docs alone)
 * Traffic goes only to 127.0.0.1; every loop is bounded.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { openDatabase } from '../src/db/client';
import { importGias } from '../src/importers/gias.importer';
import { generateGias } from './generate-gias';
import { benchFamilies } from './families';
import { benchPractice } from './practice';
import { benchBrokerage } from './brokerage';
import { benchAreas } from './areas';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const only = new Set((args.get('only') ?? 'import,pages,families,families-pages,practice,brokerage,areas').split(','));
const rows = Number(args.get('rows') ?? 50_000);
const duration = Number(args.get('duration') ?? 15);
const write = !args.has('no-write');
const pgAdmin = process.env.TRELLIS_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

mkdirSync('bench/out', { recursive: true });
const sections: Record<string, string[]> = { foundation: [], families: [], practice: [], brokerage: [], areas: [] };
let section = 'foundation';
const log = (line: string) => {
  console.log(line);
  sections[section]!.push(line);
};

async function timeImport(label: string, open: () => Promise<{ database: Awaited<ReturnType<typeof openDatabase>>; cleanup: () => Promise<void> }>, file: string) {
  const { database, cleanup } = await open();
  try {
    const started = performance.now();
    const result = await importGias(database, file);
    const seconds = (performance.now() - started) / 1000;
    log(`| GIAS import, ${result.rows.toLocaleString('en-GB')} rows, ${label} | ${seconds.toFixed(1)} s | ≤ 20 s | ${seconds <= 20 ? 'met' : '**missed**'} |`);
  } finally {
    await database.close();
    await cleanup();
  }
}

async function benchImport() {
  const file = join('bench/out', `gias-${rows}.csv`);
  if (!existsSync(file)) generateGias(rows, file);
  const dir = mkdtempSync(join(tmpdir(), 'trellis-bench-'));
  await timeImport('PGlite (on disk)', async () => ({ database: await openDatabase({ dataDir: dir }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) }), file);
  const name = `trellis_bench_${Date.now()}`;
  try {
    const admin = new pg.Client({ connectionString: pgAdmin });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
  } catch (error) {
    log(`| GIAS import, PostgreSQL | not measured: ${(error as Error).message} | ≤ 20 s | not measured |`);
    return;
  }
  const url = new URL(pgAdmin);
  url.pathname = `/${name}`;
  await timeImport(
    'PostgreSQL 15 (local)',
    async () => ({
      database: await openDatabase({ url: url.toString() }),
      cleanup: async () => {
        const admin = new pg.Client({ connectionString: pgAdmin });
        await admin.connect();
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    }),
    file,
  );
}

interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function load(baseUrl: string, paths: string[], seconds: number, amount?: number): Promise<LoadResult> {
  const times: number[] = [];
  let i = 0;
  const result = await autocannon({
    url: baseUrl,
    connections: 20,
    ...(amount ? { amount } : { duration: seconds }),
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
    setupClient: (client) => client.on('response', (_status: number, _bytes: number, responseTime: number) => times.push(responseTime)),
  });
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? NaN;
  return { requestsPerSecond: result.requests.average, p50: pct(50), p95: pct(95), p99: pct(99), errors: result.errors, non2xx: result.non2xx };
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

async function benchPages() {
  const dataDir = mkdtempSync(join(tmpdir(), 'trellis-bench-pages-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/server.ts'], {
    env: { ...process.env, BENCH_DATA_DIR: dataDir, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('bench server did not start in 120 s')), 120_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        const m = /READY (\d+)/.exec(chunk.toString());
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    // Schools with the most figures on their pages: every sample school that has absence data.
    const urns = (JSON.parse(readFileSync('data/sample/measures/EstablishmentAbsence.json', 'utf8')) as { Id: string }[]).map((r) => r.Id);
    const schoolPaths = urns.map((u) => `/schools/${u}`);
    const runs: [string, string[], string][] = [
      ['Bare Fastify + Nunjucks page (same process)', ['/__bench/bare'], ''],
      ['Bare Fastify + Nunjucks page padded to 35 kB, the size of a school page', ['/__bench/bare-35k'], ''],
      ['School page `/schools/:urn`, 1,912 schools in turn, steady state (page cache warm)', schoolPaths, '≤ 50 ms'],
      ['Search `/?q=…` (typo-tolerant name search)', ['/?q=gospel+ok', '/?q=havrstock', '/?q=NW3+2JB', '/?q=academy&region=H', '/?q=st+marys'], ''],
      ['Local-authority page `/local-authorities/:code`', ['/local-authorities/202', '/local-authorities/330', '/local-authorities/886'], ''],
    ];
    const secondary = (JSON.parse(readFileSync('data/sample/measures/SimilarSchoolsSecondaryValuesEntry.json', 'utf8')) as { URN: string }[]).map((r) => `/schools/${r.URN}/data-pack`);
    if (only.has('pages')) {
    // Every school page once, in turn, on a cold cache: what the first reader of each page waits.
    const cold = await load(baseUrl, schoolPaths, 0, schoolPaths.length);
    log(
      `| School page, first view of each of ${schoolPaths.length.toLocaleString('en-GB')} schools (cold: rendered, not cached) | ${Math.round(cold.requestsPerSecond).toLocaleString('en-GB')} req/s; p50 ${ms(cold.p50)}, p95 ${ms(cold.p95)}, p99 ${ms(cold.p99)}; ${cold.errors} errors, ${cold.non2xx} non-2xx | ≤ 50 ms | ${cold.p95 <= 50 ? 'met' : '**missed**'} |`,
    );
    const results: LoadResult[] = [];
    for (const [label, paths, target] of runs) {
      await load(baseUrl, paths, 3); // warm caches and the JIT
      const r = await load(baseUrl, paths, duration);
      results.push(r);
      const met = target ? (r.p95 <= 50 ? 'met' : '**missed**') : '';
      log(`| ${label} | ${Math.round(r.requestsPerSecond).toLocaleString('en-GB')} req/s; p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, p99 ${ms(r.p99)}; ${r.errors} errors, ${r.non2xx} non-2xx | ${target || '–'} | ${met || '–'} |`);
    }
    const ratio = results[2]!.requestsPerSecond / results[0]!.requestsPerSecond;
    const sized = results[2]!.requestsPerSecond / results[1]!.requestsPerSecond;
    log(`| School page throughput ÷ bare page throughput | ${ratio.toFixed(2)} | ≥ 0.5 (PITFALLS.md) | ${ratio >= 0.5 ? 'met' : '**missed**'} |`);
    log(`| School page throughput ÷ bare page of the same size | ${sized.toFixed(2)} | ≥ 0.5 | ${sized >= 0.5 ? 'met' : '**missed**'} |`);
    }
    if (only.has('families') || only.has('families-pages')) {
      section = 'families';
      const coldPack = await load(baseUrl, secondary, 0, secondary.length);
      log(`| Data-pack page, first view of each of ${secondary.length.toLocaleString('en-GB')} secondary schools (cold) | ${Math.round(coldPack.requestsPerSecond)} req/s; p50 ${ms(coldPack.p50)}, p95 ${ms(coldPack.p95)}, p99 ${ms(coldPack.p99)}; ${coldPack.errors} errors, ${coldPack.non2xx} non-2xx | ≤ 50 ms | ${coldPack.p95 <= 50 ? 'met' : '**missed**'} |`);
      await load(baseUrl, secondary, 3);
      const pack = await load(baseUrl, secondary, duration);
      log(`| Data-pack page \`/schools/:urn/data-pack\`, steady state (page cache warm) | ${Math.round(pack.requestsPerSecond).toLocaleString('en-GB')} req/s; p50 ${ms(pack.p50)}, p95 ${ms(pack.p95)}, p99 ${ms(pack.p99)}; ${pack.errors} errors, ${pack.non2xx} non-2xx | ≤ 50 ms | ${pack.p95 <= 50 ? 'met' : '**missed**'} |`);
      section = 'foundation';
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const started = new Date();
for (const name of Object.keys(sections)) sections[name]!.push('| measure | result | target | |', '|---|---|---|---|');
if (only.has('families')) {
  section = 'families';
  const f = benchFamilies(22_000);
  log(`| Every family, DfE secondary model, 22,000 schools (resampled real inputs ±5%), one core | ${f.fastSeconds.toFixed(2)} s | ≤ 3 s | ${f.fastSeconds <= 3 ? 'met' : '**missed**'} |`);
  log(`| Same, brute force (every pair), same run | ${f.naiveSeconds.toFixed(2)} s; k-d tree ${(f.naiveSeconds / f.fastSeconds).toFixed(1)}× faster; same families: ${f.identical ? 'yes' : '**no**'} | – | – |`);
  log(`| Custom family (5 inputs, 50 nearest) for one school among 22,000 | p50 ${f.customMsP50.toFixed(1)} ms, p95 ${f.customMsP95.toFixed(1)} ms over 200 schools | ≤ 20 ms | ${f.customMsP95 <= 20 ? 'met' : '**missed**'} |`);
  section = 'foundation';
}
if (only.has('practice')) {
  section = 'practice';
  const corpora = (args.get('corpus') ?? 'demo,recombined').split(',') as ('demo' | 'recombined')[];
  for (const r of await benchPractice(100_000, pgAdmin, corpora)) {
    const library = r.corpus === 'demo' ? 'generated from the demonstration texts' : 'recombined from 15 sentences (worst case, not the target)';
    const shares = `queries match ${(r.shares[0] * 100).toFixed(0)}–${(r.shares[1] * 100).toFixed(0)}% of studies`;
    const verdict = r.corpus === 'demo' ? (r.p95 <= 30 ? 'met' : '**missed**') : `worst case: ${r.p95 <= 30 ? 'met' : 'missed'}`;
    log(`| Practice search over 100,000 case studies ${library}, ${r.label} (200 searches, a third with a theme filter; ${shares}) | p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (load average ${r.load[0].toFixed(1)} → ${r.load[1].toFixed(1)}; loading them: ${r.seedSeconds.toFixed(0)} s) | p95 ≤ 30 ms | ${verdict} |`);
  }
  section = 'foundation';
}
if (only.has('brokerage')) {
  section = 'brokerage';
  const b = await benchBrokerage(pgAdmin);
  log(`| Matching precision at 3 against a facilitator's picks (${b.precision.needs} demonstration needs, test/fixtures/matching-scenarios.ts) | ${b.precision.mean.toFixed(3)} | ≥ 0.7 | ${b.precision.mean >= 0.7 ? 'met' : '**missed**'} |`);
  for (const r of b.results) {
    log(`| Offers ranked for one need among ${r.offers.toLocaleString('en-GB')} open offers all on its theme and kind, ${r.label} (60 runs; ${r.shown.toLocaleString("en-GB")} within reach and ranked, the first 50 shown) | p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms | ≤ 50 ms | ${r.p95 <= 50 ? 'met' : '**missed**'} |`);
  }
  section = 'foundation';
}
if (only.has('areas')) {
  section = 'areas';
  const a = await benchAreas();
  const sorted = [...a.runs].sort((x, y) => x - y);
  const worst = sorted[sorted.length - 1]!;
  log(`| Area view over the national files: ${a.schools.toLocaleString('en-GB')} schools (${a.located.toLocaleString('en-GB')} located), generated collaborations for a fifth of them and ${a.offers.toLocaleString('en-GB')} offers; every indicator, access (two-step floating catchment), cover, cold spots and trends at four levels (${a.runs.length} runs) | median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, slowest ${worst.toFixed(0)} ms; ${a.areaColdSpots} areas and ${a.schoolColdSpots.toLocaleString('en-GB')} schools are cold spots, ${a.coastal.toLocaleString('en-GB')} schools coastal | ≤ 2 s | ${worst <= 2000 ? 'met' : '**missed**'} |`);
  log(`| Reading and indexing the boundaries (once per process) | ${a.boundariesMs.toFixed(0)} ms | – | – |`);
  section = 'foundation';
}
if (only.has('import')) await benchImport();
if (only.has('pages') || only.has('families-pages')) await benchPages();

if (write) {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const titles: Record<string, string> = { foundation: 'Foundation: import and pages', families: 'Families and data packs', practice: 'Practice library search', brokerage: 'Brokerage: matching', areas: 'Area view: need against collaboration' };
  const path = 'docs/benchmarks.md';
  let current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  for (const [name, lines] of Object.entries(sections)) {
    if (lines.length <= 2) continue;
    const block = [
      `<!-- bench:${name}:start -->`,
      `Measured ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}, with \`npm run bench\` (${duration} s per page run after a 3 s warm-up, 20 connections, autocannon; p95 computed from every response time).`,
      '',
      ...lines,
      `<!-- bench:${name}:end -->`,
    ].join('\n');
    const pattern = new RegExp(`<!-- bench:${name}:start -->[\\s\\S]*<!-- bench:${name}:end -->`);
    current = pattern.test(current) ? current.replace(pattern, block) : `${current.trimEnd()}\n\n## ${titles[name]}\n\n${block}\n`;
  }
  writeFileSync(path, current);
  console.log(`\nwritten to ${path}`);
}
process.exit(0);
