import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readSync, closeSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { PGLITE_EXTENSIONS } from './client';

/**
 * Backup and restore of either database, as the command line runs them:
 * - the embedded database (PGlite): a gzipped tarball of its data directory (`dumpDataDir`), restored by creating a
 *   new data directory from it (`loadDataDir`) and swapping it into place, the old one kept beside it;
 * - PostgreSQL: `pg_dump -Fc` (custom format, every schema: Trellis's tables, the migrations journal, the job queue),
 *   restored with `pg_restore --clean --if-exists --single-transaction`, so a failed restore changes nothing.
 * A restore into a database that holds data is refused unless forced, and the refusal says what would be replaced.
 */

export type BackupTarget = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

export class BackupError extends Error {}

/** A table and its row count, for "what is in this database" messages. */
export interface TableCount {
  table: string;
  rows: number;
}

export interface BackupResult {
  file: string;
  bytes: number;
  format: 'pglite-tarball' | 'pg-dump-custom';
}

export interface RestoreResult {
  format: BackupResult['format'];
  /** What the target held before (tables with rows); empty for an empty target. */
  replaced: TableCount[];
  /** PGlite only: where the data directory that was replaced was moved. */
  previousDataDir?: string;
}

/** Tables in schema public with their row counts (only those with rows), largest first. */
const COUNT_TABLES_SQL = `
  select table_name as table from information_schema.tables
  where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`;

async function countRows(query: (text: string) => Promise<{ rows: unknown[] }>): Promise<TableCount[]> {
  const tables = (await query(COUNT_TABLES_SQL)).rows as { table: string }[];
  const out: TableCount[] = [];
  for (const { table } of tables) {
    const [row] = (await query(`select count(*)::int as n from public."${table.replace(/"/g, '""')}"`)).rows as { n: number }[];
    if (row && row.n > 0) out.push({ table, rows: row.n });
  }
  return out.sort((a, b) => b.rows - a.rows || a.table.localeCompare(b.table));
}

/** A one-line summary: "establishments (1,924 rows), measure_values (25,310 rows) and 12 other tables with 3,100 rows". */
export function describeCounts(counts: readonly TableCount[], shown = 6): string {
  const fmt = (n: number) => n.toLocaleString('en-GB');
  const head = counts.slice(0, shown).map((c) => `${c.table} (${fmt(c.rows)} row${c.rows === 1 ? '' : 's'})`);
  const rest = counts.slice(shown);
  if (rest.length === 0) return head.join(', ');
  const restRows = rest.reduce((n, c) => n + c.rows, 0);
  return `${head.join(', ')} and ${rest.length} other table${rest.length === 1 ? '' : 's'} with ${fmt(restRows)} rows`;
}

/** The URL without its password, for messages and command lines; the password goes in PGPASSWORD. */
function splitPassword(url: string): { url: string; password: string | undefined } {
  const u = new URL(url);
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  u.password = '';
  return { url: u.toString(), password };
}

export function redactUrl(url: string): string {
  return splitPassword(url).url;
}

/** Runs a PostgreSQL client program (never through a shell); rejects with its standard error when it fails. */
function runTool(program: string, args: string[], password: string | undefined): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const env = { ...process.env, ...(password !== undefined ? { PGPASSWORD: password } : {}) };
    const child = spawn(program, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 20_000) stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new BackupError(
          error.code === 'ENOENT' ? `${program} is not installed or not on the PATH (install the PostgreSQL client programs, version 15 or later).` : `${program}: ${error.message}`,
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolvePromise();
      else reject(new BackupError(`${program} failed (exit code ${code}):\n${stderr.trim()}`));
    });
  });
}

/** What a backup file is, from its first bytes: a pg_dump custom-format archive starts "PGDMP", a gzip file 1f 8b. */
export function backupFormat(file: string): BackupResult['format'] {
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(5);
  try {
    readSync(fd, head, 0, 5, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') === 'PGDMP') return 'pg-dump-custom';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite-tarball';
  throw new BackupError(`${file} is not a Trellis backup: it is neither a pg_dump custom-format archive nor a gzipped data directory.`);
}

function dataDirHasFiles(dataDir: string): boolean {
  return existsSync(dataDir) && readdirSync(dataDir).length > 0;
}

async function openPgliteDir(dataDir: string, loadDataDir?: Blob): Promise<PGlite> {
  return PGlite.create(dataDir, { extensions: PGLITE_EXTENSIONS, ...(loadDataDir ? { loadDataDir } : {}) });
}

/** Row counts of the target database's tables (empty when it has none, or no database yet). */
export async function targetContents(target: BackupTarget): Promise<TableCount[]> {
  if (target.kind === 'pglite') {
    if (!dataDirHasFiles(target.dataDir)) return [];
    const client = await openPgliteDir(target.dataDir);
    try {
      return await countRows((text) => client.query(text));
    } finally {
      await client.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url });
  try {
    await client.connect();
  } catch (error) {
    throw new BackupError(`Cannot connect to ${redactUrl(target.url)}: ${error instanceof Error ? error.message : String(error)}. Create the database first (createdb), then restore into it.`);
  }
  try {
    return await countRows((text) => client.query(text));
  } finally {
    await client.end();
  }
}

/**
 * Writes a backup of the target to `file`. The embedded database must not be open in another process (stop the
 * server first); PostgreSQL is dumped as a consistent snapshot while it runs.
 */
export async function backupDatabase(target: BackupTarget, file: string): Promise<BackupResult> {
  const out = resolve(file);
  mkdirSync(dirname(out), { recursive: true });
  if (target.kind === 'pglite') {
    if (!dataDirHasFiles(target.dataDir)) throw new BackupError(`There is no embedded database in ${target.dataDir} to back up.`);
    const client = await openPgliteDir(target.dataDir);
    try {
      const tarball = await client.dumpDataDir('gzip');
      // Written beside the target and renamed, so an interrupted backup never leaves a truncated file under its name.
      const partial = `${out}.partial`;
      writeFileSync(partial, Buffer.from(await tarball.arrayBuffer()));
      renameSync(partial, out);
    } finally {
      await client.close();
    }
    return { file: out, bytes: statSync(out).size, format: 'pglite-tarball' };
  }
  const { url, password } = splitPassword(target.url);
  const partial = `${out}.partial`;
  try {
    await runTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${partial}`, `--dbname=${url}`], password);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  renameSync(partial, out);
  return { file: out, bytes: statSync(out).size, format: 'pg-dump-custom' };
}

export interface RestoreOptions {
  /** Replace a database that holds data. Without it, such a restore is refused. */
  force?: boolean;
}

/**
 * Restores `file` into the target. Refuses (BackupError) when the file is for the other kind of database, or when
 * the target holds data and `force` is not given: the message lists what would be replaced.
 */
export async function restoreDatabase(target: BackupTarget, file: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  if (!existsSync(file)) throw new BackupError(`There is no file at ${file}.`);
  const format = backupFormat(file);
  const expected = target.kind === 'pglite' ? 'pglite-tarball' : 'pg-dump-custom';
  if (format !== expected) {
    throw new BackupError(
      format === 'pglite-tarball'
        ? `${file} is a backup of the embedded database (PGlite), but DATABASE_URL points at PostgreSQL: unset DATABASE_URL to restore it into TRELLIS_DATA_DIR.`
        : `${file} is a PostgreSQL backup (pg_dump), but no DATABASE_URL is set: set DATABASE_URL to the PostgreSQL database to restore it into.`,
    );
  }
  const where = target.kind === 'pglite' ? `the embedded database in ${target.dataDir}` : `the PostgreSQL database ${redactUrl(target.url)}`;
  const replaced = await targetContents(target);
  if (replaced.length > 0 && !options.force) {
    throw new BackupError(
      `Refusing to restore: ${where} holds data, and the restore would replace all of it: ${describeCounts(replaced)}.\n` +
        `Back it up first if you may need it, then run the restore again with --force.`,
    );
  }
  if (target.kind === 'pglite') return { format, replaced, ...(await restorePglite(target.dataDir, file)) };
  const { url, password } = splitPassword(target.url);
  await runTool('pg_restore', ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${url}`, file], password);
  return { format, replaced };
}

/**
 * Builds the new data directory beside the old one and checks that it opens before swapping them, so a bad or
 * truncated backup leaves the current database as it was. The replaced directory is kept (renamed), never deleted.
 */
async function restorePglite(dataDir: string, file: string): Promise<{ previousDataDir?: string }> {
  const target = resolve(dataDir);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const staging = `${target}.restoring-${stamp}`;
  mkdirSync(staging, { recursive: true });
  try {
    const client = await openPgliteDir(staging, new Blob([readFileSync(file)]));
    try {
      await client.query('select count(*) from information_schema.tables');
    } finally {
      await client.close();
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new BackupError(`The backup could not be opened as a database, so nothing was changed: ${error instanceof Error ? error.message : String(error)}`);
  }
  let previousDataDir: string | undefined;
  if (existsSync(target)) {
    if (readdirSync(target).length > 0) {
      previousDataDir = `${target}.before-restore-${stamp}`;
      renameSync(target, previousDataDir);
    } else {
      rmSync(target, { recursive: true });
    }
  }
  mkdirSync(dirname(target), { recursive: true });
  renameSync(staging, target);
  return previousDataDir ? { previousDataDir } : {};
}
