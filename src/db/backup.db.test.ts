import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/database';
import { loadSample } from '../importers/sample';
import { BackupError, backupDatabase, restoreDatabase, type BackupTarget } from './backup';
import { openDatabase, type Database } from './client';

/**
 * Round trip of the full demo (the sample and its demo content): back up, restore into a fresh database, and compare
 * every table in schema public by row count and by a checksum of its rows. PGlite in the normal run; PostgreSQL
 * (pg_dump / pg_restore) when TRELLIS_TEST_DB=postgres.
 */

type Checksums = Record<string, { rows: number; md5: string }>;

async function checksums(database: Database): Promise<Checksums> {
  const tables = await database.rows<{ name: string }>(
    sql`select tablename as name from pg_tables where schemaname = 'public' order by tablename`,
  );
  const out: Checksums = {};
  for (const { name } of tables) {
    const [row] = await database.rows<{ rows: number; md5: string }>(
      sql.raw(`select count(*)::int as rows, md5(coalesce(string_agg(t::text, ',' order by t::text), '')) as md5 from public."${name}" t`),
    );
    out[name] = row!;
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'trellis-backup-'));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  rmSync(dir, { recursive: true, force: true });
});

const onPostgres = process.env.TRELLIS_TEST_DB === 'postgres';

describe(`backup and restore of the full demo (${onPostgres ? 'PostgreSQL: pg_dump and pg_restore' : 'PGlite: data directory'})`, () => {
  it('restores into a fresh database with the same rows in every table, and refuses to overwrite data without --force', async () => {
    let source: BackupTarget;
    let before: Checksums;
    if (onPostgres) {
      const db = await createTestDatabase({ sample: true });
      cleanups.push(() => db.close());
      source = { kind: 'postgres', url: db.url! };
      before = await checksums(db);
    } else {
      const dataDir = join(dir, 'source');
      const db = await openDatabase({ dataDir });
      await loadSample(db, 'data/sample');
      before = await checksums(db);
      await db.close();
      source = { kind: 'pglite', dataDir };
    }
    // The demo is all there: establishments, measures, accounts, partnerships, case studies …
    expect(before.establishments!.rows).toBeGreaterThan(1900);
    expect(before.measure_values!.rows).toBeGreaterThan(10_000);
    expect(Object.values(before).filter((t) => t.rows > 0).length).toBeGreaterThan(20);

    const file = join(dir, onPostgres ? 'trellis.dump' : 'trellis.tar.gz');
    const backup = await backupDatabase(source, file);
    expect(backup.bytes).toBeGreaterThan(100_000);

    // Into a fresh database: on PostgreSQL a new, migrated but empty one (as a new server would have).
    let restored: Database;
    let target: BackupTarget;
    if (onPostgres) {
      const fresh = await createTestDatabase();
      cleanups.push(() => fresh.close());
      target = { kind: 'postgres', url: fresh.url! };
      const result = await restoreDatabase(target, file);
      expect(result.replaced).toEqual([]);
      restored = fresh;
    } else {
      target = { kind: 'pglite', dataDir: join(dir, 'restored') };
      const result = await restoreDatabase(target, file);
      expect(result.replaced).toEqual([]);
      restored = await openDatabase({ dataDir: target.dataDir });
    }
    const after = await checksums(restored);
    expect(after).toEqual(before);
    if (!onPostgres) await restored.close();

    // The restored database now holds data: a second restore is refused and says what it would replace.
    const refused = await restoreDatabase(target, file).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BackupError);
    expect((refused as Error).message).toMatch(/Refusing to restore.*holds data.*establishments \(\d[\d,]* rows\).*--force/s);

    // With --force it replaces it; on PGlite the replaced data directory is kept beside it.
    const forced = await restoreDatabase(target, file, { force: true });
    expect(forced.replaced.find((t) => t.table === 'establishments')?.rows).toBe(before.establishments!.rows);
    if (!onPostgres) expect(existsSync(forced.previousDataDir!)).toBe(true);
    const again = onPostgres ? restored : await openDatabase({ dataDir: (target as { dataDir: string }).dataDir });
    expect(await checksums(again)).toEqual(before);
    if (!onPostgres) await again.close();
  }, 300_000);

  it('refuses a file that is not a backup, or a backup of the other kind of database', async () => {
    const notBackup = join(dir, 'notes.txt');
    writeFileSync(notBackup, 'hello');
    const target: BackupTarget = onPostgres ? { kind: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test' } : { kind: 'pglite', dataDir: join(dir, 'never') };
    await expect(restoreDatabase(target, notBackup)).rejects.toThrow(/not a Trellis backup/);
    const other = join(dir, 'other');
    writeFileSync(other, onPostgres ? Buffer.from([0x1f, 0x8b, 8, 0]) : Buffer.from('PGDMP-----'));
    await expect(restoreDatabase(target, other)).rejects.toThrow(onPostgres ? /embedded database/ : /PostgreSQL backup/);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
