import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';

export type ColumnType = 'int' | 'smallint' | 'text' | 'date' | 'float8';

export interface BulkColumn<Row> {
  column: string;
  type: ColumnType;
  get: (row: Row) => string | number | null;
}

export interface BulkUpsertOptions<Row> {
  table: string;
  columns: readonly BulkColumn<Row>[];
  /** Columns of the conflict target (the primary key). */
  key: readonly string[];
  /** `update` replaces the other columns on conflict; `ignore` keeps the existing row. */
  onConflict: 'update' | 'ignore';
  batchSize?: number;
}

/**
 * Writes many rows with one statement per batch: `INSERT … SELECT * FROM unnest($1::int[], $2::text[], …)`.
 * Drizzle's multi-row VALUES is far slower for thousands of rows (see PITFALLS.md). Runs on whatever handle it
 * is given, so callers pass a transaction to make a whole import atomic.
 */
export async function bulkUpsert<Row>(db: Db, rows: readonly Row[], options: BulkUpsertOptions<Row>): Promise<void> {
  const { table, columns, key, onConflict } = options;
  const batchSize = options.batchSize ?? 2000;
  const names = columns.map((c) => `"${c.column}"`).join(', ');
  const updates = columns
    .filter((c) => !key.includes(c.column))
    .map((c) => `"${c.column}" = excluded."${c.column}"`)
    .join(', ');
  const conflict =
    onConflict === 'update' && updates
      ? `ON CONFLICT (${key.map((k) => `"${k}"`).join(', ')}) DO UPDATE SET ${updates}`
      : `ON CONFLICT (${key.map((k) => `"${k}"`).join(', ')}) DO NOTHING`;
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    const arrays: SQL[] = columns.map((c) => sql`${sql.param(batch.map((r) => c.get(r)))}::${sql.raw(c.type)}[]`);
    const query = sql.join(
      [sql.raw(`INSERT INTO "${table}" (${names}) SELECT * FROM unnest(`), sql.join(arrays, sql`, `), sql.raw(`) ${conflict}`)],
      sql``,
    );
    await db.execute(query);
  }
}
