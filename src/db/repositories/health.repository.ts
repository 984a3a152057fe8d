import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { migrationsFolder, type Database } from '../client';

const expectedMigrations = (JSON.parse(readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;

export class HealthRepository {
  constructor(private readonly database: Database) {}

  /** Whether the database answers and every migration shipped with this code has been applied. */
  async readiness(): Promise<{ database: boolean; migrations: { applied: number; expected: number } }> {
    try {
      const [row] = await this.database.rows<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      return { database: true, migrations: { applied: row?.n ?? 0, expected: expectedMigrations } };
    } catch {
      return { database: false, migrations: { applied: 0, expected: expectedMigrations } };
    }
  }
}
