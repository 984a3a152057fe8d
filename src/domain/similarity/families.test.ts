import { describe, expect, it } from 'vitest';
import { explainSimilarity } from './explain';
import { customFamily, fbitFamilies, fbitSelect, population, ranges, type SchoolInputs } from './families';
import { INPUTS, PRESET_MODELS } from './models';

const school = (urn: number, values: Record<string, number | null>, region: string | null = 'H', phase = 'Secondary'): SchoolInputs => ({ urn, values, region, phase });

describe('population', () => {
  it('keeps schools with every input, reports the others with what they lack, and drops duplicate URNs', () => {
    const result = population(
      [school(1, { a: 1, b: 2 }), school(2, { a: 1, b: null }), school(1, { a: 9, b: 9 }), school(3, { a: 3 })],
      ['a', 'b'],
    );
    expect(result.members.map((s) => s.urn)).toEqual([1]);
    expect(result.excluded).toEqual([
      { urn: 2, missing: ['b'] },
      { urn: 3, missing: ['b'] },
    ]);
    expect(result.duplicates).toEqual([1]);
  });
});

describe('ranges', () => {
  it.each([
    [[1, 5, 3], 4],
    [[2, 2, 2], 0],
    [[7], 0],
  ])('range of %j is %i', (values, expected) => {
    expect(ranges(values.map((v, i) => school(i, { x: v })), ['x'])).toEqual([expected]);
  });
});

describe('fbitSelect', () => {
  const c = (urn: number, region: string | null) => ({ urn, region });
  it.each([
    ['same region first, in distance order, then the rest', [c(1, 'A'), c(2, 'B'), c(3, 'A'), c(4, 'B')], 'B', 4, [2, 4, 1]],
    ['stops at the set size minus the school itself', [c(1, 'B'), c(2, 'B'), c(3, 'B')], 'B', 3, [1, 2]],
    ['no school twice', [c(1, 'A'), c(1, 'A'), c(2, 'A')], 'A', 30, [1, 2]],
    ['a school with no region takes candidates in distance order', [c(1, 'A'), c(2, 'B')], null, 30, [1, 2]],
    ['fewer candidates than places', [c(1, 'A')], 'A', 30, [1]],
  ] as const)('%s', (_name, candidates, region, size, expected) => {
    expect(fbitSelect(candidates, region, size)).toEqual(expected);
  });
});

describe('fbitFamilies', () => {
  const model = PRESET_MODELS['fbit-pupil'];
  const schools = Array.from({ length: 80 }, (_, i) =>
    school(100000 + i, { NumberOfPupils: 500 + i * 10, PPPerc: 20 + (i % 7), SENTotal: 10 + (i % 3) }, i % 4 === 0 ? 'H' : 'J', i < 70 ? 'Secondary' : 'Primary'),
  );

  it('gives 29 comparators (30 with the school), no duplicates, not the school itself, same region first', () => {
    const result = fbitFamilies(model, schools);
    const family = result.families.get(100000)!;
    expect(family).toHaveLength(29);
    expect(new Set(family.map((m) => m.urn)).size).toBe(29);
    expect(family.some((m) => m.urn === 100000)).toBe(false);
    const regions = family.map((m) => schools.find((s) => s.urn === m.urn)!.region);
    const firstOther = regions.indexOf('J');
    expect(regions.slice(0, firstOther).every((r) => r === 'H')).toBe(true);
    expect(regions.slice(firstOther).every((r) => r === 'J')).toBe(true);
  });

  it('stays within the phase group, and is the same set for the same inputs', () => {
    const a = fbitFamilies(model, schools);
    const b = fbitFamilies(model, [...schools].reverse());
    expect(a.families.get(100075)!.every((m) => m.urn >= 100070)).toBe(true);
    expect(a.families.get(100075)).toHaveLength(9);
    expect(b.families.get(100010)!.map((m) => m.urn)).toEqual(a.families.get(100010)!.map((m) => m.urn));
  });
});

describe('customFamily', () => {
  const schools = [
    school(1, { PPPerc: 10, NumberOfPupils: 100 }),
    school(2, { PPPerc: 12, NumberOfPupils: 900 }),
    school(3, { PPPerc: 40, NumberOfPupils: 110 }),
    school(4, { PPPerc: null, NumberOfPupils: 120 }, 'J', 'Primary'),
  ];

  it('z-scores the inputs and applies the weights', () => {
    const bySize = customFamily({ inputs: ['PPPerc', 'NumberOfPupils'], weights: [0, 1], size: 2, samePhase: false, sameRegion: false }, schools, 1)!;
    expect(bySize.members.map((m) => m.urn)).toEqual([3, 4]);
    const byDisadvantage = customFamily({ inputs: ['PPPerc', 'NumberOfPupils'], weights: [1, 0], size: 1, samePhase: false, sameRegion: false }, schools, 1)!;
    expect(byDisadvantage.members.map((m) => m.urn)).toEqual([2]);
  });

  it('fills a missing input with the population median and reports it', () => {
    const result = customFamily({ inputs: ['PPPerc', 'NumberOfPupils'], weights: [1, 1], size: 3, samePhase: false, sameRegion: false }, schools, 1)!;
    expect(result.filled.get(4)).toEqual(['PPPerc']);
    expect(result.medians[0]).toBe(12);
  });

  it('can keep to the same phase or region', () => {
    const result = customFamily({ inputs: ['NumberOfPupils'], weights: [1], size: 5, samePhase: true, sameRegion: false }, schools, 1)!;
    expect(result.members.map((m) => m.urn).sort()).toEqual([2, 3]);
  });

  it('returns null for a school not in the data', () => {
    expect(customFamily({ inputs: ['NumberOfPupils'], weights: [1], size: 5, samePhase: false, sameRegion: false }, schools, 999)).toBeNull();
  });
});

describe('explainSimilarity', () => {
  const pp = INPUTS.PPPerc!;
  const size = INPUTS.NumberOfPupils!;
  const prior = INPUTS.KS2MRP!;
  it.each([
    [
      'very similar on two, much larger on size',
      [
        { input: pp, school: 30, member: 30.5, scale: 40, share: 0.01 },
        { input: prior, school: 104, member: 104.1, scale: 3.75, share: 0.02 },
        { input: size, school: 900, member: 2100, scale: 2624, share: 0.97 },
      ],
      'Very similar disadvantage and prior attainment; much larger.',
    ],
    [
      'similar and less',
      [
        { input: pp, school: 30, member: 34, scale: 40, share: 0.3 },
        { input: size, school: 900, member: 500, scale: 2624, share: 0.7 },
      ],
      'Similar disadvantage; smaller.',
    ],
    ['a zero scale is left out', [{ input: pp, school: 1, member: 50, scale: 0, share: 0 }], 'No inputs distinguish these schools.'],
  ])('%s', (_name, comparisons, sentence) => {
    expect(explainSimilarity(comparisons)).toBe(sentence);
  });
});
