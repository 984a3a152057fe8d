import { describe, expect, it } from 'vitest';
import { belowFamilyQuartile, computeAreaView, isRural, summariseGroup, type AreaRef, type AreaSchoolInput } from './area-view';
import { canonicalCode, codeKind, REGION_BY_GIAS_LETTER } from './codes';

const school = (urn: number, la: string, o: Partial<AreaSchoolInput> = {}): AreaSchoolInput => ({
  urn,
  name: `School ${urn}`,
  areas: { la, region: 'R' },
  phase: 'primary',
  pupils: 100,
  disadvantagePct: 20,
  disadvantageSource: 'fsm',
  easting: 400_000 + urn * 1_000,
  northing: 300_000,
  activeCollaborations: 0,
  structural: false,
  rural: false,
  coastal: false,
  absence: 5,
  persistentAbsence: 15,
  belowFamily: [],
  ...o,
});

const la = (code: string): AreaRef => ({ code, name: `Area ${code}`, level: 'la' });

describe('computeAreaView: rule 1 (areas) on a made-up country of five authorities', () => {
  // Disadvantage shares: A 20%, B 30%, C 40%, D 50%, E 60% (one school each, 100 pupils).
  // Cover ratios: A 1, B 1, C 1, D 1, E 0 (only E's school has no active collaboration).
  // 80th percentile of shares (type 7): h = 4 × 0.8 = 3.2 → 50 + 0.2 × 10 = 52% → only E is in the top fifth.
  // 20th percentile of cover: h = 0.8 → 0 + 0.8 × (1 − 0) = 0.8 → E (0) is in the bottom fifth. E is the cold spot.
  const schools = [
    school(1, 'A', { disadvantagePct: 20, activeCollaborations: 1 }),
    school(2, 'B', { disadvantagePct: 30, activeCollaborations: 2 }),
    school(3, 'C', { disadvantagePct: 40, activeCollaborations: 1 }),
    school(4, 'D', { disadvantagePct: 50, activeCollaborations: 1 }),
    school(5, 'E', { disadvantagePct: 60, activeCollaborations: 0 }),
  ];
  const view = computeAreaView(schools, [], [la('A'), la('B'), la('C'), la('D'), la('E'), la('EMPTY'), { code: 'R', name: 'Region', level: 'region' }]);

  it('finds E and only E', () => {
    expect([...view.areas.values()].filter((a) => a.coldSpot).map((a) => a.code)).toEqual(['E']);
  });

  it('states the thresholds it used', () => {
    expect(view.thresholds.areas.la!.needCut).toBeCloseTo(0.52, 9);
    expect(view.thresholds.areas.la!.coverCut).toBeCloseTo(0.8, 9);
    expect(view.thresholds.areas.la!.areasJudged).toBe(5);
  });

  it('keeps an empty area with empty figures and never calls it a cold spot', () => {
    const empty = view.areas.get('la:EMPTY')!;
    expect(empty.schools).toBe(0);
    expect(empty.summary.cover.ratio).toBeNull();
    expect(empty.summary.disadvantageShare).toBeNull();
    expect(empty.coldSpot).toBe(false);
  });

  it('a level with fewer than five areas to compare has no rule-1 cold spots (no fifths to speak of)', () => {
    const region = view.areas.get('region:R')!;
    // Share (20+30+40+50+60) / 500 = 40%; cover (20+30+40+50) / 200 = 0.7: figures shown, no judgement.
    expect(region.summary.disadvantageShare).toBeCloseTo(0.4, 9);
    expect(region.summary.cover.ratio).toBeCloseTo(0.7, 9);
    expect(region.schools).toBe(5);
    expect(region.schoolsCovered).toBe(4);
    expect(region.coldSpot).toBe(false);
    expect(view.thresholds.areas.region).toBeUndefined();
  });
});

describe('computeAreaView: rule 2 (schools) and the edge cases', () => {
  it.each<[string, AreaSchoolInput[], { id: string; easting: number | null; northing: number | null; capacity: number }[], number[]]>([
    ['no schools', [], [], []],
    // Upper quartile of 10, 20, 30, 40: h = 2.25 → 32.5: school 4 (40%) is in the top quarter, alone, no offer.
    ['the most disadvantaged school without collaboration or offer', [10, 20, 30, 40].map((p, i) => school(i + 1, 'A', { disadvantagePct: p })), [], [4]],
    ['an active collaboration takes it out', [10, 20, 30, 40].map((p, i) => school(i + 1, 'A', { disadvantagePct: p, activeCollaborations: i === 3 ? 1 : 0 })), [], []],
    ['an offer within 10 km takes it out', [10, 20, 30, 40].map((p, i) => school(i + 1, 'A', { disadvantagePct: p })), [{ id: 'o', easting: 404_000, northing: 309_000, capacity: 1 }], []],
    ['an offer 10.1 km away does not', [10, 20, 30, 40].map((p, i) => school(i + 1, 'A', { disadvantagePct: p })), [{ id: 'o', easting: 404_000, northing: 310_100, capacity: 1 }], [4]],
    ['a school with no coordinates cannot be judged', [10, 20, 30, 40].map((p, i) => school(i + 1, 'A', { disadvantagePct: p, ...(i === 3 ? { easting: null, northing: null } : {}) })), [], []],
    ['no disadvantaged pupils anywhere: ties at 0 are all in the top quarter', [0, 0, 0].map((p, i) => school(i + 1, 'A', { disadvantagePct: p })), [], [1, 2, 3]],
    ['a school without a disadvantage figure is not judged', [school(1, 'A', { disadvantagePct: null, disadvantageSource: null }), school(2, 'A', { disadvantagePct: 30 })], [], [2]],
  ])('%s', (_, schools, offers, expected) => {
    const view = computeAreaView(schools, offers, [la('A')]);
    expect([...view.schools.values()].filter((s) => s.coldSpot).map((s) => s.urn)).toEqual(expected);
  });

  it('a school on a boundary belongs to the one area it was assigned, and an area with no disadvantaged pupils is not judged', () => {
    const schools = [school(1, 'A', { disadvantagePct: 0 }), school(2, 'B', { disadvantagePct: 30 })];
    const view = computeAreaView(schools, [], [la('A'), la('B')]);
    expect(view.areas.get('la:A')!.schools).toBe(1);
    expect(view.areas.get('la:B')!.schools).toBe(1);
    expect(view.areas.get('la:A')!.summary.cover.ratio).toBeNull();
    expect(view.areas.get('la:A')!.coldSpot).toBe(false);
  });
});

describe('summariseGroup (a trust: the same figures, never judged by rule 1)', () => {
  it('weights absence by pupils and counts shares over the schools with the indicator', () => {
    const schools = [
      school(1, 'A', { pupils: 100, absence: 4, persistentAbsence: 10, rural: true, coastal: null, belowFamily: ['absence.overall'] }),
      school(2, 'A', { pupils: 300, absence: 8, persistentAbsence: 20, rural: false, coastal: true, belowFamily: null }),
      school(3, 'A', { pupils: null, absence: 50, rural: null, coastal: false, belowFamily: [] }),
    ];
    const g = summariseGroup({ code: 'T', name: 'Trust', level: 'la' }, schools, new Map());
    expect(g.absence).toBeCloseTo((4 * 100 + 8 * 300) / 400, 9); // 7: school 3 has no pupil count
    expect(g.persistentAbsence).toBeCloseTo((10 * 100 + 20 * 300) / 400, 9); // 17.5
    expect(g.ruralShare).toBe(0.5);
    expect(g.coastalShare).toBe(0.5);
    expect(g.belowFamilyShare).toBe(0.5);
    expect(g.coldSpot).toBe(false);
  });
});

describe('belowFamilyQuartile', () => {
  it.each<[number | null, (number | null)[], 'higher' | 'lower' | 'none', boolean | null]>([
    // Members 1, 2, 3, 4, 5: q1 = 2, q3 = 4.
    [1.9, [1, 2, 3, 4, 5], 'higher', true],
    [2, [1, 2, 3, 4, 5], 'higher', false], // at the quartile is not below it
    [4.1, [1, 2, 3, 4, 5], 'lower', true],
    [4, [1, 2, 3, 4, 5], 'lower', false],
    [1, [1, 2, 3, null], 'higher', null], // three members with a value: too few
    [null, [1, 2, 3, 4], 'higher', null],
    [1, [1, 2, 3, 4], 'none', null],
    [5, [5, 5, 5, 5], 'lower', false], // zero range
  ])('%s among %j (%s is better) → %s', (value, members, direction, expected) => {
    expect(belowFamilyQuartile(value, members, direction)).toBe(expected);
  });
});

describe('isRural (GIAS urban/rural class)', () => {
  it.each([
    ['Urban: Nearer to a major town or city', false],
    ['Larger rural: Further from a major town or city', true],
    ['Smaller rural: Nearer to a major town or city', true],
    ['Rural town and fringe', true],
    ['(England/Wales) Rural village in a sparse setting', true], // the census's spelling
    ['(England/Wales) Urban city and town', false],
    ['(pseudo) Channel Islands/Isle of Man', null],
    ['', null],
    [null, null],
  ])('%s → %s', (name, expected) => {
    expect(isRural(name)).toBe(expected);
  });
});

describe('area codes', () => {
  it.each([
    ['E09000007', 'gss'],
    ['E08000038', 'gss'],
    ['202', 'dfe-la'],
    ['H', 'gias-region'],
    ['Z', 'invalid'],
    ['camden', 'invalid'],
    ['E0900000', 'invalid'],
    ['2020', 'invalid'],
  ] as const)('%s is %s', (code, kind) => {
    expect(codeKind(code)).toBe(kind);
  });

  it.each([
    ['E08000016', 'E08000038'], // Barnsley: the boundary file's older code leads to GIAS's current one
    ['E08000019', 'E08000039'], // Sheffield
    ['E08000038', 'E08000038'],
    ['E09000007', 'E09000007'],
  ])('%s → %s', (code, expected) => {
    expect(canonicalCode(code)).toBe(expected);
  });

  it('maps every GIAS region letter to a different ONS region', () => {
    expect(new Set(Object.values(REGION_BY_GIAS_LETTER)).size).toBe(9);
    expect(REGION_BY_GIAS_LETTER.H).toBe('E12000007');
  });
});
