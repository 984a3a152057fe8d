import { describe, expect, it } from 'vitest';
import { measureLevel, phaseFit, rankOffers, similarityScore, type NeedFacts, type OfferFacts, type PairEvidence } from './matching';
import { needColumns, offerColumns, passingGates, rankColumns } from './ranking';

/** A seeded generator, so a failure can be reproduced. */
function generator(seed: number) {
  let s = seed;
  const random = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  return { random, pick };
}

const KINDS = ['visit', 'mentoring', 'training', 'peer-review'];
const PHASES = ['primary', 'secondary', 'all-through'];
const NAMES = ['Alder School', 'alder school', 'Åsgard Academy', 'Birch Trust', 'Cedar College', 'Oak', 'oak', 'Zeal Youth Service'];

function scenario(seed: number, count: number) {
  const { random, pick } = generator(seed);
  const need: NeedFacts = {
    id: 'need',
    organisationId: 'org-0',
    organisationName: 'Need School',
    theme: 'attendance',
    kinds: random() < 0.5 ? ['visit'] : ['mentoring', 'training'],
    phase: pick(PHASES),
    location: random() < 0.9 ? { easting: 400_000, northing: 280_000 } : null,
  };
  const offers: { offer: OfferFacts; evidence: PairEvidence; designated: boolean }[] = [];
  for (let i = 0; i < count; i++) {
    const designations = random() < 0.2 ? ['Maths Hub'] : [];
    const offer: OfferFacts = {
      id: `offer-${String(Math.floor(random() * count)).padStart(5, '0')}-${i}`,
      organisationId: `org-${Math.floor(random() * 40)}`,
      organisationName: pick(NAMES),
      themes: ['attendance'],
      kinds: KINDS.filter(() => random() < 0.5),
      phases: PHASES.filter(() => random() < 0.4),
      placesLeft: Math.floor(random() * 5),
      mode: pick(['in-person', 'remote', 'both'] as const),
      radiusKm: random() < 0.1 ? null : pick([0, 5, 10, 20, 40]),
      // Coarse coordinates, so that distances, and so scores, often tie.
      location: random() < 0.1 ? null : { easting: 400_000 + Math.round(random() * 8) * 2_500, northing: 280_000 + Math.round(random() * 8) * 2_500 },
    };
    const measured = random() < 0.6;
    const evidence: PairEvidence = {
      similarity: random() < 0.7 ? { distance: pick([0, 0.5, 1, 1.5, 2, 3, 5]), familyEdge: pick([0, 2, 2.5]), sentence: '' } : null,
      measure: measured ? { label: 'Absence', better: pick([-2, 0, 1, 3, 6]), unitWord: 'points', offerDisplay: '', needDisplay: '', yearLabel: '', meaningfulDifference: pick([2, Infinity]), brightSpot: random() < 0.2 } : null,
      caseStudiesOnTheme: random() < 0.3 ? 2 : 0,
      themeLabel: 'Attendance',
      designations,
    };
    offers.push({ offer, evidence, designated: designations.length > 0 });
  }
  // The same offer twice (an offer listing its theme twice is grouped under it twice).
  offers.push(offers[0]!);
  return { need, offers };
}

describe('column ranking gives the same matches, scores and order as rankOffers', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %d', (seed) => {
    const { need, offers } = scenario(seed, 600);
    const expected = rankOffers(need, offers, { reasons: false });

    const columns = offerColumns(offers.map((o) => ({ ...o.offer, designated: o.designated })));
    const needCols = needColumns(columns, need);
    const passing = passingGates(needCols, columns, Int32Array.from(offers.keys()));
    const n = passing.length;
    const evidence = { similarity: new Float64Array(n), measure: new Uint8Array(n), caseStudies: new Uint8Array(n), phase: new Float64Array(n) };
    for (let c = 0; c < n; c++) {
      const { offer, evidence: e } = offers[passing[c]!]!;
      evidence.similarity[c] = e.similarity ? similarityScore(e.similarity.distance, e.similarity.familyEdge) : Number.NaN;
      evidence.measure[c] = measureLevel(e.measure);
      evidence.caseStudies[c] = e.caseStudiesOnTheme > 0 ? 1 : 0;
      evidence.phase[c] = phaseFit(need.phase, offer.phases);
    }
    const { order, score } = rankColumns(needCols, columns, passing, evidence);

    expect(n).toBe(expected.length);
    expect(n).toBeGreaterThan(50);
    expect([...order].map((c) => columns.ids[passing[c]!])).toEqual(expected.map((m) => m.offerId));
    expect([...order].map((c) => score[c])).toEqual(expected.map((m) => m.score));
  });
});
