import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema';

export type Schema = typeof schema;
/** The Drizzle database handle that repositories receive: the same API on PGlite and node-postgres. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Runs a query and returns its rows as plain objects. */
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  /**
   * Runs raw SQL text with positional parameters (for libraries that bring their own SQL, such as the job queue).
   * Several statements without parameters run as one script.
   */
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  /** Applies pending migrations. */
  migrate(): Promise<void>;
  /**
   * Runs `fn` while holding a lock shared by every process on this database (a PostgreSQL advisory lock; the
   * embedded database has one process): for start-up work that two app servers must not both do.
   */
  exclusive<T>(key: number, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export interface DatabaseOptions {
  /** `postgres://…` for a PostgreSQL server; otherwise the embedded database is used. */
  url?: string | undefined;
  /** Folder for the embedded database; `memory://` (or undefined) keeps it in memory. */
  dataDir?: string | undefined;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
}

/** Opens the database (PGlite or PostgreSQL) and applies migrations. */
/** Extensions the migrations create: pg_trgm (typo-tolerant names). */
export const PGLITE_EXTENSIONS = { pg_trgm };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.url ? await openPostgres(options.url) : await openPglite(options.dataDir);
  if (options.migrate !== false) {
    try {
      await database.migrate();
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  const inMemory = !dataDir || dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(inMemory ? undefined : dataDir, { extensions: PGLITE_EXTENSIONS });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    async rows<T>(query: SQL) {
      const result = (await db.execute(query)) as unknown as { rows: T[] };
      return result.rows;
    },
    async query(text: string, values?: unknown[]) {
      if (!values?.length && text.includes(';')) {
        const results = await client.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      }
      return { rows: (await client.query(text, values)).rows };
    },
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    exclusive: (_key, fn) => fn(),
    close: () => client.close(),
  };
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection can be ended by the server (restart, failover, a dropped database): node-postgres then emits
  // 'error' on the pool, which would crash the process if nobody listened. The pool replaces the connection.
  pool.on('error', (error) => {
    if ((error as { code?: string }).code !== '57P01') console.warn(`database connection lost: ${error.message}`);
  });
  // Fail at start-up, with the server's message, rather than on the first request.
  const probe = await pool.connect();
  probe.release();
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    async rows<T>(query: SQL) {
      const result = (await db.execute(query)) as unknown as { rows: T[] };
      return result.rows;
    },
    async query(text: string, values?: unknown[]) {
      return { rows: (await pool.query(text, values)).rows };
    },
    async migrate() {
      // Two app servers starting together must not both migrate: the first holds the lock while the migrator runs;
      // the second waits, then finds nothing to do.
      await exclusive(727001, () => migratePg(db as never, { migrationsFolder }));
    },
    exclusive,
    close: () => pool.end(),
  };

  async function exclusive<T>(key: number, fn: () => Promise<T>): Promise<T> {
    // A session-level advisory lock, on a connection of its own for as long as fn runs.
    const lockClient = await pool.connect();
    try {
      await lockClient.query('select pg_advisory_lock($1)', [key]);
      return await fn();
    } finally {
      await lockClient.query('select pg_advisory_unlock($1)', [key]).catch(() => undefined);
      lockClient.release();
    }
  }
}

