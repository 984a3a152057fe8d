import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/client';
import { loadSample } from '../../src/importers/sample';

/**
 * A database for one test file: PGlite in memory by default, or a fresh PostgreSQL database when
 * TRELLIS_TEST_DB=postgres (server from TRELLIS_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/test),
 * dropped again by `close()`.
 */
export interface TestDatabase extends Database {
  /** Row count of a table, for "nothing changed" assertions. */
  count(table: string): Promise<number>;
  /** The PostgreSQL URL of this test database (undefined on PGlite), for tools such as pg_dump. */
  url?: string;
}

const adminUrl = () => process.env.TRELLIS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function createTestDatabase(options: { sample?: boolean } = {}): Promise<TestDatabase> {
  let database: Database;
  let drop: (() => Promise<void>) | undefined;
  let testUrl: string | undefined;
  if (process.env.TRELLIS_TEST_DB === 'postgres') {
    const name = `trellis_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(adminUrl());
    url.pathname = `/${name}`;
    testUrl = url.toString();
    database = await openDatabase({ url: testUrl });
    drop = async () => {
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  } else {
    database = await openDatabase({});
  }
  if (options.sample) await loadSample(database, 'data/sample');
  const close = database.close;
  return {
    ...database,
    ...(testUrl ? { url: testUrl } : {}),
    async count(table: string) {
      const { sql } = await import('drizzle-orm');
      const [row] = await database.rows<{ n: number }>(sql.raw(`select count(*)::int as n from "${table}"`));
      return row?.n ?? 0;
    },
    async close() {
      await close();
      await drop?.();
    },
  };
}
