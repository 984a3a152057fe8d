import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, type Actor } from '../../domain/access/policy';
import { gateFailure, rankOffers, type Match, type NeedFacts, type OfferFacts, type PairEvidence } from '../../domain/brokerage/matching';
import type { ModelId } from '../../domain/similarity/models';
import type { Need, OfferCandidate } from '../../db/repositories/brokerage.repository';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database';
import { addOffers } from '../../../bench/brokerage';
import { BrokerageService, offerResource } from './brokerage.service';

/**
 * The service ranks offers by columns (domain/brokerage/ranking.ts) and words only the matches shown. This checks it
 * against the plain rule — every candidate's evidence as objects, `rankOffers` with reasons — on the sample with
 * the benchmark's generated offers: same matches, scores, parts, reasons and order, for every need and model.
 */
let db: TestDatabase;
let service: BrokerageService;
const facilitator: Actor = { kind: 'user', userId: '00000000-0000-4000-8000-000000000001', emailVerified: true, isFacilitator: true, isPlatformAdmin: false, memberships: new Map() };

interface Internals {
  needFacts(n: Need): NeedFacts;
  offerFacts(o: OfferCandidate): OfferFacts;
  modelFor(urn: number | null, requested?: ModelId): Promise<ModelId | null>;
  evidence(need: Need, offers: readonly OfferCandidate[], modelId: ModelId | null): Promise<{ pairs: Map<string, PairEvidence>; sentences: Map<string, () => string> }>;
}

/** The rule as written before the columns: gather every candidate's evidence, score and word every pair, sort. */
async function reference(actor: Actor, needId: string, requested?: ModelId): Promise<Match[]> {
  const internals = service as unknown as Internals;
  const need = await service.readNeed(actor, needId);
  const facts = internals.needFacts(need);
  const open = await service.repo.openOfferCandidates();
  const candidates = open
    .flatMap((o) => o.themes.filter((t) => t === need.theme).map(() => o))
    .filter((o) => o.kinds.some((k) => need.kinds.includes(k)) && can(actor, 'offer:read', offerResource(o)))
    .filter((o) => gateFailure(facts, internals.offerFacts(o)) === null);
  const modelId = await internals.modelFor(need.organisationKind === 'school' ? need.urn : null, requested);
  const { pairs, sentences } = await internals.evidence(need, candidates, modelId);
  return rankOffers(
    facts,
    candidates.map((o) => {
      const e = pairs.get(o.id)!;
      const sentence = sentences.get(o.id);
      return { offer: internals.offerFacts(o), evidence: sentence && e.similarity ? { ...e, similarity: { ...e.similarity, sentence: sentence() } } : e };
    }),
  );
}

beforeAll(async () => {
  db = await createTestDatabase({ sample: true });
  await addOffers(db, 2_000);
  // Some offers from organisations with published case studies on their themes and designations, and some full.
  await db.rows(sql`update organisations set designations = '{maths-hub}' where id in (select organisation_id from offers order by id limit 40)`);
  await db.rows(sql`update offers set places_taken = capacity where id in (select id from offers order by id desc limit 30)`);
  service = new BrokerageService(db, { send: async () => undefined } as never, '');
}, 180_000);
afterAll(async () => db.close());

describe('ranking by columns matches the plain rule', () => {
  it('for every need, under its default model and each model asked for', async () => {
    const needs = await db.rows<{ id: string }>(sql`select id from needs where status = 'open' order by id`);
    expect(needs.length).toBeGreaterThanOrEqual(20);
    let compared = 0;
    for (const { id } of needs) {
      for (const model of [undefined, 'dfe-primary', 'dfe-secondary', 'fbit-pupil'] as const) {
        const expected = await reference(facilitator, id, model);
        const list = await service.matchesForNeed(facilitator, id, model, Number.POSITIVE_INFINITY);
        expect(list.total).toBe(expected.length);
        expect(list.matches.map((m) => m.match)).toEqual(expected);
        expect(list.matches.map((m) => m.offer!.id)).toEqual(expected.map((m) => m.offerId));
        compared += expected.length;
      }
    }
    expect(compared).toBeGreaterThan(10_000);
  }, 240_000);
});
