/**
 * The matcher's rule (matching.ts) over columns: thousands of open offers are gated, scored and ordered per request
 * with plain numeric loops, and no object is built per offer. `scorePair` stays the one that words the matches
 * shown; both share the arithmetic (`distancePartOf`, `evidencePart`, `similarityScore`, `weightedScore`), so scores
 * and order are the same to the last bit (tested in ranking.test.ts and on the service).
 */
import { CAPACITY_FULL_AT, distancePartOf, evidencePart, weightedScore, type OfferFacts } from './matching';

export const MODE_IN_PERSON = 0;
export const MODE_REMOTE = 1;
export const MODE_BOTH = 2;
const MODE_CODES: Record<OfferFacts['mode'], number> = { 'in-person': MODE_IN_PERSON, remote: MODE_REMOTE, both: MODE_BOTH };

/** Offers as columns, index i for the i-th offer; built once (per cache version) by `offerColumns`. */
export interface OfferColumns {
  readonly length: number;
  readonly ids: readonly string[];
  /** The offering organisation, interned (`organisationIndex`). */
  readonly organisation: Int32Array;
  readonly organisationIndex: ReadonlyMap<string, number>;
  /** Kinds of help as bits (`kindBits`); when there are more kinds than bits, `kindLists` is used instead. */
  readonly kinds: Int32Array;
  readonly kindBits: ReadonlyMap<string, number> | null;
  readonly kindLists: readonly (readonly string[])[];
  readonly phases: readonly (readonly string[])[];
  /** NaN when the location is unknown. */
  readonly easting: Float64Array;
  readonly northing: Float64Array;
  /** NaN when there is no radius. */
  readonly radiusKm: Float64Array;
  readonly placesLeft: Float64Array;
  readonly mode: Uint8Array;
  /** 1 when the organisation has a designation. */
  readonly designated: Uint8Array;
  /** The organisation's name's place in the en-GB order (names that compare equal share one). */
  readonly nameRank: Int32Array;
}

export function offerColumns(offers: readonly (OfferFacts & { designated: boolean })[]): OfferColumns {
  const n = offers.length;
  const organisationIndex = new Map<string, number>();
  const organisation = new Int32Array(n);
  const allKinds = new Set<string>();
  for (const o of offers) for (const k of o.kinds) allKinds.add(k);
  const kindBits = allKinds.size <= 30 ? new Map([...allKinds].map((k, i) => [k, 1 << i])) : null;
  const kinds = new Int32Array(n);
  const easting = new Float64Array(n);
  const northing = new Float64Array(n);
  const radiusKm = new Float64Array(n);
  const placesLeft = new Float64Array(n);
  const mode = new Uint8Array(n);
  const designated = new Uint8Array(n);
  const names = [...new Set(offers.map((o) => o.organisationName))].sort((a, b) => a.localeCompare(b, 'en-GB'));
  const rankOf = new Map<string, number>();
  let rank = 0;
  names.forEach((name, i) => {
    if (i > 0 && names[i - 1]!.localeCompare(name, 'en-GB') !== 0) rank = i;
    rankOf.set(name, rank);
  });
  const nameRank = new Int32Array(n);
  offers.forEach((o, i) => {
    let org = organisationIndex.get(o.organisationId);
    if (org === undefined) organisationIndex.set(o.organisationId, (org = organisationIndex.size));
    organisation[i] = org;
    if (kindBits) for (const k of o.kinds) kinds[i]! |= kindBits.get(k)!;
    easting[i] = o.location ? o.location.easting : Number.NaN;
    northing[i] = o.location ? o.location.northing : Number.NaN;
    radiusKm[i] = o.radiusKm ?? Number.NaN;
    placesLeft[i] = o.placesLeft;
    mode[i] = MODE_CODES[o.mode];
    designated[i] = o.designated ? 1 : 0;
    nameRank[i] = rankOf.get(o.organisationName)!;
  });
  return {
    length: n,
    ids: offers.map((o) => o.id),
    organisation,
    organisationIndex,
    kinds,
    kindBits,
    kindLists: offers.map((o) => o.kinds),
    phases: offers.map((o) => o.phases),
    easting,
    northing,
    radiusKm,
    placesLeft,
    mode,
    designated,
    nameRank,
  };
}

/** The need, as the column ranker reads it. */
export interface NeedColumns {
  organisation: number;
  kindMask: number;
  kinds: readonly string[];
  easting: number;
  northing: number;
}

export function needColumns(offers: OfferColumns, need: { organisationId: string; kinds: readonly string[]; location: { easting: number; northing: number } | null }): NeedColumns {
  let kindMask = 0;
  if (offers.kindBits) for (const k of need.kinds) kindMask |= offers.kindBits.get(k) ?? 0;
  return {
    organisation: offers.organisationIndex.get(need.organisationId) ?? -1,
    kindMask,
    kinds: need.kinds,
    easting: need.location ? need.location.easting : Number.NaN,
    northing: need.location ? need.location.northing : Number.NaN,
  };
}

/** Kilometres between the need and offer i; NaN when either location is unknown (as `kmBetween`). */
export function kmAt(need: NeedColumns, offers: OfferColumns, i: number): number {
  if (Number.isNaN(need.easting) || Number.isNaN(offers.easting[i]!)) return Number.NaN;
  return Math.hypot(need.easting - offers.easting[i]!, need.northing - offers.northing[i]!) / 1000;
}

/**
 * The offers among `candidates` (indices, all on the need's theme) that pass the other gates of `gateFailure`:
 * another organisation, a kind of help asked for, a place left, and within reach for help given only in person.
 */
export function passingGates(need: NeedColumns, offers: OfferColumns, candidates: ArrayLike<number>): Int32Array {
  const out = new Int32Array(candidates.length);
  let count = 0;
  for (let c = 0; c < candidates.length; c++) {
    const i = candidates[c]!;
    if (offers.organisation[i] === need.organisation) continue;
    if (offers.kindBits ? (offers.kinds[i]! & need.kindMask) === 0 : !need.kinds.some((k) => offers.kindLists[i]!.includes(k))) continue;
    if (offers.placesLeft[i]! <= 0) continue;
    if (offers.mode[i] === MODE_IN_PERSON) {
      const km = kmAt(need, offers, i);
      const radius = offers.radiusKm[i]!;
      if (!Number.isNaN(km) && !Number.isNaN(radius) && km > radius) continue;
    }
    out[count++] = i;
  }
  return out.slice(0, count);
}

/** What the service found out per offer, aligned with the offers ranked (position c for offer `passing[c]`). */
export interface ColumnEvidence {
  /** The similarity part, NaN when absent. */
  similarity: Float64Array;
  /** MEASURE_NONE, MEASURE_BETTER or MEASURE_BRIGHT_SPOT (matching.ts). */
  measure: Uint8Array;
  /** 1 when the offering organisation has published case studies on the theme. */
  caseStudies: Uint8Array;
  /** The phase part. */
  phase: Float64Array;
}

export interface ColumnRanking {
  /** Positions into `passing`, best first (the stated order of `compareMatches`). */
  order: Int32Array;
  /** Scores by position, rounded as `Match.score`. */
  score: Float64Array;
}

/** Scores and orders offers that passed the gates; the same numbers and order as `rankOffers` over the same facts. */
export function rankColumns(need: NeedColumns, offers: OfferColumns, passing: Int32Array, evidence: ColumnEvidence): ColumnRanking {
  const n = passing.length;
  const score = new Float64Array(n);
  const distanceKey = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const i = passing[c]!;
    const km = kmAt(need, offers, i);
    const sim = evidence.similarity[c]!;
    const distance = distancePartOf(offers.mode[i] === MODE_REMOTE, km, offers.radiusKm[i]!);
    const capacity = Math.min(1, offers.placesLeft[i]! / CAPACITY_FULL_AT);
    const ev = evidencePart(evidence.measure[c]!, evidence.caseStudies[c] === 1, offers.designated[i] === 1);
    score[c] = weightedScore(Number.isNaN(sim) ? null : sim, ev, distance, capacity, evidence.phase[c]!);
    distanceKey[c] = Number.isNaN(km) ? Infinity : Math.round(km * 10) / 10;
  }
  const order = new Int32Array(n);
  for (let c = 0; c < n; c++) order[c] = c;
  order.sort((a, b) => {
    if (score[a] !== score[b]) return score[b]! - score[a]!;
    const da = distanceKey[a]!;
    const db = distanceKey[b]!;
    if (da !== db) return da - db;
    const i = passing[a]!;
    const j = passing[b]!;
    if (offers.placesLeft[i] !== offers.placesLeft[j]) return offers.placesLeft[j]! - offers.placesLeft[i]!;
    if (offers.nameRank[i] !== offers.nameRank[j]) return offers.nameRank[i]! - offers.nameRank[j]!;
    const x = offers.ids[i]!;
    const y = offers.ids[j]!;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return { order, score };
}
