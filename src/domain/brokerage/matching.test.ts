import { describe, expect, it } from 'vitest';
import { compareMatches, evidenceScore, gateFailure, kmBetween, phaseFit, precisionAt, rankNeeds, rankOffers, scorePair, similarityScore, type Match, type NeedFacts, type OfferFacts, type PairEvidence } from './matching';

const need: NeedFacts = { id: 'n1', organisationId: 'school-a', organisationName: 'School A', theme: 'attendance', kinds: ['visit', 'mentoring'], phase: 'secondary', location: { easting: 400_000, northing: 280_000 } };
const offer = (o: Partial<OfferFacts> = {}): OfferFacts => ({
  id: 'o1',
  organisationId: 'school-b',
  organisationName: 'School B',
  themes: ['attendance'],
  kinds: ['visit'],
  phases: ['secondary'],
  placesLeft: 3,
  mode: 'in-person',
  radiusKm: 10,
  location: { easting: 404_000, northing: 283_000 }, // 5 km from the need
  ...o,
});
const noEvidence: PairEvidence = { similarity: null, similarityAbsent: 'School B is not a school', measure: null, caseStudiesOnTheme: 0, themeLabel: 'Attendance', designations: [] };
const evidence = (e: Partial<PairEvidence> = {}): PairEvidence => ({ ...noEvidence, ...e });

describe('gates', () => {
  it.each([
    ['passes', offer(), null],
    ['same organisation', offer({ organisationId: 'school-a' }), 'same organisation'],
    ['another theme', offer({ themes: ['transition'] }), 'different theme'],
    ['another kind of help', offer({ kinds: ['training'] }), 'different kind of help'],
    ['no places left', offer({ placesLeft: 0 }), 'no places left'],
    ['in person, out of reach (5 km > 4 km)', offer({ radiusKm: 4 }), 'out of reach'],
    ['in person, exactly at the radius', offer({ radiusKm: 5 }), null],
    ['in person or remote, out of reach: still shown', offer({ radiusKm: 4, mode: 'both' }), null],
    ['remote only: distance does not gate', offer({ radiusKm: null, mode: 'remote', location: { easting: 0, northing: 0 } }), null],
    ['in person, location unknown: not gated', offer({ location: null }), null],
  ])('%s', (_, o, expected) => {
    expect(gateFailure(need, o)).toBe(expected);
  });
});

describe('parts', () => {
  it.each([
    // distance, family edge → score: 1 − d / 2r
    [0, 2, 1],
    [1, 2, 0.75],
    [2, 2, 0.5],
    [4, 2, 0],
    [9, 2, 0],
    [0, 0, 1], // a zero-size family edge: identical schools only
    [1, 0, 0],
  ])('similarity of distance %d with family edge %d is %d', (d, r, s) => {
    expect(similarityScore(d, r)).toBeCloseTo(s, 12);
  });

  it.each([
    ['secondary', ['secondary'], 1],
    ['secondary', ['primary', 'secondary'], 1],
    ['secondary', ['all-through'], 0.5],
    ['all-through', ['primary'], 0.5],
    ['primary', ['secondary'], 0],
    ['primary', [], 0],
  ])('phase %s against %j fits %d', (p, ps, s) => {
    expect(phaseFit(p, ps)).toBe(s);
  });

  const measure = (better: number, brightSpot = false) => ({ label: 'Persistent absence', better, unitWord: 'points', offerDisplay: '20.0%', needDisplay: '30.0%', yearLabel: '2023/24', meaningfulDifference: 2, brightSpot });
  it.each([
    ['nothing', evidence(), 0],
    ['bright spot', evidence({ measure: measure(10, true) }), 1],
    ['better by more than the meaningful difference', evidence({ measure: measure(2.5) }), 0.6],
    ['better, but only by the meaningful difference', evidence({ measure: measure(2) }), 0],
    ['worse', evidence({ measure: measure(-5) }), 0],
    ['case studies only', evidence({ caseStudiesOnTheme: 2 }), 0.3],
    ['designation only', evidence({ designations: ['Teaching School Hub'] }), 0.2],
    ['better + case studies + designation', evidence({ measure: measure(3), caseStudiesOnTheme: 1, designations: ['Research School'] }), 1],
    ['bright spot + case studies: capped at 1', evidence({ measure: measure(10, true), caseStudiesOnTheme: 1 }), 1],
  ])('evidence: %s', (_, e, s) => {
    expect(evidenceScore(e)).toBeCloseTo(s, 12);
  });

  it('measures km on the British National Grid', () => {
    expect(kmBetween({ easting: 0, northing: 0 }, { easting: 3000, northing: 4000 })).toBe(5);
    expect(kmBetween(null, { easting: 0, northing: 0 })).toBeNull();
  });
});

describe('score and reasons', () => {
  it('adds the weighted parts, counting absent similarity as one half (hand calculation)', () => {
    // similarity absent 0.5 × 0.3 = 0.15; evidence 0; distance 1 − 5/20 = 0.75 × 0.2 = 0.15; capacity 3/3 × 0.1 = 0.1; phase 0.1 → 0.5
    const m = scorePair(need, offer(), noEvidence, 'need')!;
    expect(m.score).toBeCloseTo(0.5, 6);
    expect(m.parts).toEqual({ theme: 1, kind: 1, similarity: null, evidence: 0, distance: 0.75, distanceKm: 5, capacity: 1, placesLeft: 3, phase: 1 });
    expect(m.reasons).toEqual(['no similarity score: School B is not a school', '5 km away', '3 places left']);
  });

  it('says why, in words, with the figures from the data', () => {
    const m = scorePair(
      need,
      offer({ placesLeft: 2 }),
      evidence({
        similarity: { distance: 0.5, familyEdge: 1, sentence: 'Similar disadvantage and size.' },
        measure: { label: 'Persistent absence', better: 3.14, unitWord: 'points', offerDisplay: '20.0%', needDisplay: '23.1%', yearLabel: '2023/24', meaningfulDifference: 2, brightSpot: true },
        caseStudiesOnTheme: 1,
      }),
      'need',
    )!;
    expect(m.reasons).toEqual([
      'similar disadvantage and size',
      'Persistent absence 3.1 points better (20.0% against 23.1%, 2023/24), a bright spot in the family',
      '1 published case study on attendance',
      '5 km away',
      '2 places left',
    ]);
    // 0.3 × 0.75 + 0.3 × 1 + 0.2 × 0.75 + 0.1 × 2/3 + 0.1 × 1 = 0.225 + 0.3 + 0.15 + 0.066667 + 0.1
    expect(m.score).toBeCloseTo(0.841667, 6);
  });

  it('a phase that does not fit is said and scored 0', () => {
    const m = scorePair({ ...need, phase: 'primary' }, offer(), noEvidence, 'need')!;
    expect(m.parts.phase).toBe(0);
    expect(m.reasons).toContain('offered for secondary, not primary');
  });

  it('remote offers score distance one half and say so', () => {
    const m = scorePair(need, offer({ mode: 'remote', radiusKm: null }), noEvidence, 'need')!;
    expect(m.parts.distance).toBe(0.5);
    expect(m.reasons).toContain('remote (5 km away)');
  });
});

describe('order', () => {
  const m = (id: string, score: number, distanceKm: number | null, placesLeft: number, name: string): Match => ({
    needId: 'n',
    offerId: id,
    counterpartId: id,
    counterpartName: name,
    score,
    parts: { theme: 1, kind: 1, similarity: null, evidence: 0, distance: 0.5, distanceKm, capacity: 1, placesLeft, phase: 1 },
    reasons: [],
  });
  it.each([
    ['higher score first', [m('a', 0.5, 1, 1, 'A'), m('b', 0.6, 9, 1, 'B')], ['b', 'a']],
    ['tie: nearer first', [m('a', 0.5, 9, 1, 'A'), m('b', 0.5, 1, 1, 'B')], ['b', 'a']],
    ['tie: unknown distance last', [m('a', 0.5, null, 1, 'A'), m('b', 0.5, 30, 1, 'B')], ['b', 'a']],
    ['tie: more places first', [m('a', 0.5, 1, 1, 'A'), m('b', 0.5, 1, 2, 'B')], ['b', 'a']],
    ['tie: name A–Z', [m('a', 0.5, 1, 1, 'Zeta'), m('b', 0.5, 1, 1, 'Alpha')], ['b', 'a']],
    ['tie: id last', [m('b', 0.5, 1, 1, 'Same'), m('a', 0.5, 1, 1, 'Same')], ['a', 'b']],
  ])('%s', (_, list, expected) => {
    expect([...list].sort(compareMatches).map((x) => x.offerId)).toEqual(expected);
    expect([...list].reverse().sort(compareMatches).map((x) => x.offerId)).toEqual(expected); // never by arrival order
  });

  it('ranks offers for a need and needs for an offer, leaving out those that fail a gate', () => {
    const offers = [
      { offer: offer({ id: 'far', organisationName: 'Far', location: { easting: 400_000, northing: 289_000 } }), evidence: noEvidence },
      { offer: offer({ id: 'near', organisationName: 'Near', location: { easting: 400_000, northing: 281_000 } }), evidence: noEvidence },
      { offer: offer({ id: 'wrong-theme', themes: ['behaviour'] }), evidence: noEvidence },
      { offer: offer({ id: 'full', placesLeft: 0 }), evidence: noEvidence },
    ];
    expect(rankOffers(need, offers).map((x) => x.offerId)).toEqual(['near', 'far']);
    const needs = [
      { need: { ...need, id: 'n-far', organisationName: 'Far school', location: { easting: 404_000, northing: 292_000 } }, evidence: noEvidence },
      { need: { ...need, id: 'n-near', organisationName: 'Near school', location: { easting: 404_000, northing: 284_000 } }, evidence: noEvidence },
      { need: { ...need, id: 'n-out', organisationName: 'Out of reach', location: { easting: 404_000, northing: 299_000 } }, evidence: noEvidence },
    ];
    expect(rankNeeds(offer(), needs).map((x) => x.needId)).toEqual(['n-near', 'n-far']);
  });

  it('an empty list ranks to an empty list', () => {
    expect(rankOffers(need, [])).toEqual([]);
  });
});

describe('precision at k', () => {
  it.each([
    [['a', 'b', 'c', 'd'], ['a', 'c'], 2 / 3],
    [['a'], ['a', 'b'], 1],
    [['x', 'y', 'z'], ['a'], 0],
    [[], ['a'], null],
  ])('%j against %j', (ranked, relevant, p) => {
    expect(precisionAt(3, ranked, relevant)).toBe(p);
  });
});
