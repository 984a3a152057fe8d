import { formatAcademicYear } from '../schools/years';
import { formatMeasureValue, type MeasureDefinition } from './catalogue';

/**
 * Puts a school's figures beside its local authority's and England's, year by year, for display as a chart and
 * a table. Missing and suppressed figures stay missing, with the publisher's reason.
 */

export interface MeasureValue {
  entityType: 'school' | 'la' | 'england';
  entityCode: string;
  measure: string;
  breakdown: string;
  year: number;
  value: number | null;
  status: string | null;
}

export interface Cell {
  value: number | null;
  /** "6.1%", or the reason the figure is missing ("Suppressed", "Not published"). */
  display: string;
  missing: boolean;
}

export interface OutcomeRow {
  year: number;
  yearLabel: string;
  school: Cell;
  la: Cell;
  england: Cell;
}

export interface OutcomeSeries {
  measure: MeasureDefinition;
  rows: OutcomeRow[];
  /** Which LA and England figure the school is compared with, in words. */
  comparison: string;
}

export type ComparisonPhase = 'primary' | 'secondary';

/**
 * LA and England absence are published for state-funded primary and secondary schools. GIAS phases map onto them;
 * special schools, pupil referral units and "not applicable" have no like-for-like published comparison.
 */
export function comparisonPhase(phaseName: string | null | undefined): ComparisonPhase | null {
  switch (phaseName) {
    case 'Nursery':
    case 'Primary':
    case 'Middle deemed primary':
      return 'primary';
    case 'Secondary':
    case 'Middle deemed secondary':
    case 'All-through':
    case '16 plus':
      return 'secondary';
    default:
      return null;
  }
}

const NOT_PUBLISHED = 'Not published';

export function cellFor(definition: MeasureDefinition, v: { value: number | null; status: string | null } | undefined): Cell {
  if (!v) return { value: null, display: NOT_PUBLISHED, missing: true };
  if (v.value === null) return { value: null, display: v.status ?? NOT_PUBLISHED, missing: true };
  return { value: v.value, display: formatMeasureValue(definition, v.value), missing: false };
}

/**
 * Finds the comparator value for an LA or England: the all-schools figure where one is published, otherwise the
 * figure for the school's phase. Returns the breakdown used so the page can say what it compares with.
 */
function comparator(
  values: readonly MeasureValue[],
  entityType: 'la' | 'england',
  measure: string,
  phase: ComparisonPhase | null,
): { byYear: Map<number, MeasureValue>; breakdown: string | null } {
  const own = values.filter((v) => v.entityType === entityType && v.measure === measure);
  const all = own.filter((v) => v.breakdown === 'all');
  if (all.length > 0) return { byYear: new Map(all.map((v) => [v.year, v])), breakdown: 'all' };
  if (phase) {
    const byPhase = own.filter((v) => v.breakdown === phase);
    if (byPhase.length > 0) return { byYear: new Map(byPhase.map((v) => [v.year, v])), breakdown: phase };
  }
  return { byYear: new Map(), breakdown: null };
}

function describeComparison(la: string | null, england: string | null, phase: ComparisonPhase | null): string {
  const breakdown = la ?? england;
  if (breakdown === null) {
    return phase === null
      ? 'No local authority or England figure is published for schools of this phase.'
      : 'No local authority or England figure is published for this measure.';
  }
  if (breakdown === 'all') return 'Compared with all state-funded schools in the local authority and in England.';
  return `Compared with state-funded ${breakdown} schools in the local authority and in England.`;
}

/**
 * One series per measure that the school has any figure for (a value or a reason it is missing), in catalogue order.
 */
export function buildSchoolOutcomes(
  definitions: readonly MeasureDefinition[],
  values: readonly MeasureValue[],
  phaseName: string | null,
): OutcomeSeries[] {
  const phase = comparisonPhase(phaseName);
  const series: OutcomeSeries[] = [];
  for (const definition of definitions) {
    const schoolValues = values.filter((v) => v.entityType === 'school' && v.measure === definition.code);
    if (schoolValues.length === 0) continue;
    const la = comparator(values, 'la', definition.code, phase);
    const england = comparator(values, 'england', definition.code, phase);
    const years = [...new Set(schoolValues.map((v) => v.year))].sort((a, b) => a - b);
    const bySchoolYear = new Map(schoolValues.map((v) => [v.year, v]));
    series.push({
      measure: definition,
      comparison: describeComparison(la.breakdown, england.breakdown, phase),
      rows: years.map((year) => ({
        year,
        yearLabel: formatAcademicYear(year),
        school: cellFor(definition, bySchoolYear.get(year)),
        la: cellFor(definition, la.byYear.get(year)),
        england: cellFor(definition, england.byYear.get(year)),
      })),
    });
  }
  return series;
}

export interface AreaRow {
  year: number;
  yearLabel: string;
  area: Cell;
  england: Cell;
}

export interface AreaSeries {
  measure: MeasureDefinition;
  breakdown: string;
  /** "All state-funded schools", "State-funded primary schools" … */
  breakdownLabel: string;
  rows: AreaRow[];
}

const BREAKDOWN_LABELS: Record<string, string> = {
  all: 'All state-funded schools',
  primary: 'State-funded primary schools',
  secondary: 'State-funded secondary schools',
};

/** A local authority's published figures beside England's, per measure and breakdown, year by year. */
export function buildAreaOutcomes(definitions: readonly MeasureDefinition[], values: readonly MeasureValue[]): AreaSeries[] {
  const series: AreaSeries[] = [];
  for (const definition of definitions) {
    const areaValues = values.filter((v) => v.entityType === 'la' && v.measure === definition.code);
    const breakdowns = [...new Set(areaValues.map((v) => v.breakdown))].sort((a, b) => breakdownOrder(a) - breakdownOrder(b));
    for (const breakdown of breakdowns) {
      const own = areaValues.filter((v) => v.breakdown === breakdown);
      if (own.every((v) => v.value === null)) continue;
      const eng = new Map(
        values.filter((v) => v.entityType === 'england' && v.measure === definition.code && v.breakdown === breakdown).map((v) => [v.year, v]),
      );
      const byYear = new Map(own.map((v) => [v.year, v]));
      const years = [...byYear.keys()].sort((a, b) => a - b);
      series.push({
        measure: definition,
        breakdown,
        breakdownLabel: BREAKDOWN_LABELS[breakdown] ?? breakdown,
        rows: years.map((year) => ({
          year,
          yearLabel: formatAcademicYear(year),
          area: cellFor(definition, byYear.get(year)),
          england: cellFor(definition, eng.get(year)),
        })),
      });
    }
  }
  return series;
}

function breakdownOrder(b: string): number {
  return b === 'all' ? 0 : b === 'primary' ? 1 : b === 'secondary' ? 2 : 3;
}

export interface DisadvantageGap {
  year: number;
  yearLabel: string;
  disadvantaged: number;
  other: number;
  /** Other pupils' Attainment 8 minus disadvantaged pupils': positive means disadvantaged pupils do less well. */
  gap: number;
}

/**
 * The Attainment 8 gap between disadvantaged and other pupils for one entity, in the latest year that has both
 * figures; null when either is missing (never computed from a suppressed value).
 */
export function disadvantageGap(values: readonly MeasureValue[], entityType: MeasureValue['entityType'], entityCode: string): DisadvantageGap | null {
  const pick = (measure: string) =>
    new Map(values.filter((v) => v.entityType === entityType && v.entityCode === entityCode && v.measure === measure && v.breakdown === 'all' && v.value !== null).map((v) => [v.year, v.value!]));
  const disadvantaged = pick('ks4.attainment8.disadvantaged');
  const other = pick('ks4.attainment8.other');
  const years = [...disadvantaged.keys()].filter((y) => other.has(y)).sort((a, b) => b - a);
  const year = years[0];
  if (year === undefined) return null;
  const d = disadvantaged.get(year)!;
  const o = other.get(year)!;
  return { year, yearLabel: formatAcademicYear(year), disadvantaged: d, other: o, gap: Math.round((o - d) * 10) / 10 };
}
