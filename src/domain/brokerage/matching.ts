/**
 * Matching needs and offers: which offers fit a need (and which needs fit an offer), in a stated order, with the
 * reasons in words and the parts of the score. Pure: the service gathers the facts (distances, similarity, the
 * measure's values, case studies, designations); this module only judges them.
 *
 * The rule (also in docs/brokerage.md and on every match list):
 *
 * 1. Gates — a pair is shown only if all hold: the offer covers the need's theme; it gives at least one kind of
 *    help the need asks for; it has a place left; the two are different organisations; and, for an offer given
 *    only in person, the need is within the offer's radius (when both locations are known).
 * 2. Score — a weighted sum of five parts, each between 0 and 1:
 *      similarity 0.30  like with like: 1 − d ÷ (2 × r), floored at 0, where d is the two schools' distance under
 *                       the needing school's similar-schools model and r the distance to its 50th most similar
 *                       school (a family's edge scores 0.5). Absent (counted as 0.5, and said) when either side is
 *                       not a school in the model's population.
 *      evidence   0.30  on the need's measure: 1 if the offering school is a bright spot in the needing school's
 *                       family, 0.6 if it is better by more than the measure's meaningful difference, else 0; plus
 *                       0.3 for published case studies on the theme and 0.2 for a designation; at most 1.
 *      distance   0.20  in person within reach: 1 − km ÷ (2 × radius), so between 0.5 and 1; remote, beyond an
 *                       in-person radius of an offer also given remotely, or location unknown: 0.5.
 *      capacity   0.10  places left ÷ 3, at most 1.
 *      phase      0.10  1 if the offer covers the need's phase, 0.5 if either is all-through, else 0.
 * 3. Order — score, highest first; ties (equal to six decimal places) by distance, nearest first (unknown last),
 *    then places left, most first, then the other side's organisation name (A–Z), then its id. Never by the order
 *    the rows arrived in.
 */

export const WEIGHTS = { similarity: 0.3, evidence: 0.3, distance: 0.2, capacity: 0.1, phase: 0.1 } as const;
/** The score of an absent part (neither for nor against). */
export const NEUTRAL = 0.5;
export const CAPACITY_FULL_AT = 3;
export const EVIDENCE = { brightSpot: 1, meaningfullyBetter: 0.6, caseStudies: 0.3, designation: 0.2 } as const;

export interface Point {
  easting: number;
  northing: number;
}

export interface NeedFacts {
  id: string;
  organisationId: string;
  organisationName: string;
  theme: string;
  kinds: readonly string[];
  phase: string;
  location: Point | null;
}

export interface OfferFacts {
  id: string;
  organisationId: string;
  organisationName: string;
  themes: readonly string[];
  kinds: readonly string[];
  phases: readonly string[];
  placesLeft: number;
  mode: 'in-person' | 'remote' | 'both';
  radiusKm: number | null;
  location: Point | null;
}

/** What the service found out about one need–offer pair. */
export interface PairEvidence {
  /** d and r under the needing school's model, with the sentence saying why they are alike; null when absent. */
  similarity: { distance: number; familyEdge: number; sentence: string } | null;
  /** Why similarity is absent, in words ("Birmingham youth service is not a school"). */
  similarityAbsent?: string;
  /** The need's measure, compared (the offering school against the needing one); null when not comparable. */
  measure: {
    label: string;
    /** How much better the offering school is, in the measure's unit (negative: worse). */
    better: number;
    unitWord: string;
    offerDisplay: string;
    needDisplay: string;
    yearLabel: string;
    meaningfulDifference: number;
    brightSpot: boolean;
  } | null;
  caseStudiesOnTheme: number;
  themeLabel: string;
  designations: readonly string[];
}

export interface MatchParts {
  theme: number;
  kind: number;
  similarity: number | null;
  evidence: number;
  distance: number;
  distanceKm: number | null;
  capacity: number;
  placesLeft: number;
  phase: number;
}

export interface Match {
  needId: string;
  offerId: string;
  /** The other side's organisation, for the ordering rule. */
  counterpartName: string;
  counterpartId: string;
  score: number;
  parts: MatchParts;
  reasons: string[];
}

export function kmBetween(a: Point | null, b: Point | null): number | null {
  if (!a || !b) return null;
  return Math.hypot(a.easting - b.easting, a.northing - b.northing) / 1000;
}

export function similarityScore(distance: number, familyEdge: number): number {
  if (!(familyEdge > 0)) return distance === 0 ? 1 : 0;
  return Math.max(0, Math.min(1, 1 - distance / (2 * familyEdge)));
}

export function phaseFit(needPhase: string, offerPhases: readonly string[]): number {
  if (offerPhases.includes(needPhase)) return 1;
  if (needPhase === 'all-through' || offerPhases.includes('all-through')) return 0.5;
  return 0;
}

/** What the need's measure says of the offering school: nothing, meaningfully better, or a bright spot in the family. */
export const MEASURE_NONE = 0;
export const MEASURE_BETTER = 1;
export const MEASURE_BRIGHT_SPOT = 2;

/** The evidence part from its three facts (shared by `evidenceScore` and the column ranker in ranking.ts). */
export function evidencePart(measure: number, caseStudies: boolean, designated: boolean): number {
  let score = 0;
  if (measure === MEASURE_BRIGHT_SPOT) score = EVIDENCE.brightSpot;
  else if (measure === MEASURE_BETTER) score = EVIDENCE.meaningfullyBetter;
  if (caseStudies) score += EVIDENCE.caseStudies;
  if (designated) score += EVIDENCE.designation;
  return Math.min(1, score);
}

export function measureLevel(m: PairEvidence['measure']): number {
  if (m?.brightSpot) return MEASURE_BRIGHT_SPOT;
  return m && m.better > m.meaningfulDifference ? MEASURE_BETTER : MEASURE_NONE;
}

export function evidenceScore(e: PairEvidence): number {
  return evidencePart(measureLevel(e.measure), e.caseStudiesOnTheme > 0, e.designations.length > 0);
}

/** Why a pair is not shown, or null when it passes every gate. */
export function gateFailure(need: NeedFacts, offer: OfferFacts): string | null {
  if (need.organisationId === offer.organisationId) return 'same organisation';
  if (!offer.themes.includes(need.theme)) return 'different theme';
  if (!need.kinds.some((k) => offer.kinds.includes(k))) return 'different kind of help';
  if (offer.placesLeft <= 0) return 'no places left';
  const km = kmBetween(need.location, offer.location);
  if (offer.mode === 'in-person' && km !== null && offer.radiusKm !== null && km > offer.radiusKm) return 'out of reach';
  return null;
}

/** The distance part; `km` and `radiusKm` are NaN when unknown (shared with the column ranker). */
export function distancePartOf(remote: boolean, km: number, radiusKm: number): number {
  if (remote || Number.isNaN(km) || Number.isNaN(radiusKm) || !(radiusKm > 0)) return NEUTRAL;
  if (km > radiusKm) return NEUTRAL; // only reachable remotely ('both'); 'in-person' never gets here
  return 1 - km / (2 * radiusKm);
}

function distancePart(offer: OfferFacts, km: number | null): number {
  return distancePartOf(offer.mode === 'remote', km ?? Number.NaN, offer.radiusKm ?? Number.NaN);
}

/** The weighted score, rounded to six decimals as matches carry it; `similarity` null when absent (counts as neutral). */
export function weightedScore(similarity: number | null, evidence: number, distance: number, capacity: number, phase: number): number {
  const score =
    WEIGHTS.similarity * (similarity ?? NEUTRAL) +
    WEIGHTS.evidence * evidence +
    WEIGHTS.distance * distance +
    WEIGHTS.capacity * capacity +
    WEIGHTS.phase * phase;
  return Math.round(score * 1e6) / 1e6;
}

const round1 = (x: number) => (Math.round(x * 10) / 10).toFixed(1);
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function lowerFirst(sentence: string): string {
  const s = sentence.replace(/\.$/, '');
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/**
 * Scores one pair; null when it fails a gate. `side` says whose list it is (the counterpart is the other side).
 * `reasons: false` skips the words (ranking thousands of pairs, then wording only those shown).
 */
export function scorePair(need: NeedFacts, offer: OfferFacts, evidence: PairEvidence, side: 'need' | 'offer', options: { reasons?: boolean } = {}): Match | null {
  if (gateFailure(need, offer)) return null;
  const km = kmBetween(need.location, offer.location);
  const similarity = evidence.similarity ? similarityScore(evidence.similarity.distance, evidence.similarity.familyEdge) : null;
  const parts: MatchParts = {
    theme: 1,
    kind: 1,
    similarity,
    evidence: evidenceScore(evidence),
    distance: distancePart(offer, km),
    distanceKm: km === null ? null : Math.round(km * 10) / 10,
    capacity: Math.min(1, offer.placesLeft / CAPACITY_FULL_AT),
    placesLeft: offer.placesLeft,
    phase: phaseFit(need.phase, offer.phases),
  };
  const score = weightedScore(similarity, parts.evidence, parts.distance, parts.capacity, parts.phase);

  const reasons: string[] = [];
  const counterpart = side === 'need' ? offer : need;
  const match = { needId: need.id, offerId: offer.id, counterpartName: counterpart.organisationName, counterpartId: counterpart.id, score, parts, reasons };
  if (options.reasons === false) return match;
  if (evidence.similarity) reasons.push(lowerFirst(evidence.similarity.sentence));
  else reasons.push(`no similarity score: ${evidence.similarityAbsent ?? 'not both schools in a similar-schools model'}`);
  const m = evidence.measure;
  if (m) {
    const size = `${round1(Math.abs(m.better))} ${m.unitWord}`;
    const verdict = Math.abs(m.better) < 0.05 ? 'the same' : m.better > 0 ? `${size} better` : `${size} worse`;
    reasons.push(`${m.label} ${verdict} (${m.offerDisplay} against ${m.needDisplay}, ${m.yearLabel})${m.brightSpot ? ', a bright spot in the family' : ''}`);
  }
  if (evidence.caseStudiesOnTheme > 0) reasons.push(`${plural(evidence.caseStudiesOnTheme, 'published case study', 'published case studies')} on ${evidence.themeLabel.toLowerCase()}`);
  if (evidence.designations.length > 0) reasons.push(evidence.designations.join(', '));
  if (offer.mode === 'remote') reasons.push(km === null ? 'remote' : `remote (${Math.round(km)} km away)`);
  else if (km === null) reasons.push('distance unknown');
  else if (offer.radiusKm !== null && km > offer.radiusKm) reasons.push(`${Math.round(km)} km away, remotely`);
  else reasons.push(`${km < 1 ? 'under 1' : Math.round(km)} km away`);
  reasons.push(`${plural(offer.placesLeft, 'place', 'places')} left`);
  if (parts.phase < 1) reasons.push(parts.phase === 0 ? `offered for ${offer.phases.join(', ')}, not ${need.phase}` : 'all-through: phase partly fits');
  return match;
}

/** The stated order: score, then nearest, then most places left, then name, then id. */
export function compareMatches(a: Match, b: Match): number {
  if (a.score !== b.score) return b.score - a.score;
  const da = a.parts.distanceKm ?? Infinity;
  const db = b.parts.distanceKm ?? Infinity;
  if (da !== db) return da - db;
  if (a.parts.placesLeft !== b.parts.placesLeft) return b.parts.placesLeft - a.parts.placesLeft;
  const byName = a.counterpartName.localeCompare(b.counterpartName, 'en-GB');
  if (byName !== 0) return byName;
  return a.counterpartId < b.counterpartId ? -1 : a.counterpartId > b.counterpartId ? 1 : 0;
}

/** Offers for a need, best first (`reasons: false`: without the words, for the caller to word those it shows). */
export function rankOffers(need: NeedFacts, offers: readonly { offer: OfferFacts; evidence: PairEvidence }[], options: { reasons?: boolean } = {}): Match[] {
  const matches: Match[] = [];
  for (const { offer, evidence } of offers) {
    const m = scorePair(need, offer, evidence, 'need', options);
    if (m) matches.push(m);
  }
  return matches.sort(compareMatches);
}

/** Needs for an offer, best first. */
export function rankNeeds(offer: OfferFacts, needs: readonly { need: NeedFacts; evidence: PairEvidence }[]): Match[] {
  const matches: Match[] = [];
  for (const { need, evidence } of needs) {
    const m = scorePair(need, offer, evidence, 'offer');
    if (m) matches.push(m);
  }
  return matches.sort(compareMatches);
}

/** Precision at k: of the first k shown (fewer if fewer are shown), the share that are in `relevant`. */
export function precisionAt(k: number, ranked: readonly string[], relevant: readonly string[]): number | null {
  const shown = ranked.slice(0, k);
  if (shown.length === 0) return null;
  return shown.filter((id) => relevant.includes(id)).length / shown.length;
}
