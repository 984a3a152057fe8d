import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateGias } from '../../bench/generate-gias';
import { scratchPostgres } from '../helpers/database';
import { openDatabase, type Database } from '../../src/db/client';
import { importGias } from '../../src/importers/gias.importer';

/**
 * Kill during import (issue 10): a large GIAS import is started in a child process (the real CLI), killed with
 * SIGKILL once it reports progress and before it finishes; the database is opened again and must hold exactly the
 * previous data; a re-run then completes. On PGlite (a data directory) by default, on PostgreSQL with
 * TRELLIS_TEST_DB=postgres.
 */
const onPostgres = process.env.TRELLIS_TEST_DB === 'postgres';
const work = mkdtempSync(join(tmpdir(), 'trellis-kill-'));
const dataDir = join(work, 'db');
const bigFile = join(work, 'gias-big.csv');
const ROWS = 60_000;
let url: string | undefined;
let drop: (() => Promise<void>) | undefined;

const open = (): Promise<Database> => openDatabase(url ? { url } : { dataDir });
const fingerprint = async (db: Database) =>
  (await db.rows<{ n: number; sum: string }>(sql`select count(*)::int as n, md5(coalesce(string_agg(urn::text || '|' || name || '|' || coalesce(pupils::text, ''), ',' order by urn), '')) as sum from establishments`))[0]!;

beforeAll(async () => {
  if (onPostgres) {
    const scratch = await scratchPostgres('trellis_kill');
    url = scratch.url;
    drop = scratch.drop;
  }
  generateGias(ROWS, bigFile);
}, 120_000);

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  await drop?.();

});

describe('an import killed half-way', () => {
  it('leaves the previous data intact, and a re-run completes', async () => {
    // The previous data: the sample's 1,924 establishments.
    let db = await open();
    await importGias(db, 'data/sample/gias/edubasealldata.csv');
    const before = await fingerprint(db);
    expect(before.n).toBe(1924);
    await db.close();

    // The real CLI, in its own process, on the large file.
    const env: NodeJS.ProcessEnv = { ...process.env, TRELLIS_DATA_DIR: dataDir, NODE_ENV: 'test' };
    delete env.DATABASE_URL;
    if (url) env.DATABASE_URL = url;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'import', 'gias', bigFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let exited = false;
    child.on('exit', () => (exited = true));
    const progressed = await new Promise<{ pct: number; rows: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no progress within 90 s:\n${output}`)), 90_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const m = /import gias: (\d+)% \((\d+) rows\)/.exec(output);
        if (m && Number(m[2]) > 0) {
          clearTimeout(timer);
          resolve({ pct: Number(m[1]), rows: Number(m[2]) });
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('exit', (code) => reject(new Error(`the import ended (code ${code}) before it reported progress:\n${output}`)));
    });
    expect(progressed.pct).toBeLessThan(100);
    expect(progressed.rows).toBeLessThan(ROWS);
    expect(exited).toBe(false); // not finished
    expect(output).not.toContain('Imported');
    child.kill('SIGKILL');
    await new Promise<void>((resolve) => (exited ? resolve() : child.on('exit', () => resolve())));

    // Opened again (PGlite recovers from its write-ahead log): exactly the previous data.
    db = await open();
    expect(await fingerprint(db)).toEqual(before);
    const runs = await db.rows<{ status: string }>(sql`select status from import_runs where kind = 'gias' order by id`);
    expect(runs.map((r) => r.status)).not.toContain('failed'); // the killed run never got to record an ending
    expect(runs.filter((r) => r.status === 'succeeded')).toHaveLength(1);

    // A re-run completes and adds every row.
    const result = await importGias(db, bigFile);
    expect(result.rows).toBe(ROWS);
    expect((await fingerprint(db)).n).toBe(1924 + ROWS);
    await db.close();
  }, 240_000);
});
