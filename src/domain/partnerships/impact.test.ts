import { describe, expect, it } from 'vitest';
import { describeFlag, familyAdjustedImpact, rollUp, type Direction, type Impact, type ImpactFlag, type ImpactInput, type ImpactYear, type RollUpItem, type Series } from './impact';

/** A series from { year: value }. */
const s = (o: Record<number, number | null>): Series => new Map(Object.entries(o).map(([k, v]) => [Number(k), v]));
/** An expected year row, written out by hand: value, change, family median / Q1 / Q3 change, adjusted change, members with a change. */
const row = (year: number, value: number | null, change: number | null, median: number | null, q1: number | null, q3: number | null, adjusted: number | null, n: number): ImpactYear => ({
  year,
  value,
  change,
  familyMedianChange: median,
  familyQ1Change: q1,
  familyQ3Change: q3,
  adjustedChange: adjusted,
  familyMembersWithChange: n,
});

describe('familyAdjustedImpact: years, changes and the family', () => {
  it.each<[string, ImpactInput, Impact]>([
    [
      // Member changes 2023: 2, −1, 3, 0, 5 → sorted −1, 0, 2, 3, 5; n = 5 so h = 1, 2, 3 → Q1 0, median 2, Q3 3.
      // Member changes 2024: 5, 1, 5, 4, 3 → sorted 1, 3, 4, 5, 5 → Q1 3, median 4, Q3 5.
      // School changes 4 and 7 → adjusted 4 − 2 = 2 and 7 − 4 = 3. Member baselines 40, 48, 52, 55, 60 → Q1 48 < 50: no regression flag.
      'basic: two years after the baseline, five members',
      {
        baselineYear: 2022,
        school: s({ 2022: 50, 2023: 54, 2024: 57 }),
        family: [s({ 2022: 40, 2023: 42, 2024: 45 }), s({ 2022: 60, 2023: 59, 2024: 61 }), s({ 2022: 55, 2023: 58, 2024: 60 }), s({ 2022: 48, 2023: 48, 2024: 52 }), s({ 2022: 52, 2023: 57, 2024: 55 })],
        direction: 'higher',
      },
      { baselineYear: 2022, baselineValue: 50, years: [row(2023, 54, 4, 2, 0, 3, 2, 5), row(2024, 57, 7, 4, 3, 5, 3, 5)], flags: [], status: 'measured' },
    ],
    [
      // School: 2022 = 18 (change −2), 2023 absent (gap), 2024 = 15 (change −5), 2025 suppressed (null).
      // 2022: members a −1, d −4, e 0, f 1 (b suppressed, c has no baseline) → sorted −4, −1, 0, 1; n = 4:
      //   Q1 h = 0.75 → −4 + 0.75·3 = −1.75; median h = 1.5 → −1 + 0.5·1 = −0.5; Q3 h = 2.25 → 0 + 0.25·1 = 0.25; adjusted −2 − (−0.5) = −1.5.
      // 2023: a −2, b −1, d −3, f −1 (e absent) → sorted −3, −2, −1, −1: Q1 −3 + 0.75·1 = −2.25; median −2 + 0.5·1 = −1.5; Q3 −1.
      // 2024: a −3, b 0, d −6, e −3, f 1 → sorted −6, −3, −3, 0, 1: Q1 −3, median −3, Q3 0; adjusted −5 − (−3) = −2.
      // 2025: only the school's suppressed value → reported, all empty.
      // Lower is better: member baselines 16, 18, 22, 25, 30 → Q3 25 > 20: no regression flag.
      'gap year, suppressed values in the school and the family, a member with no baseline',
      {
        baselineYear: 2021,
        school: s({ 2021: 20, 2022: 18, 2024: 15, 2025: null }),
        family: [
          s({ 2021: 22, 2022: 21, 2023: 20, 2024: 19 }),
          s({ 2021: 18, 2022: null, 2023: 17, 2024: 18 }),
          s({ 2021: null, 2022: 25, 2023: 24, 2024: 23 }),
          s({ 2021: 30, 2022: 26, 2023: 27, 2024: 24 }),
          s({ 2021: 25, 2022: 25, 2024: 22 }),
          s({ 2021: 16, 2022: 17, 2023: 15, 2024: 17 }),
        ],
        direction: 'lower',
      },
      {
        baselineYear: 2021,
        baselineValue: 20,
        years: [row(2022, 18, -2, -0.5, -1.75, 0.25, -1.5, 4), row(2023, null, null, -1.5, -2.25, -1, null, 4), row(2024, 15, -5, -3, -3, 0, -2, 5), row(2025, null, null, null, null, null, null, 0)],
        flags: [],
        status: 'measured',
      },
    ],
    [
      // The one member's changes (1, then 5) are its median and both quartiles. Member baseline 68 < 70: no regression flag.
      'one-member family',
      { baselineYear: 2022, school: s({ 2022: 70, 2023: 72, 2024: 75 }), family: [s({ 2022: 68, 2023: 69, 2024: 73 })], direction: 'higher' },
      { baselineYear: 2022, baselineValue: 70, years: [row(2023, 72, 2, 1, 1, 1, 1, 1), row(2024, 75, 5, 5, 5, 5, 0, 1)], flags: [], status: 'measured' },
    ],
    [
      'empty family: family figures and adjusted change empty, still measured',
      { baselineYear: 2022, school: s({ 2022: 70, 2023: 72, 2024: 75 }), family: [], direction: 'higher' },
      { baselineYear: 2022, baselineValue: 70, years: [row(2023, 72, 2, null, null, null, null, 0), row(2024, 75, 5, null, null, null, null, 0)], flags: [], status: 'measured' },
    ],
    [
      // Baseline 60 from the first predecessor (not the second's 50); 2022: the school's own 64 wins over the predecessor's 99;
      // 2023: the school's value is suppressed, so the predecessor's 66. Changes 4 and 6; member changes 2 and 3.
      'predecessor data where the school lacks it; the school’s own values win',
      {
        baselineYear: 2021,
        school: s({ 2022: 64, 2023: null }),
        predecessors: [s({ 2021: 60, 2022: 99, 2023: 66 }), s({ 2021: 50, 2023: 77 })],
        family: [s({ 2021: 55, 2022: 57, 2023: 58 })],
        direction: 'higher',
      },
      { baselineYear: 2021, baselineValue: 60, years: [row(2022, 64, 4, 2, 2, 2, 2, 1), row(2023, 66, 6, 3, 3, 3, 3, 1)], flags: ['predecessor-data'], status: 'measured' },
    ],
    [
      // The first predecessor's baseline is suppressed, so the second's 75; its 2023 value (1) is not used as the school has 80.
      'predecessors in order: the first with a value',
      { baselineYear: 2022, school: s({ 2023: 80, 2024: 82 }), predecessors: [s({ 2022: null, 2023: 1 }), s({ 2022: 75 })], family: [], direction: 'higher' },
      { baselineYear: 2022, baselineValue: 75, years: [row(2023, 80, 5, null, null, null, null, 0), row(2024, 82, 7, null, null, null, null, 0)], flags: ['predecessor-data'], status: 'measured' },
    ],
    [
      // No 2022 value anywhere (the predecessor's 2021 is before the baseline and not reported). Values still listed;
      // the family's change is still shown (member: 11 − 10 = 1 in 2023, nothing in 2024).
      'no baseline at all',
      { baselineYear: 2022, school: s({ 2023: 40, 2024: 42 }), predecessors: [s({ 2021: 30 })], family: [s({ 2022: 10, 2023: 11 })], direction: 'higher' },
      { baselineYear: 2022, baselineValue: null, years: [row(2023, 40, null, 1, 1, 1, null, 1), row(2024, 42, null, null, null, null, null, 0)], flags: ['no-baseline'], status: 'no-baseline' },
    ],
    [
      'too early: one year after the baseline',
      { baselineYear: 2023, school: s({ 2023: 50, 2024: 53 }), family: [s({ 2023: 40, 2024: 41 })], direction: 'higher' },
      { baselineYear: 2023, baselineValue: 50, years: [row(2024, 53, 3, 1, 1, 1, 2, 1)], flags: ['too-early'], status: 'too-early' },
    ],
    [
      // Years given out of order, repeated and including the baseline and earlier: reported once each, after the baseline, ascending.
      'years given',
      { baselineYear: 2021, school: s({ 2020: 1, 2021: 10, 2022: 12, 2023: 15, 2024: 16 }), family: [], direction: 'higher', years: [2023, 2021, 2020, 2023, 2022] },
      { baselineYear: 2021, baselineValue: 10, years: [row(2022, 12, 2, null, null, null, null, 0), row(2023, 15, 5, null, null, null, null, 0)], flags: [], status: 'measured' },
    ],
  ])('%s', (_, input, expected) => {
    expect(familyAdjustedImpact(input)).toEqual(expected);
  });
});

describe('familyAdjustedImpact: status and flags', () => {
  // Member baselines in 2022: 40, 48, 52, 55, 60 → n = 5, Q1 (h = 1) 48, Q3 (h = 3) 55.
  const five = [s({ 2022: 40 }), s({ 2022: 60 }), s({ 2022: 55 }), s({ 2022: 48 }), s({ 2022: 52 })];
  // Member baselines 10, 20, 30, 40 → n = 4, Q1 (h = 0.75) 10 + 0.75·10 = 17.5, Q3 (h = 2.25) 30 + 0.25·10 = 32.5.
  const four = [s({ 2022: 40 }), s({ 2022: 10 }), s({ 2022: 30 }), s({ 2022: 20 })];
  const measured = (baseline: number) => s({ 2022: baseline, 2023: baseline + 1, 2024: baseline + 2 });
  const at = (baselineYear: number, school: Series, family: Series[] = [], direction: Direction = 'higher', predecessors?: Series[]): ImpactInput => ({
    baselineYear,
    school,
    family,
    direction,
    ...(predecessors ? { predecessors } : {}),
  });

  it.each<[string, ImpactInput, ImpactFlag[], Impact['status']]>([
    ['higher: below Q1 (45 < 48)', at(2022, measured(45), five, 'higher'), ['regression-to-the-mean'], 'measured'],
    ['higher: equal to Q1 (48) counts', at(2022, measured(48), five, 'higher'), ['regression-to-the-mean'], 'measured'],
    ['higher: above Q1 (49 > 48)', at(2022, measured(49), five, 'higher'), [], 'measured'],
    ['lower: above Q3 (56 > 55)', at(2022, measured(56), five, 'lower'), ['regression-to-the-mean'], 'measured'],
    ['lower: equal to Q3 (55) counts', at(2022, measured(55), five, 'lower'), ['regression-to-the-mean'], 'measured'],
    ['lower: below Q3 (54 < 55)', at(2022, measured(54), five, 'lower'), [], 'measured'],
    ['none: never, even at the bottom (30)', at(2022, measured(30), five, 'none'), [], 'measured'],
    ['none: never, even at the top (90)', at(2022, measured(90), five, 'none'), [], 'measured'],
    ['higher, interpolated Q1: equal to 17.5 counts', at(2022, measured(17.5), four, 'higher'), ['regression-to-the-mean'], 'measured'],
    ['higher, interpolated Q1: 17.6 does not', at(2022, measured(17.6), four, 'higher'), [], 'measured'],
    ['lower, interpolated Q3: equal to 32.5 counts', at(2022, measured(32.5), four, 'lower'), ['regression-to-the-mean'], 'measured'],
    ['one member with a baseline is enough (50 ≤ 60)', at(2022, measured(50), [s({ 2022: 60 }), s({ 2022: null })], 'higher'), ['regression-to-the-mean'], 'measured'],
    ['no member with a baseline: no regression flag', at(2022, measured(1), [s({ 2022: null, 2023: 5 }), s({ 2023: 6 })], 'higher'), [], 'measured'],
    ['empty family: no regression flag', at(2022, measured(1), [], 'higher'), [], 'measured'],
    ['baseline 2019', at(2019, s({ 2019: 50, 2021: 52, 2022: 53 })), ['disrupted-years'], 'measured'],
    ['baseline 2020', at(2020, s({ 2020: 50, 2021: 52, 2022: 53 })), ['disrupted-years'], 'measured'],
    ['window crosses 2019 and 2020 (2018 → 2022) with no data in them', at(2018, s({ 2018: 50, 2021: 52, 2022: 53 })), ['disrupted-years'], 'measured'],
    ['window ends in 2020 (2017 → 2020)', at(2017, s({ 2017: 50, 2018: 51, 2020: 52 })), ['disrupted-years'], 'measured'],
    ['baseline 2021: after the disruption', at(2021, s({ 2021: 50, 2022: 52, 2023: 53 })), [], 'measured'],
    ['window ends before it (2016 → 2018)', at(2016, s({ 2016: 50, 2017: 51, 2018: 52 })), [], 'measured'],
    ['too early: two years reported, one with a change', at(2022, s({ 2022: 50, 2023: null, 2024: 53 })), ['too-early'], 'too-early'],
    ['too early: nothing after the baseline', at(2022, s({ 2022: 50 })), ['too-early'], 'too-early'],
    ['no baseline: not also too early', at(2022, s({ 2023: 50, 2024: 53 })), ['no-baseline'], 'no-baseline'],
    ['no baseline, nothing at all', at(2022, s({})), ['no-baseline'], 'no-baseline'],
    ['no baseline: no regression flag', at(2022, s({ 2023: 1, 2024: 2 }), five, 'higher'), ['no-baseline'], 'no-baseline'],
    ['predecessors given but not needed: no flag', at(2022, measured(50), [], 'higher', [s({ 2022: 1, 2023: 2, 2024: 3 })]), [], 'measured'],
    ['not a finite number counts as missing', at(2022, s({ 2022: Number.NaN, 2023: 1, 2024: 2 })), ['no-baseline'], 'no-baseline'],
    // Baseline 30 from the predecessor, at or below the one member's 50; one change (2020: 40 − 30); 2019 and 2020 disrupted.
    ['all but no-baseline, in order', at(2019, s({ 2020: 40 }), [s({ 2019: 50 })], 'higher', [s({ 2019: 30 })]), ['too-early', 'predecessor-data', 'regression-to-the-mean', 'disrupted-years'], 'too-early'],
    ['no-baseline before disrupted-years', at(2019, s({ 2020: 40, 2021: 41 })), ['no-baseline', 'disrupted-years'], 'no-baseline'],
  ])('%s', (_, input, flags, status) => {
    const impact = familyAdjustedImpact(input);
    expect(impact.flags).toEqual(flags);
    expect(impact.status).toBe(status);
  });
});

describe('describeFlag', () => {
  it.each<[ImpactFlag, RegExp]>([
    ['too-early', /too early/i],
    ['regression-to-the-mean', /bottom quarter of its family.*regression to the mean/i],
    ['disrupted-years', /2019\/20 or 2020\/21/],
    ['no-baseline', /baseline year/i],
    ['predecessor-data', /before it became an academy/i],
  ])('%s', (flag, words) => {
    expect(describeFlag(flag)).toMatch(words);
  });
});

describe('rollUp', () => {
  /** An impact whose reported years have these adjusted changes (2023, 2024, …); only the adjusted change matters here. */
  const impact = (status: Impact['status'], adjusted: (number | null)[]): Impact => ({
    baselineYear: 2022,
    baselineValue: status === 'no-baseline' ? null : 50,
    years: adjusted.map((a, i) => row(2023 + i, null, null, null, null, null, a, 0)),
    flags: status === 'measured' ? [] : [status],
    status,
  });
  const item = (urn: number, direction: Direction, status: Impact['status'], adjusted: (number | null)[]): RollUpItem => ({ urn, measure: 'm', direction, impact: impact(status, adjusted) });

  it.each<[string, RollUpItem[], number, number, number, number | null]>([
    ['empty list', [], 0, 0, 0, null],
    [
      // Signed latest: A 3; B −(−4) = 4; C latest non-empty is 2 (2024), lower → −2; I 0. D too early. E, F no direction.
      // G no baseline, H no family change: neither. Sorted −2, 0, 3, 4 → median h = 1.5 → 0 + 0.5·3 = 1.5. Improved: A, B.
      'mixed directions, too early, no direction, no baseline, no family',
      [
        item(1, 'higher', 'measured', [1, 3]),
        item(2, 'lower', 'measured', [-2, -4]),
        item(3, 'lower', 'measured', [-1, 2, null]),
        item(4, 'higher', 'too-early', [7]),
        item(5, 'none', 'measured', [5, 5]),
        item(6, 'none', 'too-early', [5]),
        item(7, 'higher', 'no-baseline', [null, null]),
        item(8, 'higher', 'measured', [null, null]),
        item(9, 'higher', 'measured', [0]),
      ],
      4,
      1,
      2,
      1.5,
    ],
    ['only too early', [item(1, 'higher', 'too-early', [1]), item(2, 'lower', 'too-early', [])], 0, 2, 0, null],
    ['only no direction', [item(1, 'none', 'measured', [1, 2])], 0, 0, 0, null],
    ['one lower item, adjusted −2.5 → better by 2.5', [item(1, 'lower', 'measured', [0, -2.5])], 1, 0, 1, 2.5],
    ['one lower item, adjusted 0 → 0 (not −0), not improved', [item(1, 'lower', 'measured', [1, 0])], 1, 0, 0, 0],
    ['odd count: middle value (−1, 2, 6 → 2)', [item(1, 'higher', 'measured', [2]), item(2, 'higher', 'measured', [6]), item(3, 'lower', 'measured', [1])], 3, 0, 2, 2],
  ])('%s', (_, items, measuredCount, tooEarly, improved, median) => {
    const r = rollUp(items);
    expect({ measured: r.measured, tooEarly: r.tooEarly, improvedAgainstFamily: r.improvedAgainstFamily }).toEqual({ measured: measuredCount, tooEarly, improvedAgainstFamily: improved });
    expect(r.medianBetterThanFamily).toBe(median);
  });

  it('rolls up real impacts: higher adjusted +1 and lower adjusted −2 → better by 1 and 2, median 1.5', () => {
    const higher = familyAdjustedImpact({ baselineYear: 2022, school: s({ 2022: 50, 2023: 54, 2024: 57 }), family: [s({ 2022: 40, 2023: 42, 2024: 46 })], direction: 'higher' });
    // Member change 2024: 46 − 40 = 6; school 7 → adjusted 1.
    const lower = familyAdjustedImpact({ baselineYear: 2022, school: s({ 2022: 20, 2023: 18, 2024: 15 }), family: [s({ 2022: 22, 2023: 21, 2024: 19 })], direction: 'lower' });
    // Member change 2024: −3; school −5 → adjusted −2 → better by 2.
    const r = rollUp([
      { urn: 100001, measure: 'attainment', direction: 'higher', impact: higher },
      { urn: 100002, measure: 'absence', direction: 'lower', impact: lower },
    ]);
    expect(r).toMatchObject({ measured: 2, tooEarly: 0, improvedAgainstFamily: 2, medianBetterThanFamily: 1.5 });
  });

  it('states the rule in plain words', () => {
    const { rule } = rollUp([]);
    expect(rule).toMatch(/at least two years/);
    expect(rule).toMatch(/median change of its family of similar schools/);
    expect(rule).toMatch(/lower is better/);
    expect(rule).toMatch(/median of these/);
    expect(rule).toMatch(/too early/);
  });
});
