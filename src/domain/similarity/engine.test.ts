import { describe, expect, it } from 'vitest';
import { allNearest, buildIndex, contributions, dedupe, distance, naiveNearest, nearest, prepare } from './engine';

const pop = (rows: [number, ...number[]][]) => ({
  urns: Int32Array.from(rows.map((r) => r[0])),
  values: Float64Array.from(rows.flatMap((r) => r.slice(1))),
  k: rows[0]!.length - 1,
});

describe('distance', () => {
  // Hand calculations.
  it.each([
    { a: [0, 0], b: [3, 4], scales: [1, 1], weights: [1, 1], d: 5 },
    { a: [0, 0], b: [3, 4], scales: [3, 4], weights: [1, 1], d: Math.SQRT2 },
    { a: [0, 0], b: [3, 4], scales: [1, 1], weights: [4, 0], d: 6 },
    { a: [10, 0], b: [20, 7], scales: [10, 0], weights: [1, 1], d: 1 }, // zero scale: the input contributes nothing
    { a: [5, 5], b: [5, 5], scales: [1, 1], weights: [1, 1], d: 0 },
  ])('d($a, $b) with s=$scales, w=$weights is $d', ({ a, b, scales, weights, d }) => {
    const p = prepare(pop([[100001, ...a] as [number, ...number[]], [100002, ...b] as [number, ...number[]]]), { scales, weights });
    expect(distance(p, 0, 1)).toBeCloseTo(d, 12);
  });

  it('refuses missing values and negative weights', () => {
    expect(() => prepare(pop([[1, Number.NaN]]), { scales: [1], weights: [1] })).toThrow(/missing value/);
    expect(() => prepare(pop([[1, 2]]), { scales: [1], weights: [-1] })).toThrow(/non-negative/);
  });
});

describe('contributions', () => {
  it('gives each input its share of the squared distance', () => {
    const p = prepare(pop([[1, 0, 0], [2, 3, 4]]), { scales: [1, 1], weights: [1, 1] });
    expect(contributions(p, 0, 1)).toEqual([9 / 25, 16 / 25]);
  });
  it('is all zero between identical schools', () => {
    const p = prepare(pop([[1, 2, 2], [2, 2, 2]]), { scales: [1, 1], weights: [1, 1] });
    expect(contributions(p, 0, 1)).toEqual([0, 0]);
  });
});

describe('nearest', () => {
  const line = pop([
    [100005, 0],
    [100004, 1],
    [100003, -1],
    [100002, 2],
    [100001, -2],
    [100006, 10],
  ]);
  const metric = { scales: [1], weights: [1] };

  it('breaks ties by URN, never includes the school itself, and sorts nearest first', () => {
    const p = prepare(line, metric);
    const found = nearest(buildIndex(p), 0, 4);
    expect(found.rows.map((r) => p.urns[r])).toEqual([100003, 100004, 100001, 100002]);
    expect(found.distances).toEqual([1, 1, 2, 2]);
  });

  it('settles a tie at the boundary by URN', () => {
    const p = prepare(line, metric);
    expect(nearest(buildIndex(p), 0, 3).rows.map((r) => p.urns[r])).toEqual([100003, 100004, 100001]);
  });

  it('returns everyone else when asked for more than there are', () => {
    const p = prepare(line, metric);
    expect(nearest(buildIndex(p), 5, 50).rows).toHaveLength(5);
  });

  it.each([
    ['one school', [[100001, 1]] as [number, ...number[]][], 0],
    ['two schools', [[100001, 1], [100002, 2]] as [number, ...number[]][], 1],
  ])('copes with a tiny population: %s', (_name, rows, expected) => {
    const p = prepare(pop(rows), metric);
    expect(nearest(buildIndex(p), 0, 50).rows).toHaveLength(expected);
  });

  it('treats a zero-range input as contributing nothing', () => {
    const p = prepare(pop([[1, 5, 0], [2, 5, 3], [3, 5, 1]]), { scales: [0, 1], weights: [1, 1] });
    expect(nearest(buildIndex(p), 0, 2).rows.map((r) => p.urns[r])).toEqual([3, 2]);
  });

  it('gives exactly the brute-force answer on random data with many ties', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const rows = Array.from({ length: 600 }, (_, i) => [100000 + ((i * 7919) % 600), Math.round(random() * 5), Math.round(random() * 3), random(), Math.round(random() * 2)] as [number, ...number[]]);
    const p = prepare(pop(rows), { scales: [2, 1, 0.5, 0], weights: [1, 2, 1, 1] });
    const index = buildIndex(p);
    for (let i = 0; i < p.n; i += 7) {
      const fast = nearest(index, i, 20);
      const slow = naiveNearest(p, i, 20);
      expect(fast.rows.map((r) => p.urns[r])).toEqual(slow.rows.map((r) => p.urns[r]));
      expect(fast.distances).toEqual(slow.distances);
    }
  });

  it('allNearest equals one nearest() per school', () => {
    const p = prepare(line, metric);
    const all = allNearest(p, 2);
    expect(Array.from(all.rows.slice(0, 2)).map((r) => p.urns[r])).toEqual([100003, 100004]);
    expect(Array.from(all.counts)).toEqual([2, 2, 2, 2, 2, 2]);
  });
});

describe('dedupe', () => {
  it('keeps the first row of a URN given twice', () => {
    expect(dedupe([100001, 100002, 100001, 100003, 100002])).toEqual({ keep: [0, 1, 3], duplicates: [100001, 100002] });
  });
});
