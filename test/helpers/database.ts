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

/** An empty PostgreSQL database of its own on the test server (for tests that start servers or CLIs on it), and how to drop it. */
export async function scratchPostgres(prefix = 'trellis_t'): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl() });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

export async function createTestDatabase(options: { sample?: boolean } = {}): Promise<TestDatabase> {
  let database: Database;
  let drop: (() => Promise<void>) | undefined;
  let testUrl: string | undefined;
  if (process.env.TRELLIS_TEST_DB === 'postgres') {
    const scratch = await scratchPostgres();
    testUrl = scratch.url;
    drop = scratch.drop;
    database = await openDatabase({ url: testUrl });
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
