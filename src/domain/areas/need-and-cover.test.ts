import { describe, expect, it } from 'vitest';
import { access, areaColdSpots, cover, disadvantagedPupils, nearestSamePhaseKm, schoolColdSpots, summariseArea, type AreaSummary, type SchoolNeed } from './need-and-cover';

const school = (urn: number, o: Partial<SchoolNeed> = {}): SchoolNeed => ({
  urn,
  area: 'A',
  phase: 'primary',
  pupils: 200,
  disadvantagePct: 50,
  easting: 400_000,
  northing: 300_000,
  activeCollaborations: 0,
  structural: false,
  ...o,
});

describe('disadvantaged pupils', () => {
  it.each([
    [200, 50, 100],
    [333, 10, 33.3],
    [0, 40, 0],
    [null, 40, null],
    [200, null, null],
    [200, Number.NaN, null],
  ])('%s pupils × %s%% → %s', (p, pct, expected) => {
    const d = disadvantagedPupils(p, pct);
    if (expected === null) expect(d).toBeNull();
    else expect(d).toBeCloseTo(expected, 9);
  });
});

describe('need-weighted cover', () => {
  it.each([
    ['an empty area', [], { disadvantagedPupils: 0, disadvantagedPupilsCovered: 0, ratio: null, ratioWithStructural: null }],
    ['no disadvantaged pupils', [school(1, { disadvantagePct: 0 }), school(2, { disadvantagePct: 0, activeCollaborations: 2 })], { disadvantagedPupils: 0, disadvantagedPupilsCovered: 0, ratio: null, ratioWithStructural: null }],
    // 100 covered of 100 + 60 = 160 → 0.625; with the trust school (60) → 1
    ['one covered, one in a trust only', [school(1, { activeCollaborations: 1 }), school(2, { pupils: 300, disadvantagePct: 20, structural: true })], { disadvantagedPupils: 160, disadvantagedPupilsCovered: 100, ratio: 0.625, ratioWithStructural: 1 }],
    ['a school without figures is left out', [school(1, { activeCollaborations: 1 }), school(2, { pupils: null })], { disadvantagedPupils: 100, disadvantagedPupilsCovered: 100, ratio: 1, ratioWithStructural: 1 }],
  ])('%s', (_, schools, expected) => {
    expect(cover(schools)).toEqual(expected);
  });
});

describe('two-step floating catchment', () => {
  it('shares each offer’s places among the disadvantaged pupils in reach (hand calculation)', () => {
    // Offer X (4 places) at the origin reaches schools 1 (100 disadvantaged, 3 km) and 2 (100, exactly 10 km: on the
    // edge, in reach); school 3 (secondary, 15 km) is in reach through its 20 km catchment. R_X = 4 / 300.
    // Offer Y (2 places) 30 km away reaches nobody: R_Y = 0. School 4 has no coordinates: null.
    const schools = [
      school(1, { easting: 403_000, northing: 300_000 }),
      school(2, { easting: 410_000, northing: 300_000 }),
      school(3, { phase: 'other', easting: 400_000, northing: 315_000 }),
      school(4, { easting: null, northing: null }),
      school(5, { easting: 400_000, northing: 320_001 }), // primary, 20 km away: out of its 10 km reach
    ];
    const offers = [
      { id: 'X', easting: 400_000, northing: 300_000, capacity: 4 },
      { id: 'Y', easting: 470_000, northing: 300_000, capacity: 2 },
      { id: 'Z', easting: null, northing: null, capacity: 9 },
    ];
    const a = access(schools, offers);
    expect(a.get(1)).toBeCloseTo(4 / 300, 12);
    expect(a.get(2)).toBeCloseTo(4 / 300, 12);
    expect(a.get(3)).toBeCloseTo(4 / 300, 12);
    expect(a.get(4)).toBeNull();
    expect(a.get(5)).toBe(0);
  });

  it('gives every located school 0 when there are no offers, and handles no schools', () => {
    expect(access([school(1)], [])).toEqual(new Map([[1, 0]]));
    expect(access([], [{ id: 'X', easting: 0, northing: 0, capacity: 3 }])).toEqual(new Map());
  });
});

describe('cold spots', () => {
  const area = (code: string, share: number | null, ratio: number | null): AreaSummary => ({
    code,
    pupils: 1000,
    disadvantagedPupils: share === null ? 0 : share * 1000,
    disadvantageShare: share,
    cover: { disadvantagedPupils: share === null ? 0 : share * 1000, disadvantagedPupilsCovered: 0, ratio, ratioWithStructural: ratio },
  });

  it('rule 1: top fifth for disadvantage and bottom fifth for cover (type 7 quantiles over the areas)', () => {
    // Shares 0.1, 0.2, 0.3, 0.45, 0.5 → 80th percentile 0.45 + 0.2 × 0.05 = 0.46; covers 0.1…0.9 → 20th percentile 0.1 + 0.8 × 0.2 = 0.26.
    const areas = [area('A', 0.1, 0.9), area('B', 0.2, 0.7), area('C', 0.3, 0.5), area('D', 0.45, 0.3), area('E', 0.5, 0.1), area('F', null, null)];
    expect(areaColdSpots(areas)).toEqual(new Set(['E']));
    // D has high need but more cover than the bottom fifth.
    expect(areaColdSpots([])).toEqual(new Set());
  });

  it('rule 2: top quarter for disadvantage, no active collaboration, no offer within reach', () => {
    const schools = [
      school(1, { disadvantagePct: 10 }),
      school(2, { disadvantagePct: 20 }),
      school(3, { disadvantagePct: 30 }),
      school(4, { disadvantagePct: 40 }), // upper quartile of 10,20,30,40,50 is 40: in the top quarter
      school(5, { disadvantagePct: 50, activeCollaborations: 1 }), // collaborating: not a cold spot
      school(6, { disadvantagePct: null }),
      school(7, { disadvantagePct: 45, easting: null, northing: null }), // no coordinates: cannot be judged
    ];
    const accessByUrn = new Map<number, number | null>([[1, 0], [2, 0], [3, 0], [4, 0], [5, 0], [6, 0], [7, null]]);
    // Values 10,20,30,40,45,50 → upper quartile 43.75: only 45 (no coordinates) and 50 (collaborating) are at or above.
    expect(schoolColdSpots(schools, accessByUrn)).toEqual(new Set());
    expect(schoolColdSpots(schools.filter((s) => s.urn !== 7), accessByUrn)).toEqual(new Set([4]));
    expect(schoolColdSpots(schools.filter((s) => s.urn !== 7), new Map([...accessByUrn, [4, 0.01]]))).toEqual(new Set());
  });
});

describe('area summary and isolation', () => {
  it('summarises an area: pupils and disadvantaged pupils over schools with both figures', () => {
    expect(summariseArea('A', [school(1), school(2, { pupils: 100, disadvantagePct: 10 }), school(3, { pupils: null })])).toMatchObject({ pupils: 300, disadvantagedPupils: 110 });
    expect(summariseArea('Empty', [])).toMatchObject({ pupils: 0, disadvantagedPupils: 0, disadvantageShare: null });
  });

  it('finds the nearest school of the same phase', () => {
    const schools = [
      school(1, { easting: 0, northing: 0 }),
      school(2, { easting: 3000, northing: 4000 }),
      school(3, { easting: 100_000, northing: 0 }),
      school(4, { phase: 'other', easting: 1, northing: 1 }),
      school(5, { easting: null, northing: null }),
    ];
    const d = nearestSamePhaseKm(schools);
    expect(d.get(1)).toBe(5);
    expect(d.get(2)).toBe(5);
    expect(d.get(3)).toBeCloseTo(Math.hypot(97_000, 4000) / 1000, 9);
    expect(d.get(4)).toBeNull(); // the only secondary
    expect(d.get(5)).toBeNull();
  });
});
