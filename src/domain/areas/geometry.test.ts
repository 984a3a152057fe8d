import { readFileSync } from 'node:fs';
import { geoArea } from 'd3-geo';
import type { MultiLineString } from 'geojson';
import type { Topology } from 'topojson-specification';
import { describe, expect, it } from 'vitest';
import { bngToWgs84 } from '../geo/british-national-grid';
import {
  type Area,
  type AreaValue,
  COASTAL_METRES,
  bandsOf,
  buildAreaLocator,
  buildCoastIndex,
  choroplethSvg,
  coastline,
  distanceToCoastMetres,
  englishAreas,
  isCoastal,
  locateArea,
  lonLatToBng,
} from './geometry';

/*
 * Made-up layer, in degrees:
 *   West E1 [0,1]×[0,1] and East E2 [1,2]×[0,1] share the edge x = 1; a Welsh square W1 [2,3]×[0,1] shares x = 2
 *   with East; Island E3 [5,6]×[5,6] stands alone, with a hole [5.25,5.75]². Listed out of code order on purpose.
 */
const layer: Topology = {
  type: 'Topology',
  objects: {
    data: {
      type: 'GeometryCollection',
      geometries: [
        { type: 'Polygon', arcs: [[5], [7]], properties: { AREACD: 'E3', AREANM: 'Island' } },
        { type: 'Polygon', arcs: [[2, 3, 4, ~0]], properties: { AREACD: 'E2', AREANM: 'East' } },
        { type: 'Polygon', arcs: [[1, 0]], properties: { AREACD: 'E1', AREANM: 'West' } },
        { type: 'Polygon', arcs: [[6, 3]], properties: { AREACD: 'W1', AREANM: 'Wales' } },
      ],
    },
  },
  arcs: [
    [[1, 0], [1, 1]], // 0: West | East
    [[1, 1], [0, 1], [0, 0], [1, 0]], // 1: West's own edges
    [[1, 0], [2, 0]], // 2: East bottom
    [[2, 0], [2, 1]], // 3: East | Wales
    [[2, 1], [1, 1]], // 4: East top
    [[5, 5], [5, 6], [6, 6], [6, 5], [5, 5]], // 5: Island
    [[2, 1], [3, 1], [3, 0], [2, 0]], // 6: Wales's own edges
    [[5.25, 5.25], [5.75, 5.25], [5.75, 5.75], [5.25, 5.75], [5.25, 5.25]], // 7: the hole
  ],
};

const empty: Topology = { type: 'Topology', objects: {}, arcs: [] };

const identity = (x: number, y: number): [number, number] => [x, y];

function length(lines: MultiLineString): number {
  let total = 0;
  for (const line of lines.coordinates) {
    for (let i = 1; i < line.length; i++) total += Math.hypot(line[i]![0]! - line[i - 1]![0]!, line[i]![1]! - line[i - 1]![1]!);
  }
  return total;
}

describe('englishAreas', () => {
  it('keeps the E codes, sorted by code, with names and features', () => {
    const areas = englishAreas(layer);
    expect(areas.map((a) => [a.code, a.name])).toEqual([
      ['E1', 'West'],
      ['E2', 'East'],
      ['E3', 'Island'],
    ]);
    expect(areas.every((a) => a.feature.type === 'Feature' && a.feature.properties.AREACD === a.code)).toBe(true);
  });

  it('winds rings as d3-geo expects, whatever the input winding (each area is small, not the rest of the globe)', () => {
    for (const area of englishAreas(layer)) expect(geoArea(area.feature)).toBeLessThan(0.01);
  });

  it.each([
    ['an empty topology', empty, undefined],
    ['an object that is not there', layer, 'nothing'],
  ])('gives no areas for %s', (_, topology, name) => {
    expect(englishAreas(topology, name)).toEqual([]);
  });
});

describe('locateArea', () => {
  const locator = buildAreaLocator(englishAreas(layer));

  it.each([
    ['inside West', 0.5, 0.5, 'E1'],
    ['inside East', 1.5, 0.25, 'E2'],
    ['inside the island', 5.1, 5.1, 'E3'],
    ['in the island’s hole', 5.5, 5.5, null],
    ['in Wales (not an English area)', 2.5, 0.5, null],
    ['in the sea', 10, 10, null],
    ['inside the bounding box of nothing', 4, 4, null],
    ['not a number', Number.NaN, 0.5, null],
  ])('%s', (_, lon, lat, code) => {
    expect(locateArea(locator, lon, lat)).toBe(code);
  });

  it.each([
    ['on the shared edge', 1, 0.5],
    ['on a shared corner', 1, 1],
  ])('gives a point %s to exactly one of the two areas', (_, lon, lat) => {
    const [west, east] = englishAreas(layer);
    const claims = [buildAreaLocator([west!]), buildAreaLocator([east!])].filter((l) => locateArea(l, lon, lat) !== null);
    expect(claims.length).toBeLessThanOrEqual(1);
    if (lat < 1) expect(claims).toHaveLength(1);
  });

  it('finds nothing with no areas', () => {
    expect(locateArea(buildAreaLocator([]), 0.5, 0.5)).toBeNull();
  });
});

describe('coastline', () => {
  it('keeps the edges one area uses and drops those two areas share', () => {
    const coast = coastline(layer, 'data');
    // West 3 + East 2 + Wales 3 + island 4 + hole 2; not West|East nor East|Wales.
    expect(length(coast)).toBeCloseTo(14, 9);
    const index = buildCoastIndex(coast, identity);
    expect(distanceToCoastMetres(index, 1, 0.5)).toBeCloseTo(0.5, 9);
    expect(distanceToCoastMetres(index, 2, 0.5)).toBeCloseTo(0.5, 9);
    expect(distanceToCoastMetres(index, 0, 0.5)).toBe(0);
  });

  it('is empty for an empty topology, and so is its index', () => {
    const coast = coastline(empty);
    expect(coast.coordinates).toEqual([]);
    const index = buildCoastIndex(coast);
    expect(index.count).toBe(0);
    expect(distanceToCoastMetres(index, 0, 0)).toBe(Infinity);
    expect(isCoastal(index, 0, 0)).toBe(false);
  });
});

describe('distance to the coast (metres)', () => {
  // A 10 km coast along the northing axis, and a 100 km one along the easting axis far to the south (cut into pieces).
  const index = buildCoastIndex(
    {
      type: 'MultiLineString',
      coordinates: [
        [[0, 0], [0, 10_000]],
        [[0, -500_000], [100_000, -500_000]],
      ],
    },
    identity,
  );

  it.each([
    ['exactly 5.5 km off the middle', 5_500, 5_000, 5_500, true],
    ['5.6 km off the middle', 5_600, 5_000, 5_600, false],
    ['5.5 km on the other side', -5_500, 5_000, 5_500, true],
    ['beyond the end (3-4-5 to the end point)', 3_000, 14_000, 5_000, true],
    ['on the coast', 0, 5_000, 0, true],
    ['far inland (the search widens)', 200_000, 5_000, 200_000, false],
    ['exactly 5.5 km off the middle of a 100 km segment', 50_000, -494_500, 5_500, true],
    ['5.6 km off the middle of a 100 km segment', 50_000, -505_600, 5_600, false],
  ])('%s', (_, easting, northing, metres, coastal) => {
    expect(distanceToCoastMetres(index, easting, northing)).toBeCloseTo(metres, 6);
    expect(isCoastal(index, easting, northing)).toBe(coastal);
  });

  it('agrees with a search of every segment (random coasts and points)', () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
    const lines = Array.from({ length: 40 }, () => {
      let x = random() * 300_000;
      let y = random() * 300_000;
      return Array.from({ length: 1 + Math.ceil(random() * 8) }, () => [(x += (random() - 0.5) * 30_000), (y += (random() - 0.5) * 30_000)]);
    });
    const coast = buildCoastIndex({ type: 'MultiLineString', coordinates: lines }, identity);
    const brute = (px: number, py: number): number => {
      let best = Infinity;
      for (const line of lines) {
        for (let i = 1; i < line.length; i++) {
          const [ax, ay] = line[i - 1] as [number, number];
          const [bx, by] = line[i] as [number, number];
          const len2 = (bx - ax) ** 2 + (by - ay) ** 2;
          const t = len2 === 0 ? 0 : Math.min(1, Math.max(0, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / len2));
          best = Math.min(best, Math.hypot(px - ax - t * (bx - ax), py - ay - t * (by - ay)));
        }
      }
      return best;
    };
    for (let k = 0; k < 500; k++) {
      const x = random() * 400_000 - 50_000;
      const y = random() * 400_000 - 50_000;
      const expected = brute(x, y);
      expect(distanceToCoastMetres(coast, x, y)).toBeCloseTo(expected, 3);
      expect(isCoastal(coast, x, y)).toBe(expected <= COASTAL_METRES);
    }
  });

  it('counts 5.5 km as coastal', () => {
    expect(COASTAL_METRES).toBe(5_500);
  });
});

describe('bandsOf', () => {
  it.each<[string, (number | null)[], (number | null)[], string[]]>([
    ['no values', [], [], []],
    ['only missing values', [null, null], [null, null], []],
    ['all equal: one band', [5, 5, 5], [0, 0, 0], ['5']],
    ['one to ten: two per band', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [0, 0, 1, 1, 2, 2, 3, 3, 4, 4], ['1 to 2', '3 to 4', '5 to 6', '7 to 8', '9 to 10']],
    ['missing and not-a-number values get no band', [10, null, 20, Number.NaN], [0, null, 1, null], ['10', '20']],
    ['ties share a band; empty bands dropped', [1, 1, 1, 1, 2], [0, 0, 0, 0, 1], ['1', '2']],
    ['three values: bands renumbered from 0', [3, null, 1, 2], [2, null, 0, 1], ['1', '2', '3']],
    ['decimals', [0.25, 0.75], [0, 1], ['0.3', '0.8']],
  ])('%s', (_, values, bands, labels) => {
    expect(bandsOf(values, 5)).toEqual({ bands, labels });
  });

  it('takes another number of bands and a format', () => {
    expect(bandsOf([1, 2, 3, 4], 2, (x) => `${x}%`)).toEqual({ bands: [0, 0, 1, 1], labels: ['1% to 2%', '3% to 4%'] });
    expect(bandsOf([1, 2, 3], 1)).toEqual({ bands: [0, 0, 0], labels: ['1 to 3'] });
  });
});

describe('choroplethSvg', () => {
  const areas = englishAreas(layer);
  const values = new Map<string, AreaValue>([
    ['E1', { band: 0, label: '12%' }],
    ['E2', { band: 4, label: '30% & more' }],
  ]);

  it('draws one path per area, with a title each, the highlight last and outlined, and the no-data area hatched', () => {
    const svg = choroplethSvg({ areas, values, highlight: 'E2', title: 'Absence', bandLabels: ['a', 'b', 'c', 'd', 'e'] });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(3);
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="choropleth-title choropleth-desc"');
    expect(svg).toContain('<title id="choropleth-title">Absence</title>');
    expect(svg).toContain('<title>East: 30% &amp; more</title>');
    expect(svg).toContain('<title>Island: no data</title>');
    const paths = [...svg.matchAll(/<path [^>]*>/g)].map((m) => m[0]);
    expect(paths.at(-1)).toContain('data-code="E2"');
    expect(paths.at(-1)).toContain('stroke="#0b0c0c"');
    expect(paths.find((p) => p.includes('data-code="E3"'))).toContain('url(#choropleth-nodata)');
    expect(svg.match(/<rect x="0"/g)).toHaveLength(6); // five bands and no data
    // Coordinates rounded to one decimal.
    expect(paths.every((p) => !/\d\.\d\d/.test(p))).toBe(true);
  });

  it('escapes names, labels and titles taken from data', () => {
    const hostile: Area[] = englishAreas({
      ...layer,
      objects: {
        data: {
          type: 'GeometryCollection',
          geometries: [{ type: 'Polygon', arcs: [[5]], properties: { AREACD: 'E9', AREANM: '<script>alert("x")</script>' } }],
        },
      },
    });
    const svg = choroplethSvg({
      areas: hostile,
      values: new Map([['E9', { band: 1, label: '<b>' }]]),
      title: 'A & B <i>',
      bandLabels: ['<1', '1 to 2'],
    });
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<b>');
    expect(svg).not.toContain('<i>');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(svg).toContain('&lt;1');
    expect(svg.match(/<path /g)).toHaveLength(1);
  });

  it('draws an empty map without failing', () => {
    const svg = choroplethSvg({ areas: [], values: new Map(), title: 'Nothing' });
    expect(svg).not.toContain('<path');
    expect(svg).not.toContain('NaN');
  });
});

describe('the ONS boundaries in data/geo', () => {
  const load = (name: string): Topology =>
    JSON.parse(readFileSync(new URL(`../../../data/geo/${name}.topo.json`, import.meta.url), 'utf8')) as Topology;
  const ctyua = load('ctyua-2024-buc');
  const combined = englishAreas(load('combined-authorities-2025-buc'));

  it.each([
    ['ctyua-2024-buc', 153],
    ['lad-2024-buc', 296],
    ['regions-2023-buc', 9],
    ['combined-authorities-2025-buc', 15],
  ])('%s has %i English areas', (name, count) => {
    const areas = englishAreas(load(name));
    expect(areas).toHaveLength(count);
    expect(new Set(areas.map((a) => a.code)).size).toBe(count);
  });

  it('puts a point in central Manchester in Greater Manchester (E47000001)', () => {
    expect(combined.find((a) => a.code === 'E47000001')?.name).toBe('Greater Manchester');
    const locator = buildAreaLocator(combined);
    expect(locateArea(locator, -2.2426, 53.4808)).toBe('E47000001');
    const fromGrid = bngToWgs84(383_900, 398_300)!; // Manchester Piccadilly, from the grid as GIAS gives it
    expect(locateArea(locator, fromGrid.longitude, fromGrid.latitude)).toBe('E47000001');
    expect(locateArea(locator, -1.8904, 52.4862)).toBe('E47000007'); // Birmingham: West Midlands
    expect(locateArea(locator, -0.1276, 51.5072)).toBeNull(); // London is not a combined authority
  });

  describe('coast', () => {
    const coast = buildCoastIndex(coastline(ctyua));

    it.each([
      ['Blackpool town centre', 330_900, 436_300, true],
      ['central Birmingham', 407_000, 286_900, false],
      ['Hay-on-Wye, on the England–Wales border', 322_900, 242_300, false],
      ['Carter Bar, on the England–Scotland border', 369_800, 606_800, false],
    ])('%s coastal: %s', (_, easting, northing, coastal) => {
      expect(isCoastal(coast, easting, northing)).toBe(coastal);
      expect(distanceToCoastMetres(coast, easting, northing) <= COASTAL_METRES).toBe(coastal);
    });

    it('projects to the British National Grid', () => {
      const [easting, northing] = lonLatToBng(-3.0357, 53.8175); // Blackpool
      expect(easting).toBeGreaterThan(330_000);
      expect(easting).toBeLessThan(332_000);
      expect(northing).toBeGreaterThan(435_500);
      expect(northing).toBeLessThan(437_500);
    });
  });

  it('draws the 153 local authorities', () => {
    const la = englishAreas(ctyua);
    const svg = choroplethSvg({ areas: la, values: new Map(), title: 'Local authorities' });
    expect(svg.match(/<path /g)).toHaveLength(153);
  });
});
