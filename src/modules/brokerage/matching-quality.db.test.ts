import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/policy';
import { precisionAt } from '../../domain/brokerage/matching';
import { DEMO_NEEDS, DEMO_OFFERS, DEMO_ORGANISATIONS } from '../../importers/demo-brokerage-data';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database';
import { SCENARIOS } from '../../../test/fixtures/matching-scenarios';
import { BrokerageService } from './brokerage.service';

/**
 * Matching quality on real sample data: the matcher's first three offers for each demonstration need against the
 * picks a facilitator wrote down before the matcher existed (test/fixtures/matching-scenarios.ts).
 */
let db: TestDatabase;
let service: BrokerageService;
const facilitator: Actor = { kind: 'user', userId: '00000000-0000-4000-8000-000000000001', emailVerified: true, isFacilitator: true, isPlatformAdmin: false, memberships: new Map() };
const needIds = new Map<string, string>();
const offerKeys = new Map<string, string>();

beforeAll(async () => {
  db = await createTestDatabase({ sample: true });
  service = new BrokerageService(db, { send: async () => undefined } as never, '');
  const orgName = (key: string) => DEMO_ORGANISATIONS.find((o) => o.key === key)!;
  for (const n of DEMO_NEEDS) {
    const o = orgName(n.organisation);
    const [row] = await db.rows<{ id: string }>(sql`select n.id from needs n join organisations o on o.id = n.organisation_id where n.title = ${n.title} and o.urn = ${o.urn!}`);
    if (row) needIds.set(n.key, row.id);
  }
  for (const f of DEMO_OFFERS) {
    const [row] = await db.rows<{ id: string }>(sql`select id from offers where title = ${f.title}`);
    if (row) offerKeys.set(row.id, f.key);
  }
}, 120_000);
afterAll(async () => db.close());

describe('matching quality against a facilitator’s picks', () => {
  it('covers at least 20 needs, every one of them loaded from the demonstration content', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(20);
    expect(SCENARIOS.filter((s) => !needIds.has(s.need))).toEqual([]);
  });

  it('precision at 3 is at least 0.7 over all scenarios', async () => {
    const rows: { need: string; top3: string[]; precision: number | null }[] = [];
    for (const s of SCENARIOS) {
      const list = await service.matchesForNeed(facilitator, needIds.get(s.need)!);
      const ranked = list.matches.map((m) => offerKeys.get(m.match.offerId)!);
      rows.push({ need: s.need, top3: ranked.slice(0, 3), precision: precisionAt(3, ranked, s.picks) });
    }
    const scored = rows.filter((r) => r.precision !== null);
    const mean = scored.reduce((a, r) => a + r.precision!, 0) / scored.length;
    console.log(`matching precision at 3: ${mean.toFixed(3)} over ${scored.length} needs`);
    for (const r of rows) if ((r.precision ?? 1) < 1) console.log(`  ${r.need}: ${r.precision?.toFixed(2)} (top 3: ${r.top3.join(', ')})`);
    expect(scored.length).toBe(SCENARIOS.length);
    expect(mean).toBeGreaterThanOrEqual(0.7);
  });
});
