import KDBush from 'kdbush';
import { quantile } from '../statistics/data-pack';

/**
 * Need against collaboration, for areas and schools (DOMAIN.md, "Collaboration measures"). Pure: the service
 * gathers schools, offers and collaborations; this module applies the stated rules. Distances are in metres on the
 * British National Grid (GIAS easting and northing).
 */

/** Catchments of the two-step floating catchment (d₀): 10 km for primary schools, 20 km for secondary and others. */
export const CATCHMENT_METRES = { primary: 10_000, other: 20_000 } as const;
/** Cold-spot thresholds (rule 1: areas; rule 2: schools). */
export const AREA_NEED_QUANTILE = 0.8;
export const AREA_COVER_QUANTILE = 0.2;
export const SCHOOL_NEED_QUANTILE = 0.75;

export interface SchoolNeed {
  urn: number;
  /** The area the school is counted in, where the caller needs one (the functions here do not read it). */
  area?: string;
  phase: 'primary' | 'other';
  pupils: number | null;
  /** Pupil premium % where the data has it, else FSM % (the caller says which). */
  disadvantagePct: number | null;
  easting: number | null;
  northing: number | null;
  /** Active collaborations in the last 12 months: partnerships and networks with activity, agreed support, published case studies. */
  activeCollaborations: number;
  /** In a trust or federation: structural cover, reported beside active cover, not inside it. */
  structural: boolean;
}

export interface OfferPoint {
  id: string;
  easting: number | null;
  northing: number | null;
  /** Places (partner schools it can support at once). */
  capacity: number;
}

/** Number of pupils × disadvantage % ÷ 100; null when either is missing. */
export function disadvantagedPupils(pupils: number | null, disadvantagePct: number | null): number | null {
  if (pupils == null || disadvantagePct == null || !Number.isFinite(pupils) || !Number.isFinite(disadvantagePct)) return null;
  return (pupils * disadvantagePct) / 100;
}

export interface Cover {
  disadvantagedPupils: number;
  disadvantagedPupilsCovered: number;
  /** Covered ÷ all; null for an area with no disadvantaged pupils (nothing to cover). */
  ratio: number | null;
  /** The same with trust or federation membership counted as cover. */
  ratioWithStructural: number | null;
}

/** The need-weighted cover ratio of a set of schools (schools without a disadvantaged-pupil count are left out). */
export function cover(schools: readonly SchoolNeed[]): Cover {
  let total = 0;
  let covered = 0;
  let coveredWithStructural = 0;
  for (const s of schools) {
    const d = disadvantagedPupils(s.pupils, s.disadvantagePct);
    if (d === null) continue;
    total += d;
    if (s.activeCollaborations > 0) covered += d;
    if (s.activeCollaborations > 0 || s.structural) coveredWithStructural += d;
  }
  return {
    disadvantagedPupils: total,
    disadvantagedPupilsCovered: covered,
    ratio: total > 0 ? covered / total : null,
    ratioWithStructural: total > 0 ? coveredWithStructural / total : null,
  };
}

/**
 * Two-step floating catchment of offers' capacity against disadvantaged pupils. A school i and an offer j are within
 * reach when their distance is at most the school's catchment d₀(i). Step 1: R_j = capacity_j ÷ Σ disadvantaged
 * pupils of the schools within reach of j (an offer with no such pupils gives R_j = 0: there is nobody to share).
 * Step 2: A_i = Σ R_j over the offers within reach of i. Schools or offers without coordinates take no part (A = null
 * for such a school). A school exactly on the catchment's edge is within reach.
 */
export function access(schools: readonly SchoolNeed[], offers: readonly OfferPoint[]): Map<number, number | null> {
  const located = schools.filter((s) => s.easting != null && s.northing != null);
  const result = new Map<number, number | null>(schools.map((s) => [s.urn, null]));
  if (located.length === 0) return result;
  // Flat typed arrays and squared distances: this runs over every school and offer in the country.
  const n = located.length;
  const east = new Float64Array(n);
  const north = new Float64Array(n);
  const reachSq = new Float64Array(n);
  const pupils = new Float64Array(n);
  const index = new KDBush(n);
  for (let i = 0; i < n; i++) {
    const s = located[i]!;
    east[i] = s.easting!;
    north[i] = s.northing!;
    reachSq[i] = CATCHMENT_METRES[s.phase] ** 2;
    pupils[i] = disadvantagedPupils(s.pupils, s.disadvantagePct) ?? 0;
    index.add(east[i]!, north[i]!);
  }
  index.finish();
  const score = new Float64Array(n);
  let reach = new Int32Array(1024);
  for (const o of offers) {
    if (o.easting == null || o.northing == null) continue;
    const near = index.within(o.easting, o.northing, CATCHMENT_METRES.other);
    if (reach.length < near.length) reach = new Int32Array(near.length * 2);
    let count = 0;
    let demand = 0;
    for (const i of near) {
      const dx = east[i]! - o.easting;
      const dy = north[i]! - o.northing;
      if (dx * dx + dy * dy <= reachSq[i]!) {
        reach[count++] = i;
        demand += pupils[i]!;
      }
    }
    if (demand <= 0) continue; // R_j = 0: nobody to share its places with
    const ratio = o.capacity / demand;
    for (let k = 0; k < count; k++) score[reach[k]!]! += ratio;
  }
  for (let i = 0; i < n; i++) result.set(located[i]!.urn, score[i]!);
  return result;
}

export interface AreaSummary {
  code: string;
  pupils: number;
  disadvantagedPupils: number;
  /** Disadvantaged pupils ÷ pupils, over schools with both figures; null with none. */
  disadvantageShare: number | null;
  cover: Cover;
}

export function summariseArea(code: string, schools: readonly SchoolNeed[]): AreaSummary {
  let pupils = 0;
  let disadvantaged = 0;
  for (const s of schools) {
    const d = disadvantagedPupils(s.pupils, s.disadvantagePct);
    if (d === null) continue;
    pupils += s.pupils!;
    disadvantaged += d;
  }
  return { code, pupils, disadvantagedPupils: disadvantaged, disadvantageShare: pupils > 0 ? disadvantaged / pupils : null, cover: cover(schools) };
}

/**
 * Rule 1: an area is a cold spot when its share of disadvantaged pupils is in the top fifth of areas (at or above
 * the 80th percentile, type 7) and its need-weighted cover is in the bottom fifth (at or below the 20th
 * percentile). Areas with no disadvantaged pupils take no part.
 */
export function areaColdSpots(areas: readonly AreaSummary[]): Set<string> {
  const scored = areas.filter((a) => a.disadvantageShare !== null && a.cover.ratio !== null);
  if (scored.length === 0) return new Set();
  const needs = scored.map((a) => a.disadvantageShare!).sort((x, y) => x - y);
  const covers = scored.map((a) => a.cover.ratio!).sort((x, y) => x - y);
  const needCut = quantile(needs, AREA_NEED_QUANTILE)!;
  const coverCut = quantile(covers, AREA_COVER_QUANTILE)!;
  return new Set(scored.filter((a) => a.disadvantageShare! >= needCut && a.cover.ratio! <= coverCut).map((a) => a.code));
}

/**
 * Rule 2: a school is a cold spot when its disadvantage % is in the top quarter of the schools considered (at or
 * above the upper quartile), it has no active collaboration, and no offer is within reach (access 0). A school with
 * no coordinates or no disadvantage figure cannot be judged and is not one.
 */
export function schoolColdSpots(schools: readonly SchoolNeed[], accessByUrn: ReadonlyMap<number, number | null>): Set<number> {
  const values = schools.map((s) => s.disadvantagePct).filter((v): v is number => v != null && Number.isFinite(v)).sort((a, b) => a - b);
  if (values.length === 0) return new Set();
  const cut = quantile(values, SCHOOL_NEED_QUANTILE)!;
  return new Set(schools.filter((s) => s.disadvantagePct != null && s.disadvantagePct >= cut && s.activeCollaborations === 0 && accessByUrn.get(s.urn) === 0).map((s) => s.urn));
}

/** Distance in km to the nearest other school of the same phase (isolation); null without coordinates or peers. */
export function nearestSamePhaseKm(schools: readonly SchoolNeed[]): Map<number, number | null> {
  const out = new Map<number, number | null>();
  for (const phase of ['primary', 'other'] as const) {
    const group = schools.filter((s) => s.phase === phase && s.easting != null && s.northing != null);
    const index = group.length ? new KDBush(group.length) : null;
    for (const s of group) index!.add(s.easting!, s.northing!);
    index?.finish();
    for (const s of schools.filter((x) => x.phase === phase)) {
      if (!index || s.easting == null || s.northing == null || group.length < 2) {
        out.set(s.urn, null);
        continue;
      }
      let radius = 2_000;
      let best: number | null = null;
      while (best === null && radius <= 1_000_000) {
        for (const i of index.within(s.easting, s.northing, radius)) {
          const o = group[i]!;
          if (o.urn === s.urn) continue;
          const d = Math.hypot(o.easting! - s.easting, o.northing! - s.northing);
          if (best === null || d < best) best = d;
        }
        radius *= 4;
      }
      out.set(s.urn, best === null ? null : best / 1000);
    }
  }
  return out;
}
