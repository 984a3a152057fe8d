import proj4 from 'proj4';

/** EPSG:27700, the British National Grid, with the OSTN-free 7-parameter Helmert transformation to WGS84. */
const BNG =
  '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy ' +
  '+towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs';
const toWgs84 = proj4(BNG, 'WGS84');

export interface LatLon {
  latitude: number;
  longitude: number;
}

/**
 * Converts GIAS Easting/Northing (metres on the British National Grid) to WGS84 latitude and longitude.
 * Returns null for missing or out-of-range coordinates (GIAS writes 0 for "not recorded").
 */
export function bngToWgs84(easting: number | null | undefined, northing: number | null | undefined): LatLon | null {
  if (easting == null || northing == null) return null;
  if (!(easting > 0 && easting < 700_000 && northing > 0 && northing < 1_300_000)) return null;
  const [longitude, latitude] = toWgs84.forward([easting, northing]) as [number, number];
  return { latitude: round(latitude, 6), longitude: round(longitude, 6) };
}

function round(x: number, places: number): number {
  const f = 10 ** places;
  return Math.round(x * f) / f;
}

/** Straight-line distance in kilometres between two points on the British National Grid. */
export function gridDistanceKm(a: { easting: number; northing: number }, b: { easting: number; northing: number }): number {
  return Math.hypot(a.easting - b.easting, a.northing - b.northing) / 1000;
}
