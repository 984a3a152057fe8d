/**
 * Impact against the family: how a school's result on a partnership aim has changed since the baseline year,
 * set beside how the results of its family of similar schools changed over the same years. Pure; the rules are
 * stated here and on the page.
 *
 * Years are academic-year start years (2021 means 2021/22). A series maps a year to a value; a null or absent
 * value is missing or suppressed.
 */
import { quantile, type Direction } from '../statistics/data-pack';

export type { Direction };

/** 2019/20 and 2020/21: national disruption (COVID), exams cancelled and absence recorded differently. */
export const DISRUPTED_YEARS = [2019, 2020] as const;

export type ImpactFlag = 'too-early' | 'regression-to-the-mean' | 'disrupted-years' | 'no-baseline' | 'predecessor-data';

export type Series = ReadonlyMap<number, number | null>;

export interface ImpactInput {
  baselineYear: number;
  school: Series;
  /** The school's predecessor(s) before academy conversion (GIAS links), most recent first: used for years the school itself lacks. */
  predecessors?: readonly Series[];
  /** One series per family member (the school itself excluded). */
  family: readonly Series[];
  direction: Direction;
  /** Years to report after the baseline: every year present in any series after the baseline, ascending, unless given. */
  years?: readonly number[];
}

export interface ImpactYear {
  year: number;
  value: number | null;
  change: number | null;
  familyMedianChange: number | null;
  familyQ1Change: number | null;
  familyQ3Change: number | null;
  adjustedChange: number | null;
  familyMembersWithChange: number;
}

export interface Impact {
  baselineYear: number;
  baselineValue: number | null;
  years: ImpactYear[];
  flags: ImpactFlag[];
  /** 'measured' when at least two years after the baseline have a change; else 'too-early' (or 'no-baseline'). */
  status: 'measured' | 'too-early' | 'no-baseline';
}

const FLAG_ORDER: readonly ImpactFlag[] = ['no-baseline', 'too-early', 'predecessor-data', 'regression-to-the-mean', 'disrupted-years'];

/** A series' value for a year, or null when it is absent, null or not a finite number. */
function valueIn(series: Series, year: number): number | null {
  const v = series.get(year);
  return v === undefined || v === null || !Number.isFinite(v) ? null : v;
}

/** Ascending, without duplicates. */
function sortedNumbers(values: Iterable<number>): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

/**
 * Impact of a school on one measure since a baseline year, against its family.
 *
 * - The school's value for a year is its own value; where it has none, the value of the first predecessor (most
 *   recent first) that has one, and the result is flagged as using predecessor data.
 * - The years reported are every year after the baseline, ascending: the years given, or else every year that
 *   appears in any series (school, predecessors or family, suppressed values included).
 * - The change for a year is the value that year minus the value in the baseline year; none when either is missing.
 * - Each family member's change is worked out the same way, counting only members with both values. The family's
 *   median and quartiles of those changes are by linear interpolation (Hyndman and Fan type 7); none when no
 *   member has both values.
 * - The adjusted change is the school's change minus the family's median change: positive means the value rose by
 *   more than the typical family member's did (whether that is better depends on the measure's direction).
 * - Status: 'no-baseline' when the school (or its predecessors) has no value in the baseline year; otherwise
 *   'too-early' when fewer than two years after the baseline have a change; otherwise 'measured'.
 * - Flags, in this order: no-baseline; too-early (not given when there is no baseline, since waiting will not
 *   help); predecessor-data (a predecessor's value was used for the baseline or a reported year);
 *   regression-to-the-mean (the school's baseline value was in the family's worst quarter at the baseline: at or
 *   below the lower quartile of the members' baseline values when higher is better, at or above the upper
 *   quartile when lower is better, never for measures with no better direction; needs at least one member with
 *   a baseline value); disrupted-years (any year from the baseline to the last reported year is 2019/20 or
 *   2020/21).
 */
export function familyAdjustedImpact(input: ImpactInput): Impact {
  const { baselineYear, school, family, direction } = input;
  const predecessors = input.predecessors ?? [];
  let usedPredecessor = false;

  const schoolValue = (year: number): number | null => {
    const own = valueIn(school, year);
    if (own !== null) return own;
    for (const p of predecessors) {
      const v = valueIn(p, year);
      if (v !== null) {
        usedPredecessor = true;
        return v;
      }
    }
    return null;
  };

  const reportYears = sortedNumbers(
    (input.years ?? [school, ...predecessors, ...family].flatMap((s) => [...s.keys()])).filter((y) => y > baselineYear),
  );

  const baselineValue = schoolValue(baselineYear);
  const years: ImpactYear[] = reportYears.map((year) => {
    const value = schoolValue(year);
    const change = value !== null && baselineValue !== null ? value - baselineValue : null;
    const changes: number[] = [];
    for (const member of family) {
      const before = valueIn(member, baselineYear);
      const after = valueIn(member, year);
      if (before !== null && after !== null) changes.push(after - before);
    }
    changes.sort((a, b) => a - b);
    const familyMedianChange = quantile(changes, 0.5);
    return {
      year,
      value,
      change,
      familyMedianChange,
      familyQ1Change: quantile(changes, 0.25),
      familyQ3Change: quantile(changes, 0.75),
      adjustedChange: change !== null && familyMedianChange !== null ? change - familyMedianChange : null,
      familyMembersWithChange: changes.length,
    };
  });

  const yearsWithChange = years.filter((y) => y.change !== null).length;
  const status: Impact['status'] = baselineValue === null ? 'no-baseline' : yearsWithChange < 2 ? 'too-early' : 'measured';

  const flags = new Set<ImpactFlag>();
  if (status === 'no-baseline') flags.add('no-baseline');
  if (status === 'too-early') flags.add('too-early');
  if (usedPredecessor) flags.add('predecessor-data');
  if (baselineValue !== null && direction !== 'none') {
    const memberBaselines = family.map((m) => valueIn(m, baselineYear)).filter((v): v is number => v !== null);
    memberBaselines.sort((a, b) => a - b);
    if (memberBaselines.length >= 1) {
      const worstQuarter = direction === 'higher' ? baselineValue <= quantile(memberBaselines, 0.25)! : baselineValue >= quantile(memberBaselines, 0.75)!;
      if (worstQuarter) flags.add('regression-to-the-mean');
    }
  }
  const lastYear = reportYears.at(-1) ?? baselineYear;
  if (DISRUPTED_YEARS.some((y) => y >= baselineYear && y <= lastYear)) flags.add('disrupted-years');

  return { baselineYear, baselineValue, years, flags: FLAG_ORDER.filter((f) => flags.has(f)), status };
}

/** Each flag's meaning in plain words, for a governor. */
export function describeFlag(flag: ImpactFlag): string {
  switch (flag) {
    case 'too-early':
      return 'Fewer than two years of results since the baseline year, so it is too early to judge the change.';
    case 'regression-to-the-mean':
      return 'The school started in the bottom quarter of its family, so some improvement would be expected anyway (regression to the mean).';
    case 'disrupted-years':
      return 'The years compared include 2019/20 or 2020/21, when national disruption (COVID) cancelled exams and changed how absence was recorded, so those years are not like the others.';
    case 'no-baseline':
      return 'There is no result for the school in the baseline year, so no change since then can be worked out.';
    case 'predecessor-data':
      return "Some results are those of the school before it became an academy (its predecessor school), used where the school's own results are missing.";
  }
}

export interface RollUpItem {
  urn: number;
  measure: string;
  direction: Direction;
  impact: Impact;
}

export interface RollUp {
  measured: number;
  tooEarly: number;
  improvedAgainstFamily: number;
  /** median over measured items of the latest adjusted change signed so that positive = better than the family (× −1 when lower is better); null if none measured */
  medianBetterThanFamily: number | null;
  rule: string;
}

export const ROLL_UP_RULE =
  'For each member school and aim measure with at least two years of results after its baseline year, we take the latest change since the baseline and subtract the median change of its family of similar schools over the same years; it counts as better than the family when it is above zero for a measure where higher is better (such as attainment) or below zero for one where lower is better (such as absence). The partnership figure is the median of these, shown so that a positive number means better than the family. Measures with no better direction are left out, and so are those it is too early to judge.';

/**
 * A partnership's roll-up of its members' impacts.
 *
 * - Items whose measure has no better direction are left out entirely.
 * - An item is measured when its status is 'measured' and some reported year has an adjusted change; its latest
 *   adjusted change is the one in the latest such year, multiplied by −1 when lower is better so that positive
 *   always means better than the family.
 * - tooEarly counts items with status 'too-early'. Items with no baseline, and measured items with no family
 *   change to compare against, are counted in neither.
 * - improvedAgainstFamily counts measured items whose signed latest adjusted change is above zero.
 * - medianBetterThanFamily is the median (type 7) of the signed latest adjusted changes; null when none is measured.
 */
export function rollUp(items: readonly RollUpItem[]): RollUp {
  const signed: number[] = [];
  let tooEarly = 0;
  for (const item of items) {
    if (item.direction === 'none') continue;
    if (item.impact.status === 'too-early') tooEarly++;
    if (item.impact.status !== 'measured') continue;
    const latest = item.impact.years.findLast((y) => y.adjustedChange !== null)?.adjustedChange;
    if (latest === undefined || latest === null) continue;
    // + 0 turns −0 into 0.
    signed.push((item.direction === 'lower' ? -latest : latest) + 0);
  }
  signed.sort((a, b) => a - b);
  return {
    measured: signed.length,
    tooEarly,
    improvedAgainstFamily: signed.filter((v) => v > 0).length,
    medianBetterThanFamily: quantile(signed, 0.5),
    rule: ROLL_UP_RULE,
  };
}
