/**
 * Where a school stands in its family on a measure: median and quartiles, its rank, and the bright spots.
 * Pure; the rules are stated here and on the page.
 */

/**
 * Quantile by linear interpolation between order statistics (Hyndman and Fan's type 7, the default of R and
 * numpy): position h = (n − 1)·p, value = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 */
export function quantile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export interface FamilyStanding {
  /** Family members with a value (the school itself not counted). */
  membersWithValue: number;
  median: number | null;
  q1: number | null;
  q3: number | null;
  /** The school's rank among itself and the members with a value, 1 = best; ties share the better rank. */
  rank: number | null;
  of: number;
}

/** "Best" follows the measure's direction; `none` ranks by value, highest first, and finds no bright spots. */
export type Direction = 'higher' | 'lower' | 'none';

export function standing(schoolValue: number | null, memberValues: readonly (number | null)[], direction: Direction): FamilyStanding {
  const values = memberValues.filter((v): v is number => v !== null && Number.isFinite(v));
  const sorted = [...values].sort((a, b) => a - b);
  const all = schoolValue === null ? values : [...values, schoolValue];
  let rank: number | null = null;
  if (schoolValue !== null) {
    const better = direction === 'lower' ? values.filter((v) => v < schoolValue).length : values.filter((v) => v > schoolValue).length;
    rank = better + 1;
  }
  return { membersWithValue: values.length, median: quantile(sorted, 0.5), q1: quantile(sorted, 0.25), q3: quantile(sorted, 0.75), rank, of: all.length };
}

/** "1st", "2nd", "3rd", "11th", "22nd". */
export function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  return `${n}${{ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th'}`;
}

export interface BrightSpotRule {
  direction: Direction;
  /** The smallest difference worth acting on, in the measure's unit. */
  meaningfulDifference: number;
}

/**
 * Bright spots: family members in the best quarter of the family on the measure (at or above the upper quartile
 * when higher is better, at or below the lower quartile when lower is better) and better than the school by more
 * than the measure's meaningful difference. Best first; ties by URN. None for measures with no better direction,
 * and none when the school has no value (there is nothing to be better than).
 */
export function brightSpots(
  schoolValue: number | null,
  members: readonly { urn: number; value: number | null }[],
  rule: BrightSpotRule,
): { urn: number; value: number; by: number }[] {
  if (rule.direction === 'none' || schoolValue === null) return [];
  const values = members.map((m) => m.value).filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (values.length < 4) return [];
  const threshold = rule.direction === 'higher' ? quantile(values, 0.75)! : quantile(values, 0.25)!;
  return members
    .filter((m): m is { urn: number; value: number } => m.value !== null && Number.isFinite(m.value))
    .map((m) => ({ urn: m.urn, value: m.value, by: rule.direction === 'higher' ? m.value - schoolValue : schoolValue - m.value }))
    .filter((m) => (rule.direction === 'higher' ? m.value >= threshold : m.value <= threshold) && m.by > rule.meaningfulDifference)
    .sort((a, b) => b.by - a.by || a.urn - b.urn);
}
