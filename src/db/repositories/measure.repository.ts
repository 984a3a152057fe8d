import { sql } from 'drizzle-orm';
import type { MeasureValue } from '../../domain/measures/outcomes';
import type { Database } from '../client';

/** A stored measure value: the domain's MeasureValue. */
export type StoredMeasureValue = MeasureValue;

export interface EntityRef {
  type: 'school' | 'la' | 'england';
  code: string;
}

export class MeasureRepository {
  constructor(private readonly database: Database) {}

  /** Every stored value of the given entities, in one query. */
  async valuesFor(entities: readonly EntityRef[]): Promise<StoredMeasureValue[]> {
    if (entities.length === 0) return [];
    const pairs = entities.map((e) => sql`(${e.type}, ${e.code})`);
    return this.database.rows<StoredMeasureValue>(sql`
      select entity_type as "entityType", entity_code as "entityCode", measure, breakdown, year::int as year, value, status
      from measure_values
      where (entity_type, entity_code) in (${sql.join(pairs, sql`, `)})
      order by measure, year`);
  }

  /** The values of one measure for many schools (for trust and LA tables). */
  async latestForSchools(urns: readonly number[], measures: readonly string[]): Promise<StoredMeasureValue[]> {
    if (urns.length === 0 || measures.length === 0) return [];
    return this.database.rows<StoredMeasureValue>(sql`
      select distinct on (entity_code, measure)
             entity_type as "entityType", entity_code as "entityCode", measure, breakdown, year::int as year, value, status
      from measure_values
      where entity_type = 'school' and entity_code in ${urns.map(String)} and measure in ${measures}
      order by entity_code, measure, year desc`);
  }
}
