import { sql } from 'drizzle-orm';
import type { Database } from '../client';

export class ImportRunRepository {
  constructor(private readonly database: Database) {}

  /** Changes whenever an import succeeds: the version of everything derived from imported data. */
  async dataVersion(): Promise<number> {
    const [row] = await this.database.rows<{ v: number }>(sql`select coalesce(max(id), 0)::int as v from import_runs where status = 'succeeded'`);
    return row?.v ?? 0;
  }

  /**
   * Changes whenever anything a public page shows changes: an import, or a case study saved, published or withdrawn.
   * (Both parts only grow, so their sum does too.)
   */
  async contentVersion(): Promise<number> {
    const [row] = await this.database.rows<{ v: string | number }>(sql`
      select (select coalesce(max(id), 0) from import_runs where status = 'succeeded')
           + (select coalesce(floor(extract(epoch from max(updated_at)) * 1000), 0) from case_studies) as v`);
    return Number(row?.v ?? 0);
  }
}
