import { describe, expect, it } from 'vitest';
import { bngToWgs84, gridDistanceKm } from './british-national-grid';

// Golden values: the longitude and latitude that GIAS itself publishes beside Easting/Northing
// (shared/data/national/gias-open-establishments-2025-05-24.csv), an independent conversion.
const GIAS_PUBLISHED = [
  { urn: 100000, easting: 533498, northing: 181201, longitude: -0.07753063171580948, latitude: 51.513968813644965 },
  { urn: 100025, easting: 528230, northing: 185638, longitude: -0.15179092903612837, latitude: 51.55506206348326 },
  { urn: 106653, easting: 424232, northing: 404138, longitude: -1.6358824271864025, latitude: 53.533342129072366 },
  { urn: 121573, easting: 451913, northing: 416582, longitude: -1.2162248895524848, latitude: 53.64318198218167 },
  { urn: 135599, easting: 396672, northing: 294622, longitude: -2.0505103500946174, latitude: 52.549434332228294 },
];

describe('bngToWgs84', () => {
  it.each(GIAS_PUBLISHED)('agrees with GIAS to within 10 m for URN $urn', ({ easting, northing, latitude, longitude }) => {
    const sut = bngToWgs84(easting, northing)!;
    const metresNorth = (sut.latitude - latitude) * 111_320;
    const metresEast = (sut.longitude - longitude) * 111_320 * Math.cos((latitude * Math.PI) / 180);
    expect(Math.hypot(metresNorth, metresEast)).toBeLessThan(10);
  });

  it.each([
    [null, 185638],
    [528230, null],
    [0, 0],
    [-5, 100],
    [900_000, 100_000],
  ])('returns null for missing or impossible coordinates (%s, %s)', (e, n) => {
    expect(bngToWgs84(e, n)).toBeNull();
  });
});

describe('gridDistanceKm', () => {
  it('is Pythagoras on grid metres', () => {
    expect(gridDistanceKm({ easting: 0, northing: 0 }, { easting: 3000, northing: 4000 })).toBe(5);
  });
});
