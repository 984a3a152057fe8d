import { quantile } from '../statistics/data-pack';
import {
  access,
  areaColdSpots,
  disadvantagedPupils,
  nearestSamePhaseKm,
  schoolColdSpots,
  summariseArea,
  SCHOOL_NEED_QUANTILE,
  type AreaSummary,
  type OfferPoint,
  type SchoolNeed,
} from './need-and-cover';

/**
 * The whole area view in one pure pass: every school's need, cover and access, every area's summary at each level,
 * and the cold spots by rules 1 and 2. The service gathers the inputs (from the database, or the national files in
 * the benchmark) and caches the result; pages and the API only read it.
 */

export const AREA_LEVELS = ['la', 'district', 'combined-authority', 'region'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];

export const LEVEL_LABELS: Record<AreaLevel, { singular: string; plural: string }> = {
  la: { singular: 'local authority', plural: 'local authorities' },
  district: { singular: 'district', plural: 'districts' },
  'combined-authority': { singular: 'combined authority', plural: 'combined authorities' },
  region: { singular: 'region', plural: 'regions' },
};

/** Fifths need at least five areas: a level with fewer areas that can be judged has no rule-1 cold spots. */
export const MIN_AREAS_FOR_RULE_1 = 5;

export interface AreaRef {
  code: string;
  name: string;
  level: AreaLevel;
}

export type DisadvantageSource = 'pupil-premium' | 'fsm';

export interface AreaSchoolInput extends SchoolNeed {
  name: string;
  /** The school's area at each level (GSS codes); absent where it is not in one (a school outside every combined authority). */
  areas: Partial<Record<AreaLevel, string>>;
  /** Which figure disadvantagePct is. */
  disadvantageSource: DisadvantageSource | null;
  /** GIAS urban/rural class starts "Rural" or "Larger rural"/"Smaller rural"; null when GIAS has none. */
  rural: boolean | null;
  /** Within 5.5 km of the coast; null without coordinates. */
  coastal: boolean | null;
  /** Overall absence and persistent absence (%), latest year the school has. */
  absence: number | null;
  persistentAbsence: number | null;
  /**
   * Key measures on which the school is in the worst quarter of its family (below the lower quartile where higher is
   * better); null when the school has no family or no values to compare.
   */
  belowFamily: readonly string[] | null;
}

export interface SchoolResult {
  urn: number;
  disadvantagedPupils: number | null;
  /** Two-step floating catchment access to offers' places per disadvantaged pupil; null without coordinates. */
  access: number | null;
  nearestSamePhaseKm: number | null;
  /** Rule 2. */
  coldSpot: boolean;
}

export interface AreaResult extends AreaRef {
  summary: AreaSummary;
  schools: number;
  /** Schools with an active collaboration. */
  schoolsCovered: number;
  /** Schools that are rule-2 cold spots. */
  schoolColdSpots: number;
  /** Rule 1 (compared with the other areas of the same level). */
  coldSpot: boolean;
  /** Shares of schools (over those with the indicator): rural, coastal, below the family's lower quartile on a key measure. */
  ruralShare: number | null;
  coastalShare: number | null;
  belowFamilyShare: number | null;
  /** Pupil-weighted mean overall and persistent absence over schools with a figure. */
  absence: number | null;
  persistentAbsence: number | null;
  /** Median distance to the nearest same-phase school, km. */
  medianNearestKm: number | null;
}

export interface Thresholds {
  /** Rule 1, per level: the 80th percentile of disadvantage share and the 20th of cover ratio among that level's areas. */
  areas: Partial<Record<AreaLevel, { needCut: number; coverCut: number; areasJudged: number }>>;
  /** Rule 2: the upper quartile of school disadvantage %. */
  schoolNeedCut: number | null;
}

export interface AreaView {
  schools: Map<number, SchoolResult>;
  /** Keyed by `level:code` (a metropolitan borough is both a local authority and a district, with one code). */
  areas: Map<string, AreaResult>;
  thresholds: Thresholds;
}

/** Summarise a set of schools that is not a geographic area (a trust): the same figures, never a rule-1 judgement. */
export function summariseGroup(ref: AreaRef, schools: readonly AreaSchoolInput[], results: ReadonlyMap<number, SchoolResult>): AreaResult {
  const share = (pick: (s: AreaSchoolInput) => boolean | null) => {
    const known = schools.map(pick).filter((v): v is boolean => v !== null);
    return known.length ? known.filter(Boolean).length / known.length : null;
  };
  const weighted = (pick: (s: AreaSchoolInput) => number | null) => {
    let sum = 0;
    let weight = 0;
    for (const s of schools) {
      const v = pick(s);
      if (v == null || s.pupils == null || s.pupils <= 0) continue;
      sum += v * s.pupils;
      weight += s.pupils;
    }
    return weight > 0 ? sum / weight : null;
  };
  const nearest = schools
    .map((s) => results.get(s.urn)?.nearestSamePhaseKm ?? null)
    .filter((v): v is number => v !== null)
    .sort((a, b) => a - b);
  return {
    ...ref,
    summary: summariseArea(ref.code, schools),
    schools: schools.length,
    schoolsCovered: schools.filter((s) => s.activeCollaborations > 0).length,
    schoolColdSpots: schools.filter((s) => results.get(s.urn)?.coldSpot).length,
    coldSpot: false,
    ruralShare: share((s) => s.rural),
    coastalShare: share((s) => s.coastal),
    belowFamilyShare: share((s) => (s.belowFamily === null ? null : s.belowFamily.length > 0)),
    absence: weighted((s) => s.absence),
    persistentAbsence: weighted((s) => s.persistentAbsence),
    medianNearestKm: quantile(nearest, 0.5),
  };
}

/**
 * Computes the view. Rule 2 compares every school with all the schools given (the top quarter nationally, or of the
 * instance's schools); rule 1 compares each area with the other areas of its level. Areas with no school are kept
 * with empty figures (an authority with no school in the data is shown, not dropped).
 */
export function computeAreaView(schools: readonly AreaSchoolInput[], offers: readonly OfferPoint[], areas: readonly AreaRef[]): AreaView {
  const accessByUrn = access(schools, offers);
  const cold = schoolColdSpots(schools, accessByUrn);
  const nearest = nearestSamePhaseKm(schools);
  const results = new Map<number, SchoolResult>();
  for (const s of schools) {
    results.set(s.urn, {
      urn: s.urn,
      disadvantagedPupils: disadvantagedPupils(s.pupils, s.disadvantagePct),
      access: accessByUrn.get(s.urn) ?? null,
      nearestSamePhaseKm: nearest.get(s.urn) ?? null,
      coldSpot: cold.has(s.urn),
    });
  }

  const byArea = new Map<string, AreaSchoolInput[]>();
  for (const s of schools) {
    for (const level of AREA_LEVELS) {
      const code = s.areas[level];
      if (!code) continue;
      let list = byArea.get(`${level}:${code}`);
      if (!list) byArea.set(`${level}:${code}`, (list = []));
      list.push(s);
    }
  }
  const out = new Map<string, AreaResult>();
  const thresholds: Thresholds = { areas: {}, schoolNeedCut: schoolNeedCut(schools) };
  for (const level of AREA_LEVELS) {
    const refs = areas.filter((a) => a.level === level);
    const results_ = refs.map((ref) => summariseGroup(ref, byArea.get(`${level}:${ref.code}`) ?? [], results));
    const judged = results_.filter((r) => r.summary.disadvantageShare !== null && r.summary.cover.ratio !== null);
    const coldAreas = judged.length >= MIN_AREAS_FOR_RULE_1 ? areaColdSpots(results_.map((r) => r.summary)) : new Set<string>();
    if (judged.length >= MIN_AREAS_FOR_RULE_1) {
      thresholds.areas[level] = {
        needCut: quantile(judged.map((r) => r.summary.disadvantageShare!).sort((a, b) => a - b), 0.8)!,
        coverCut: quantile(judged.map((r) => r.summary.cover.ratio!).sort((a, b) => a - b), 0.2)!,
        areasJudged: judged.length,
      };
    }
    for (const r of results_) out.set(`${level}:${r.code}`, { ...r, coldSpot: coldAreas.has(r.code) });
  }
  return { schools: results, areas: out, thresholds };
}

function schoolNeedCut(schools: readonly AreaSchoolInput[]): number | null {
  const values = schools
    .map((s) => s.disadvantagePct)
    .filter((v): v is number => v != null && Number.isFinite(v))
    .sort((a, b) => a - b);
  return quantile(values, SCHOOL_NEED_QUANTILE);
}

/** GIAS and census urban/rural names: "Urban: …", "Larger rural: …", "Smaller rural: …" (England), older "Rural town and fringe" etc. */
export function isRural(urbanRuralName: string | null | undefined): boolean | null {
  if (!urbanRuralName) return null;
  // The census writes the same classes with a prefix: "(England/Wales) Rural village".
  const n = urbanRuralName.toLowerCase().replace(/^\([^)]*\)\s*/, '');
  if (n.startsWith('urban')) return false;
  if (n.includes('rural')) return true;
  return null;
}

/**
 * Is the school in the worst quarter of its family on a measure? Below the family's lower quartile when higher is
 * better, above the upper quartile when lower is better (type-7 quartiles of the members' values, the school not
 * counted). Null when it cannot be judged: no value, no better direction, or fewer than four members with a value.
 */
export function belowFamilyQuartile(schoolValue: number | null, memberValues: readonly (number | null)[], direction: 'higher' | 'lower' | 'none'): boolean | null {
  if (schoolValue === null || !Number.isFinite(schoolValue) || direction === 'none') return null;
  const values = memberValues.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (values.length < 4) return null;
  return direction === 'higher' ? schoolValue < quantile(values, 0.25)! : schoolValue > quantile(values, 0.75)!;
}
