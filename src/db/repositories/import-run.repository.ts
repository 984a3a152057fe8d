import { sql } from 'drizzle-orm';
import type { Database } from '../client';

export class ImportRunRepository {
  constructor(private readonly database: Database) {}

  /** Changes whenever an import succeeds: the version of everything derived from imported data. */
  async dataVersion(): Promise<number> {
    const [row] = await this.database.rows<{ v: number }>(sql`select coalesce(max(id), 0)::int as v from import_runs where status = 'succeeded'`);
    return row?.v ?? 0;
  }
}
