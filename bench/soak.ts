/**
 * `npm run bench:soak`: mixed traffic for a long time against a running Trellis, to show it keeps working and does
 * not leak (issue 10). Starts the real server (src/server.ts) as its own process, then runs N connections (default
 * 20), each a loop of requests picked from a route mix: school search, school page, family, data pack, practice
 * search, area page and signed-in pages (account, organisations, support, inbox). Reports every route's count,
 * errors and p50/p95, and the server's resident memory sampled every 10 s; growth is the last minute's mean against
 * the first sample after warm-up (a sixth of the run, at least 30 s).
 *
 * Options: --duration=600 (seconds)  --connections=20  --write (record in docs/benchmarks.md, with an SVG chart)
 * Data: TRELLIS_SOAK_DATABASE_URL (a PostgreSQL database already holding an instance, e.g. the national one built as
 * in docs/operations.md) or TRELLIS_SOAK_DATA_DIR (an embedded database folder); otherwise a fresh embedded database
 * with the sample data. Exits 1 when any request failed. Traffic goes only to 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../src/db/client';
import { AccountRepository } from '../src/db/repositories/account.repository';
import { loadSample } from '../src/importers/sample';
import { hashToken, newToken } from '../src/modules/accounts/tokens';
import { renderChart } from '../src/web/charts';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const duration = Number(args.get('duration') ?? 600);
const connections = Number(args.get('connections') ?? 20);
const write = args.has('write');
const externalUrl = process.env.TRELLIS_SOAK_DATABASE_URL;
const externalDir = process.env.TRELLIS_SOAK_DATA_DIR;

interface Fixture {
  urns: number[];
  names: string[];
  words: string[];
  areas: string[];
  session: string;
  schools: number;
  studies: number;
  partnerships: number;
}

/** Reads what the requests need from the database, and makes a signed-in session (before the server opens it). */
async function prepare(database: Database): Promise<Fixture> {
  const urns = (await database.rows<{ urn: number }>(sql`select urn from establishments where status_name like 'Open%' order by md5(urn::text) limit 2000`)).map((r) => r.urn);
  const names = (await database.rows<{ name: string }>(sql`select split_part(name, ' ', 1) as name from establishments order by md5(name) limit 200`)).map((r) => r.name);
  const areas = (await database.rows<{ code: string }>(sql`select distinct gss_la_code as code from establishments where gss_la_code is not null`)).map((r) => r.code);
  const words = ['attendance', 'reading', 'transition', 'mentoring', 'families', 'wellbeing', 'curriculum', 'phonics', 'behaviour', 'maths'];
  const accounts = new AccountRepository(database);
  const email = `soak.${Date.now()}@example.org`;
  const user = await accounts.createUser({ email, displayName: 'Soak test', passwordHash: null, emailVerified: true });
  const [school] = await database.rows<{ id: string }>(sql`select id from organisations where urn is not null order by name limit 1`);
  if (school) await accounts.addMembership(user.id, school.id, 'member');
  const session = newToken();
  await accounts.createSession({ idHash: hashToken(session), userId: user.id, expiresAt: new Date(Date.now() + 86_400_000), activeOrganisationId: school?.id ?? null, userAgent: 'soak' });
  const [counts] = await database.rows<{ schools: number; studies: number; partnerships: number }>(sql`
    select (select count(*)::int from establishments) as schools, (select count(*)::int from case_studies) as studies, (select count(*)::int from partnerships) as partnerships`);
  return { urns, names, words, areas, session, ...counts! };
}

const ROUTES: { name: string; weight: number; path: (f: Fixture, r: () => number) => string; signedIn?: boolean }[] = [
  { name: 'search', weight: 4, path: (f, r) => `/?q=${encodeURIComponent(pick(f.names, r))}` },
  { name: 'school', weight: 4, path: (f, r) => `/schools/${pick(f.urns, r)}` },
  { name: 'family', weight: 2, path: (f, r) => `/schools/${pick(f.urns, r)}/family` },
  { name: 'data pack', weight: 2, path: (f, r) => `/schools/${pick(f.urns, r)}/data-pack` },
  { name: 'practice search', weight: 3, path: (f, r) => `/practice?q=${pick(f.words, r)}` },
  { name: 'area', weight: 1, path: (f, r) => `/areas/${pick(f.areas, r)}` },
  { name: 'signed-in pages', weight: 2, path: (_f, r) => pick(['/account', '/organisations', '/support', '/inbox', '/partnerships', '/networks'], r), signedIn: true },
];

function pick<T>(list: readonly T[], r: () => number): T {
  return list[Math.floor(r() * list.length)]!;
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'production', TRELLIS_SESSION_SECRET: newToken() + newToken(), TRELLIS_PUBLIC_URL: `http://127.0.0.1:${port}`, TRELLIS_JOBS: 'off', TRELLIS_LOAD_SAMPLE: 'false', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/ready`)).ok) return { child, base };
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error('server not ready in 180 s');
    await new Promise((r) => setTimeout(r, 500));
  }
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function main() {
  let dataDir: string | null = null;
  let env: Record<string, string>;
  let fixture: Fixture;
  if (externalUrl) {
    const database = await openDatabase({ url: externalUrl });
    fixture = await prepare(database);
    await database.close();
    env = { DATABASE_URL: externalUrl };
  } else {
    const dir = externalDir ?? (dataDir = mkdtempSync(join(tmpdir(), 'trellis-soak-')));
    const database = await openDatabase({ dataDir: dir });
    const [row] = await database.rows<{ n: number }>(sql`select count(*)::int as n from establishments`);
    if (row!.n === 0) await loadSample(database, 'data/sample');
    fixture = await prepare(database);
    await database.close();
    env = { TRELLIS_DATA_DIR: dir, DATABASE_URL: '' };
  }
  console.log(`soak: ${fixture.schools.toLocaleString('en-GB')} schools, ${fixture.studies.toLocaleString('en-GB')} case studies, ${fixture.partnerships.toLocaleString('en-GB')} partnerships; ${connections} connections for ${duration} s`);
  const { child, base } = await startServer(env);
  const times = new Map<string, number[]>(ROUTES.map((r) => [r.name, []]));
  const errors = new Map<string, number>(ROUTES.map((r) => [r.name, 0]));
  const failures: string[] = [];
  const memory: { at: number; mib: number }[] = [];
  const started = Date.now();
  const end = started + duration * 1000;
  const sampler = setInterval(() => memory.push({ at: Math.round((Date.now() - started) / 1000), mib: rssMiB(child.pid!) }), 10_000);
  memory.push({ at: 0, mib: rssMiB(child.pid!) });
  const weights = ROUTES.flatMap((r) => Array.from({ length: r.weight }, () => r));
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      const random = rng(1000 + c);
      while (Date.now() < end) {
        const route = pick(weights, random);
        const path = route.path(fixture, random);
        const t0 = performance.now();
        try {
          const response = await fetch(`${base}${path}`, { headers: route.signedIn ? { cookie: `trellis_session=${fixture.session}` } : {}, redirect: 'manual' });
          await response.arrayBuffer();
          times.get(route.name)!.push(performance.now() - t0);
          if (response.status >= 400 && response.status !== 404) {
            errors.set(route.name, errors.get(route.name)! + 1);
            if (failures.length < 10) failures.push(`${response.status} ${path}`);
          }
        } catch (error) {
          errors.set(route.name, errors.get(route.name)! + 1);
          if (failures.length < 10) failures.push(`${(error as Error).message} ${path}`);
        }
      }
    }),
  );
  clearInterval(sampler);
  memory.push({ at: Math.round((Date.now() - started) / 1000), mib: rssMiB(child.pid!) });
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });

  const warmUp = Math.max(30, duration / 6);
  const afterWarmUp = memory.find((m) => m.at >= warmUp) ?? memory[0]!;
  const lastMinute = memory.filter((m) => m.at >= duration - 60);
  const lastMean = lastMinute.reduce((s, m) => s + m.mib, 0) / lastMinute.length;
  const growth = (lastMean - afterWarmUp.mib) / afterWarmUp.mib;
  const lines = [
    '| route | requests | errors | p50 | p95 |',
    '|---|---|---|---|---|',
    ...ROUTES.map((r) => {
      const t = times.get(r.name)!.sort((a, b) => a - b);
      const q = (p: number) => t[Math.min(t.length - 1, Math.floor(p * t.length))] ?? NaN;
      return `| ${r.name} | ${t.length.toLocaleString('en-GB')} | ${errors.get(r.name)} | ${q(0.5).toFixed(1)} ms | ${q(0.95).toFixed(1)} ms |`;
    }),
  ];
  const totalErrors = [...errors.values()].reduce((a, b) => a + b, 0);
  const total = [...times.values()].reduce((a, t) => a + t.length, 0);
  const summary = `${total.toLocaleString('en-GB')} requests in ${duration} s at ${connections} connections, ${totalErrors} errors; resident memory ${afterWarmUp.mib.toFixed(0)} MiB after warm-up (${afterWarmUp.at} s), ${lastMean.toFixed(0)} MiB over the last minute: ${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}% (target: under 10%)`;
  console.log([...lines, '', summary, ...(failures.length ? ['failures:', ...failures] : [])].join('\n'));
  console.log(`memory (s, MiB): ${memory.map((m) => `${m.at}:${m.mib.toFixed(0)}`).join(' ')}`);

  if (write) {
    const chart = renderChart({
      title: 'Resident memory of the server during the soak, MiB, every 10 seconds',
      yLabel: 'MiB',
      points: memory.map((m) => ({ x: String(m.at), series: 'Resident memory', value: m.mib })),
      seriesOrder: ['Resident memory'],
      zero: true,
    });
    writeFileSync('docs/soak-memory.svg', chart.svg);
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
    const data = externalUrl || externalDir ? `an existing instance (${fixture.schools.toLocaleString('en-GB')} schools, ${fixture.studies.toLocaleString('en-GB')} case studies, ${fixture.partnerships.toLocaleString('en-GB')} partnerships)` : 'the sample data';
    const block = [
      '<!-- bench:soak:start -->',
      `Measured ${new Date(started).toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}, with \`npm run bench:soak -- --duration=${duration} --write\` on ${data}.`,
      '',
      ...lines,
      '',
      summary + '.',
      '',
      '![Resident memory during the soak](soak-memory.svg)',
      '<!-- bench:soak:end -->',
    ].join('\n');
    const path = 'docs/benchmarks.md';
    let current = readFileSync(path, 'utf8');
    const pattern = /<!-- bench:soak:start -->[\s\S]*<!-- bench:soak:end -->/;
    current = pattern.test(current) ? current.replace(pattern, block) : `${current.trimEnd()}\n\n## Soak: mixed traffic over time\n\n${block}\n`;
    writeFileSync(path, current);
  }
  process.exit(totalErrors > 0 ? 1 : 0);
}

await main();
