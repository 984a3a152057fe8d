import { geoPath, geoTransverseMercator } from 'd3-geo';
import type { Feature, FeatureCollection, GeoJsonProperties, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import KDBush from 'kdbush';
import proj4 from 'proj4';
import { feature, mesh } from 'topojson-client';
import type { GeometryObject, Topology } from 'topojson-specification';
import { quantile } from '../statistics/data-pack';

/**
 * Geography for the area view (issue 9). Pure functions over parsed TopoJSON (the ONS ultra-generalised boundaries in
 * data/geo): the English areas of a layer, which area holds a point, the coastline and distance to it in metres on the
 * British National Grid, quintile bands and a server-rendered choropleth SVG. No file system: the caller parses.
 */

export type AreaGeometry = Polygon | MultiPolygon;

export interface AreaProperties {
  AREACD: string;
  AREANM: string;
  [key: string]: unknown;
}

export interface Area {
  /** GSS code, e.g. E06000009. */
  code: string;
  name: string;
  /** Rings wound as d3-geo expects (exterior clockwise in longitude/latitude), so the feature draws and fits correctly. */
  feature: Feature<AreaGeometry, AreaProperties>;
}

// --- areas -----------------------------------------------------------------------------------------------------------

/** The object to read: the named one, else the topology's first (the ONS files have one, `data`). */
function objectOf(topology: Topology, objectName?: string): GeometryObject<GeoJsonProperties> | undefined {
  if (objectName !== undefined) return topology.objects[objectName];
  const first = Object.keys(topology.objects)[0];
  return first === undefined ? undefined : topology.objects[first];
}

/** The features of a layer whose `AREACD` starts with `E` (England), sorted by code. Empty when there is no such object. */
export function englishAreas(topology: Topology, objectName?: string): Area[] {
  const object = objectOf(topology, objectName);
  if (!object) return [];
  const converted = feature(topology, object) as Feature | FeatureCollection;
  const features = converted.type === 'FeatureCollection' ? converted.features : [converted];
  const areas: Area[] = [];
  for (const f of features) {
    const code = f.properties?.AREACD;
    const name = f.properties?.AREANM;
    if (typeof code !== 'string' || !code.startsWith('E')) continue;
    const geometry = f.geometry;
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) continue;
    const properties: AreaProperties = { ...f.properties, AREACD: code, AREANM: typeof name === 'string' ? name : code };
    areas.push({ code, name: properties.AREANM, feature: { type: 'Feature', properties, geometry: rewind(geometry) } });
  }
  return areas.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** Twice the planar signed area of a ring in longitude/latitude (positive = anticlockwise). */
function signedArea(ring: readonly Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  }
  return sum;
}

/** Exterior rings clockwise, holes anticlockwise: d3-geo's spherical convention (GeoJSON RFC 7946 is the opposite). */
function rewind(geometry: AreaGeometry): AreaGeometry {
  const polygon = (rings: Position[][]): Position[][] =>
    rings.map((ring, i) => {
      const clockwise = signedArea(ring) < 0;
      return (i === 0) === clockwise ? ring : [...ring].reverse();
    });
  return geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: polygon(geometry.coordinates) }
    : { type: 'MultiPolygon', coordinates: geometry.coordinates.map(polygon) };
}

// --- which area holds a point ----------------------------------------------------------------------------------------

interface IndexedArea {
  code: string;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  /** Polygons as flat rings: [x0, y0, x1, y1, …] per ring. */
  polygons: Float64Array[][];
}

export interface AreaLocator {
  readonly areas: readonly IndexedArea[];
}

/** Builds the point-in-area index once: each area's bounding box and its rings as flat arrays. */
export function buildAreaLocator(areas: readonly Area[]): AreaLocator {
  const indexed: IndexedArea[] = [];
  for (const area of areas) {
    const g = area.feature.geometry;
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    const polygons = polys.map((rings) =>
      rings.map((ring) => {
        const flat = new Float64Array(ring.length * 2);
        ring.forEach((p, i) => {
          const x = p[0]!;
          const y = p[1]!;
          flat[2 * i] = x;
          flat[2 * i + 1] = y;
          if (x < minX) minX = x;
          if (x > maxX) maxX = x;
          if (y < minY) minY = y;
          if (y > maxY) maxY = y;
        });
        return flat;
      }),
    );
    if (minX <= maxX) indexed.push({ code: area.code, minX, minY, maxX, maxY, polygons });
  }
  return { areas: indexed };
}

/** Even-odd crossing test (PNPOLY). Half-open on edges, so areas that share an edge never both claim a point on it. */
function ringContains(ring: Float64Array, x: number, y: number): boolean {
  let inside = false;
  const n = ring.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = ring[2 * i]!;
    const yi = ring[2 * i + 1]!;
    const xj = ring[2 * j]!;
    const yj = ring[2 * j + 1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * The code of the area that contains the point (WGS84 longitude, latitude), or null. Planar test in degrees: the
 * boundaries are generalised to 500 m, next to which the difference from great-circle edges (metres) is nothing. A
 * point on an edge shared by two areas goes to exactly one of them.
 */
export function locateArea(index: AreaLocator, lon: number, lat: number): string | null {
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return null;
  for (const a of index.areas) {
    if (lon < a.minX || lon > a.maxX || lat < a.minY || lat > a.maxY) continue;
    for (const rings of a.polygons) {
      let inside = false;
      for (const ring of rings) if (ringContains(ring, lon, lat)) inside = !inside;
      if (inside) return a.code;
    }
  }
  return null;
}

// --- coast ------------------------------------------------------------------------------------------------------------

/** Within this distance of the coast a school is coastal (5.5 km, the published research definition for coastal schools). */
export const COASTAL_METRES = 5_500;

/**
 * The coastline of a layer: the arcs that only one geometry uses (topojson `mesh` with `a === b`). Edges two areas share
 * are borders, not coast; the upper-tier file covers the whole UK, so the borders with Wales and Scotland are not coast.
 */
export function coastline(topology: Topology, objectName?: string): MultiLineString {
  const object = objectOf(topology, objectName);
  if (!object) return { type: 'MultiLineString', coordinates: [] };
  return mesh(topology, object as GeometryObject, (a, b) => a === b);
}

/** EPSG:27700, as in src/domain/geo/british-national-grid.ts (same Helmert transformation). */
const BNG =
  '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy ' +
  '+towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs';
const wgs84ToBng = proj4('WGS84', BNG);

/** WGS84 longitude/latitude to British National Grid easting/northing in metres. */
export function lonLatToBng(lon: number, lat: number): [number, number] {
  return wgs84ToBng.forward([lon, lat]) as [number, number];
}

/** Long coast segments are cut into pieces no longer than this before indexing their midpoints. */
const PIECE_METRES = 2_000;

/**
 * Water narrower than this is a river, not the sea: a coast piece facing another piece of coast across less than 1 km
 * of water is a river bank and is dropped (see `riverBanks`). The ONS boundaries follow mean high water up every tidal
 * river, so without this the banks of the Thames through central London count as coast. 1 km sits between the water
 * to drop and the water to keep: the Thames is about 250 m wide at Tower Bridge and about 800 m at Gravesend (dropped),
 * while the Mersey at Liverpool (about 1 km) and the Humber at Hull (2 to 3 km) are estuaries that the coastal-schools
 * research counts as coast (kept: in the 500 m generalised boundaries both stand at least 1 km wide there).
 */
export const MIN_WATER_WIDTH_METRES = 1_000;

/**
 * Two points of one line are the same shore, not opposite banks, when the way along the line from one to the other is
 * at most this many times the straight gap between them: the two sides of a bay, a corner or a short cove (the sides of
 * a V-shaped inlet are opposite banks when it is narrower than about 39°, where the ratio passes 3).
 */
const SAME_SHORE_RATIO = 3;

/** A line whose ends are this close is a loop (the mesh leaves Great Britain's coast a few metres short of closing). */
const LOOP_GAP_METRES = PIECE_METRES;

export interface CoastIndex {
  /** Pieces as [ax, ay, bx, by] in metres. */
  readonly segments: Float64Array;
  readonly count: number;
  /** Pieces dropped as river banks (not in `segments`). */
  readonly riverBankPieces: number;
  /** Longest half-piece: a piece within r of a point has its midpoint within r + halfPiece. */
  readonly halfPiece: number;
  readonly tree: KDBush | null;
}

export interface CoastIndexOptions {
  /** Longitude/latitude to metres; the British National Grid by default. Pass the identity for lines already in metres. */
  project?: (lon: number, lat: number) => [number, number];
  /** Drop the banks of water narrower than this (metres); MIN_WATER_WIDTH_METRES by default, 0 keeps every piece. */
  minWaterWidthMetres?: number;
}

/** The pieces of a coastline in metres, with where each lies along its line and which side of it is land. */
interface Pieces {
  /** [ax, ay, bx, by] per piece. */
  segments: Float64Array;
  /** Per piece: its line. */
  line: Int32Array;
  /** Per piece: distance along its line to the piece's midpoint. */
  along: Float64Array;
  /** Per line: its length, whether it is a loop, and +1 when land is on the right of its direction, -1 on the left. */
  lineLength: number[];
  loop: boolean[];
  landSide: number[];
  halfPiece: number;
}

function cutIntoPieces(lines: MultiLineString, project: (lon: number, lat: number) => [number, number]): Pieces {
  const segments: number[] = [];
  const line: number[] = [];
  const along: number[] = [];
  const lineLength: number[] = [];
  const loop: boolean[] = [];
  const landSide: number[] = [];
  let halfPiece = 0;
  lines.coordinates.forEach((coordinates, l) => {
    const points = coordinates.map((p) => project(p[0]!, p[1]!));
    let s = 0;
    let twiceArea = 0; // anticlockwise positive, closing the line with a chord
    for (let i = 1; i < points.length; i++) {
      const [ax, ay] = points[i - 1]!;
      const [bx, by] = points[i]!;
      twiceArea += ax * by - bx * ay;
      const length = Math.hypot(bx - ax, by - ay);
      const n = Math.max(1, Math.ceil(length / PIECE_METRES));
      for (let k = 0; k < n; k++) {
        segments.push(ax + ((bx - ax) * k) / n, ay + ((by - ay) * k) / n, ax + ((bx - ax) * (k + 1)) / n, ay + ((by - ay) * (k + 1)) / n);
        line.push(l);
        along.push(s + (length * (k + 0.5)) / n);
      }
      s += length;
      halfPiece = Math.max(halfPiece, length / n / 2);
    }
    const first = points[0];
    const last = points[points.length - 1];
    if (first && last) twiceArea += last[0] * first[1] - first[0] * last[1];
    lineLength.push(s);
    loop.push(!!first && !!last && Math.hypot(last[0] - first[0], last[1] - first[1]) <= LOOP_GAP_METRES);
    // Every coast line goes round land (Great Britain, an island): clockwise puts the land on the right.
    landSide.push(twiceArea < 0 ? 1 : -1);
  });
  return {
    segments: Float64Array.from(segments),
    line: Int32Array.from(line),
    along: Float64Array.from(along),
    lineLength,
    loop,
    landSide,
    halfPiece,
  };
}

function midpointTree(segments: Float64Array, ids: readonly number[]): KDBush {
  const tree = new KDBush(ids.length, 16, Float64Array);
  for (const i of ids) tree.add((segments[4 * i]! + segments[4 * i + 2]!) / 2, (segments[4 * i + 1]! + segments[4 * i + 3]!) / 2);
  tree.finish();
  return tree;
}

/**
 * The river-bank rule, decided at each piece's midpoint p: the piece is a river bank when some point q of another piece
 * is within `width` of p; q is not on the same shore as p (it is on another line, or the way along the line from p to q,
 * the shorter way round a loop, is more than SAME_SHORE_RATIO times |pq|); and p and q face each other across water:
 * each lies on the other's water side. The last condition keeps narrow land (a spit, a thin island, the neck of a
 * headland), whose two shores are close across land, as coast.
 */
function riverBanks(p: Pieces, width: number): boolean[] {
  const { segments, line, along, lineLength, loop, landSide } = p;
  const count = segments.length / 4;
  const bank = new Array<boolean>(count).fill(false);
  if (count === 0) return bank;
  const tree = midpointTree(segments, Array.from({ length: count }, (_, i) => i));
  const radius = width + p.halfPiece * (1 + 1e-9) + 1e-6;
  // Water is on the left of a line with land on its right: side × cross(direction, towards) > 0.
  const onWaterSide = (i: number, x: number, y: number, tx: number, ty: number): boolean => {
    const dx = segments[4 * i + 2]! - segments[4 * i]!;
    const dy = segments[4 * i + 3]! - segments[4 * i + 1]!;
    return landSide[line[i]!]! * (dx * (ty - y) - dy * (tx - x)) > 0;
  };
  for (let i = 0; i < count; i++) {
    const px = (segments[4 * i]! + segments[4 * i + 2]!) / 2;
    const py = (segments[4 * i + 1]! + segments[4 * i + 3]!) / 2;
    const l = line[i]!;
    for (const j of tree.within(px, py, radius)) {
      if (j === i) continue;
      // q: the point of piece j nearest p.
      const ax = segments[4 * j]!;
      const ay = segments[4 * j + 1]!;
      const dx = segments[4 * j + 2]! - ax;
      const dy = segments[4 * j + 3]! - ay;
      const len2 = dx * dx + dy * dy;
      const t = len2 === 0 ? 0 : Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / len2));
      const qx = ax + t * dx;
      const qy = ay + t * dy;
      const gap = Math.hypot(qx - px, qy - py);
      if (gap > width) continue;
      if (line[j] === l) {
        const a = Math.abs(along[j]! + (t - 0.5) * Math.sqrt(len2) - along[i]!);
        if ((loop[l] ? Math.min(a, lineLength[l]! - a) : a) <= SAME_SHORE_RATIO * gap) continue;
      }
      if (onWaterSide(i, px, py, qx, qy) && onWaterSide(j, qx, qy, px, py)) {
        bank[i] = true;
        break;
      }
    }
  }
  return bank;
}

/**
 * A stretch of kept pieces shorter than `width` with river banks at both ends is a wider spot in a river (where the
 * generalised banks happen to stand just over `width` apart), not open sea: marks it a river bank too. A stretch that
 * reaches the end of an open line is left alone.
 */
function dropShortStretches(p: Pieces, bank: boolean[], width: number): void {
  const { segments, line, loop } = p;
  const count = bank.length;
  const pieceLength = (i: number): number =>
    Math.hypot(segments[4 * i + 2]! - segments[4 * i]!, segments[4 * i + 3]! - segments[4 * i + 1]!);
  for (let start = 0; start < count; ) {
    let end = start;
    while (end < count && line[end] === line[start]) end++;
    const n = end - start;
    const isLoop = loop[line[start]!]!;
    const firstBank = bank.indexOf(true, start);
    if (firstBank !== -1 && firstBank < end) {
      // Walk the line once from a bank (round a loop; from the start of an open line), collecting stretches of kept pieces.
      const from = isLoop ? firstBank - start : 0;
      let stretch: number[] = [];
      let length = 0;
      let boundedBefore = isLoop;
      for (let k = 0; k <= n; k++) {
        const i = start + ((from + k) % n);
        const isBank = k === n ? isLoop : bank[i]!;
        if (k < n && !bank[i]) {
          stretch.push(i);
          length += pieceLength(i);
          continue;
        }
        if (stretch.length > 0 && boundedBefore && isBank && length < width) {
          for (const j of stretch) bank[j] = true;
        }
        stretch = [];
        length = 0;
        boundedBefore = true;
      }
    }
    start = end;
  }
}

/**
 * Indexes a coastline for distance queries in metres. By default the lines are WGS84 and are projected to the British
 * National Grid, and the banks of water narrower than MIN_WATER_WIDTH_METRES are dropped (see `riverBanks`), so the
 * coast stops where a tidal river narrows below 1 km: options change both.
 */
export function buildCoastIndex(lines: MultiLineString, options: CoastIndexOptions = {}): CoastIndex {
  const width = options.minWaterWidthMetres ?? MIN_WATER_WIDTH_METRES;
  const all = cutIntoPieces(lines, options.project ?? lonLatToBng);
  const total = all.segments.length / 4;
  const bank = width > 0 ? riverBanks(all, width) : new Array<boolean>(total).fill(false);
  if (width > 0) dropShortStretches(all, bank, width);
  const kept: number[] = [];
  for (let i = 0; i < total; i++) if (!bank[i]) kept.push(i);
  const segments = new Float64Array(kept.length * 4);
  let halfPiece = 0;
  kept.forEach((i, k) => {
    segments.set(all.segments.subarray(4 * i, 4 * i + 4), 4 * k);
    halfPiece = Math.max(halfPiece, Math.hypot(segments[4 * k + 2]! - segments[4 * k]!, segments[4 * k + 3]! - segments[4 * k + 1]!) / 2);
  });
  const count = kept.length;
  const riverBankPieces = total - count;
  if (count === 0) return { segments, count, riverBankPieces, halfPiece: 0, tree: null };
  const tree = midpointTree(segments, Array.from({ length: count }, (_, k) => k));
  // A hair over the true half-length, so rounding in the midpoints never drops a piece at the edge of a search.
  return { segments, count, riverBankPieces, halfPiece: halfPiece * (1 + 1e-9) + 1e-6, tree };
}

function segmentDistance(s: Float64Array, i: number, x: number, y: number): number {
  const ax = s[4 * i]!;
  const ay = s[4 * i + 1]!;
  const dx = s[4 * i + 2]! - ax;
  const dy = s[4 * i + 3]! - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((x - ax) * dx + (y - ay) * dy) / len2;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const ex = x - (ax + t * dx);
  const ey = y - (ay + t * dy);
  return Math.sqrt(ex * ex + ey * ey);
}

/**
 * Exact distance in metres from a grid point to the nearest coast segment; Infinity when the index is empty.
 * Branch and bound down the k-d tree (kdbush's kd-sorted `ids` and `coords`: split at the middle item, x first, then
 * y): a piece whose midpoint is m away is at least m - halfPiece away, so a subtree whose box of midpoints is further
 * than the best distance so far plus halfPiece cannot hold anything nearer.
 */
export function distanceToCoastMetres(index: CoastIndex, easting: number, northing: number): number {
  const tree = index.tree;
  if (!tree || !Number.isFinite(easting) || !Number.isFinite(northing)) return Infinity;
  const { ids, coords, nodeSize } = tree;
  const { segments, halfPiece } = index;
  let best = Infinity;
  // The subtree's midpoints lie in [minX, maxX] × [minY, maxY] (the splitting lines above it).
  const visit = (left: number, right: number, axis: number, minX: number, minY: number, maxX: number, maxY: number): void => {
    if (left > right) return;
    const dx = easting < minX ? minX - easting : easting > maxX ? easting - maxX : 0;
    const dy = northing < minY ? minY - northing : northing > maxY ? northing - maxY : 0;
    if (Math.sqrt(dx * dx + dy * dy) - halfPiece >= best) return;
    if (right - left <= nodeSize) {
      for (let i = left; i <= right; i++) {
        const d = segmentDistance(segments, ids[i]!, easting, northing);
        if (d < best) best = d;
      }
      return;
    }
    const m = (left + right) >> 1;
    const d = segmentDistance(segments, ids[m]!, easting, northing);
    if (d < best) best = d;
    const split = coords[2 * m + axis]!;
    const next = 1 - axis;
    if (axis === 0) {
      if (easting <= split) {
        visit(left, m - 1, next, minX, minY, split, maxY);
        visit(m + 1, right, next, split, minY, maxX, maxY);
      } else {
        visit(m + 1, right, next, split, minY, maxX, maxY);
        visit(left, m - 1, next, minX, minY, split, maxY);
      }
    } else if (northing <= split) {
      visit(left, m - 1, next, minX, minY, maxX, split);
      visit(m + 1, right, next, minX, split, maxX, maxY);
    } else {
      visit(m + 1, right, next, minX, split, maxX, maxY);
      visit(left, m - 1, next, minX, minY, maxX, split);
    }
  };
  visit(0, ids.length - 1, 0, -Infinity, -Infinity, Infinity, Infinity);
  return best;
}

/** Within COASTAL_METRES (inclusive) of the coast. */
export function isCoastal(index: CoastIndex, easting: number, northing: number): boolean {
  const tree = index.tree;
  if (!tree || !Number.isFinite(easting) || !Number.isFinite(northing)) return false;
  for (const id of tree.within(easting, northing, COASTAL_METRES + index.halfPiece)) {
    if (segmentDistance(index.segments, id, easting, northing) <= COASTAL_METRES) return true;
  }
  return false;
}

// --- bands -----------------------------------------------------------------------------------------------------------

export interface Bands {
  /** Band per value, 0 = lowest; null where the value is missing. */
  bands: (number | null)[];
  /** One label per band that has values, lowest first: "lowest to highest value in the band". */
  labels: string[];
}

const defaultFormat = (x: number): string => x.toLocaleString('en-GB', { maximumFractionDigits: 1 });

/**
 * Quantile bands (type-7 quantiles, as `quantile`): a value goes to the band above each cut point it exceeds, so equal
 * values always share a band. Bands left empty by ties are dropped and the rest numbered from 0: all values equal →
 * one band. Labels give each band's own lowest and highest value.
 */
export function bandsOf(values: readonly (number | null)[], n = 5, format: (x: number) => string = defaultFormat): Bands {
  const k = Math.max(1, Math.floor(n));
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const sorted = [...finite].sort((a, b) => a - b);
  if (sorted.length === 0) return { bands: values.map(() => null), labels: [] };
  const cuts: number[] = [];
  for (let i = 1; i < k; i++) cuts.push(quantile(sorted, i / k)!);
  const raw = (v: number): number => {
    let b = 0;
    for (const c of cuts) if (v > c) b++;
    return b;
  };
  const low = new Map<number, number>();
  const high = new Map<number, number>();
  for (const v of sorted) {
    const b = raw(v);
    if (!low.has(b)) low.set(b, v);
    high.set(b, v);
  }
  const used = [...low.keys()].sort((a, b) => a - b);
  const renumber = new Map(used.map((b, i) => [b, i]));
  const labels = used.map((b) => {
    const lo = low.get(b)!;
    const hi = high.get(b)!;
    return lo === hi ? format(lo) : `${format(lo)} to ${format(hi)}`;
  });
  return {
    bands: values.map((v) => (v === null || !Number.isFinite(v) ? null : renumber.get(raw(v))!)),
    labels,
  };
}

// --- choropleth ------------------------------------------------------------------------------------------------------

/** ColorBrewer YlGnBu, 5 classes: sequential and colour-blind safe. */
export const BAND_COLOURS = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'] as const;
const NO_DATA = '#f3f2f1';

export interface AreaValue {
  band: 0 | 1 | 2 | 3 | 4 | null;
  label: string;
}

export interface ChoroplethOptions {
  areas: readonly Area[];
  values: ReadonlyMap<string, AreaValue>;
  /** Code of the area to outline. */
  highlight?: string;
  title: string;
  /** Legend text for bands 0.. (light to dark), e.g. `bandsOf(…).labels`. */
  bandLabels?: readonly string[];
  /** Read by screen readers after the title; a plain summary is written when absent. */
  description?: string;
  /** Prefix for the ids inside the SVG, to keep them unique when a page has several maps. */
  id?: string;
  width?: number;
  height?: number;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const LEGEND_ROW = 22;

/**
 * A choropleth as an SVG string, drawn on the server: one `<path>` per area (transverse Mercator on 2° W, the British
 * National Grid's meridian, fitted to the areas), filled by band, with a `<title>` giving name and label; areas without
 * data hatched grey; the highlighted area drawn last with a thick black outline; a legend below. Show it beside a table.
 */
export function choroplethSvg(options: ChoroplethOptions): string {
  const { areas, values, highlight, title } = options;
  const width = options.width ?? 600;
  const height = options.height ?? 700;
  const id = (options.id ?? 'choropleth').replace(/[^A-Za-z0-9_-]/g, '') || 'choropleth';
  const bandLabels = (options.bandLabels ?? []).slice(0, BAND_COLOURS.length);

  const drawn = [...areas.filter((a) => a.code !== highlight), ...areas.filter((a) => a.code === highlight)];
  const anyMissing = areas.some((a) => (values.get(a.code)?.band ?? null) === null);
  const legendRows = bandLabels.length + (anyMissing ? 1 : 0);
  const totalHeight = height + (legendRows > 0 ? 12 + legendRows * LEGEND_ROW : 0);

  const paths: string[] = [];
  if (areas.length > 0) {
    const collection: FeatureCollection<AreaGeometry> = { type: 'FeatureCollection', features: areas.map((a) => a.feature) };
    const projection = geoTransverseMercator().rotate([2, 0]).fitSize([width, height], collection);
    const path = geoPath(projection).digits(1);
    for (const area of drawn) {
      const drawnPath = path(area.feature);
      if (!drawnPath) continue;
      // Rounding to 0.1 px makes neighbouring points equal: drop the repeats.
      const d = drawnPath.replace(/([ML])(-?[\d.]+),(-?[\d.]+)(?:L\2,\3(?![\d.]))+/g, '$1$2,$3');
      const value = values.get(area.code);
      const band = value?.band ?? null;
      const fill = band === null ? `url(#${id}-nodata)` : BAND_COLOURS[band];
      const outline =
        area.code === highlight ? ' stroke="#0b0c0c" stroke-width="2.5" stroke-linejoin="round"' : ' stroke="#ffffff" stroke-width="0.5"';
      const tip = `${area.name}: ${value?.label ?? 'no data'}`;
      paths.push(`<path d="${d}" fill="${fill}"${outline} data-code="${escapeXml(area.code)}"><title>${escapeXml(tip)}</title></path>`);
    }
  }

  const legend: string[] = [];
  const row = (i: number, fill: string, text: string): string => {
    const y = height + 12 + i * LEGEND_ROW;
    return (
      `<rect x="0" y="${y}" width="24" height="16" fill="${fill}" stroke="#505a5f" stroke-width="0.5"/>` +
      `<text x="32" y="${y + 12.5}" font-size="14" fill="#0b0c0c">${escapeXml(text)}</text>`
    );
  };
  bandLabels.forEach((label, i) => legend.push(row(i, BAND_COLOURS[i]!, label)));
  if (anyMissing) legend.push(row(bandLabels.length, `url(#${id}-nodata)`, 'No data'));

  const highlighted = areas.find((a) => a.code === highlight);
  const description =
    options.description ??
    `Map of ${areas.length} areas shaded in ${bandLabels.length} bands from light (lowest) to dark (highest)` +
      (highlighted ? `; ${highlighted.name} is outlined` : '') +
      '. The same figures are in the table.';

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${totalHeight}" width="${width}" height="${totalHeight}" ` +
    `role="img" aria-labelledby="${id}-title ${id}-desc" class="trellis-choropleth">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(description)}</desc>` +
    `<defs><pattern id="${id}-nodata" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
    `<rect width="6" height="6" fill="${NO_DATA}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#b1b4b6" stroke-width="2"/></pattern></defs>` +
    `<g>${paths.join('')}</g>` +
    (legend.length > 0 ? `<g class="legend">${legend.join('')}</g>` : '') +
    `</svg>`
  );
}
