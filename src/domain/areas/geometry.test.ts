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
  MIN_WATER_WIDTH_METRES,
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
/** Lines already in metres, every piece kept (no river-bank rule). */
const raw = { project: identity, minWaterWidthMetres: 0 };

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
    const index = buildCoastIndex(coast, raw);
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
    raw,
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
    const coast = buildCoastIndex({ type: 'MultiLineString', coordinates: lines }, raw);
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

/*
 * Made-up layers in metres (y up; rings clockwise, land on the right).
 * River: North [-20 km, 30 km] × [150 m, 20 km] and South [-20 km, 30 km] × [-20 km, -150 m] share the border y = 0
 *   west of x = 0; between them a river 300 m wide runs from its head at x = 0 to the sea at x = 30 km.
 * Bay and spit: one area [0, 30 km] × [-20 km, 20 km] with the sea to the east, a bay 5 km wide and 10 km deep
 *   (x 20–30 km, y ±2.5 km) and a spit 300 m wide running 10 km out to sea (x 30–40 km, y -12 km to -11.7 km).
 */
const river: Topology = {
  type: 'Topology',
  objects: {
    data: {
      type: 'GeometryCollection',
      geometries: [
        { type: 'Polygon', arcs: [[1, ~0]], properties: { AREACD: 'E1', AREANM: 'North' } },
        { type: 'Polygon', arcs: [[0, 2]], properties: { AREACD: 'E2', AREANM: 'South' } },
      ],
    },
  },
  arcs: [
    [[-20_000, 0], [0, 0]], // 0: North | South
    [[-20_000, 0], [-20_000, 20_000], [30_000, 20_000], [30_000, 150], [0, 150], [0, 0]], // 1: North's own edges
    [[0, 0], [0, -150], [30_000, -150], [30_000, -20_000], [-20_000, -20_000], [-20_000, 0]], // 2: South's own edges
  ],
};

const bayAndSpit: Topology = {
  type: 'Topology',
  objects: { data: { type: 'GeometryCollection', geometries: [{ type: 'Polygon', arcs: [[0]], properties: { AREACD: 'E1', AREANM: 'Land' } }] } },
  arcs: [
    [
      [0, -20_000], [0, 20_000], [30_000, 20_000], [30_000, 2_500], [20_000, 2_500], [20_000, -2_500], [30_000, -2_500],
      [30_000, -11_700], [40_000, -11_700], [40_000, -12_000], [30_000, -12_000], [30_000, -20_000], [0, -20_000],
    ],
  ],
};

describe('river banks are not coast (water narrower than MIN_WATER_WIDTH_METRES)', () => {
  const reversed = (t: Topology): Topology => ({ ...t, arcs: t.arcs.map((arc) => [...arc].reverse()) }); // land on the left

  it('takes 1 km as the narrowest sea', () => {
    expect(MIN_WATER_WIDTH_METRES).toBe(1_000);
  });

  it.each<[string, Topology, number, number, boolean, boolean]>([
    // name, layer, easting, northing, coastal with the rule, coastal with every piece kept
    ['the bank of the 300 m river, 850 m from it', river, 10_000, 1_000, false, true],
    ['the other bank', river, 10_000, -1_000, false, true],
    ['the river’s head (it ends at x = 0)', river, -500, 500, false, true],
    ['1 km from the open sea edge', river, 29_000, 10_000, true, true],
    ['at the river mouth, 1 km in from the sea edge', river, 29_000, 1_000, true, true],
    ['4 km from the head of the 5 km wide bay', bayAndSpit, 16_000, 0, true, true],
    ['4.5 km from a side of the bay', bayAndSpit, 22_000, 7_000, true, true],
    ['5.2 km off the spit’s north shore (300 m of land from its south shore)', bayAndSpit, 38_000, -6_500, true, true],
    ['5.3 km off the spit’s south shore', bayAndSpit, 38_000, -17_300, true, true],
    ['5 km off the spit’s tip', bayAndSpit, 45_000, -11_850, true, true],
  ])('%s', (_, layer, easting, northing, coastal, coastalUnfiltered) => {
    for (const t of [layer, reversed(layer)]) {
      const lines = coastline(t);
      const index = buildCoastIndex(lines, { project: identity });
      expect(isCoastal(index, easting, northing)).toBe(coastal);
      expect(distanceToCoastMetres(index, easting, northing) <= COASTAL_METRES).toBe(coastal);
      expect(isCoastal(buildCoastIndex(lines, raw), easting, northing)).toBe(coastalUnfiltered);
    }
  });

  it('drops both banks of the river and its head, and nothing of the bay or the spit', () => {
    const banks = buildCoastIndex(coastline(river), { project: identity });
    const all = buildCoastIndex(coastline(river), raw);
    // Each bank is 15 pieces of 2 km; the head is two pieces of 150 m (kept by the rule itself, as the way round from
    // one to the other is short, then dropped as a stretch under 1 km between river banks).
    expect(banks.riverBankPieces).toBe(32);
    expect(banks.count).toBe(all.count - 32);
    expect(buildCoastIndex(coastline(bayAndSpit), { project: identity }).riverBankPieces).toBe(0);
  });

  it('keeps every piece with the rule turned off', () => {
    expect(buildCoastIndex(coastline(river), raw).riverBankPieces).toBe(0);
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
      // Checked with bngToWgs84: each point is where its name says.
      ['Tower Bridge (the generalised tidal Thames ends here)', 533_600, 180_300, false],
      ['Islington', 531_000, 184_000, false],
      ['Lambeth', 530_700, 177_500, false],
      ['Blackpool town centre', 330_900, 436_300, true],
      ['Hull, on the Humber (2 to 3 km wide)', 509_000, 428_800, true],
      ['Southend-on-Sea', 588_500, 185_600, true],
      ['Liverpool Pier Head, on the Mersey (about 1 km wide)', 333_800, 390_300, true],
      ['Great Yarmouth', 652_500, 307_500, true],
      ['Plymouth', 247_700, 54_400, true],
      ['central Birmingham', 407_000, 286_900, false],
      ['Hay-on-Wye, on the England–Wales border', 322_900, 242_300, false],
      ['Carter Bar, on the England–Scotland border', 369_800, 606_800, false],
    ])('%s coastal: %s', (_, easting, northing, coastal) => {
      expect(isCoastal(coast, easting, northing)).toBe(coastal);
      expect(distanceToCoastMetres(coast, easting, northing) <= COASTAL_METRES).toBe(coastal);
    });

    it('drops the banks of the tidal Thames through London (every piece kept, Tower Bridge is on the coast)', () => {
      const all = buildCoastIndex(coastline(ctyua), { minWaterWidthMetres: 0 });
      expect(distanceToCoastMetres(all, 533_600, 180_300)).toBeLessThan(100);
      expect(distanceToCoastMetres(coast, 533_600, 180_300)).toBeGreaterThan(20_000);
      expect(coast.riverBankPieces).toBeGreaterThan(0);
      expect(coast.count + coast.riverBankPieces).toBe(all.count);
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
