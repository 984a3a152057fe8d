import { readFile } from 'node:fs/promises';
import type { Topology } from 'topojson-specification';
import {
  type Area,
  type AreaLocator,
  type CoastIndex,
  buildAreaLocator,
  buildCoastIndex,
  coastline,
  englishAreas,
} from '../../domain/areas/geometry';

/** The ONS boundaries in data/geo (see data/README.md), read and indexed once per process: they only change with a release. */
export interface Boundaries {
  /** Upper-tier local authorities (counties and unitary authorities, December 2024): the DfE's 153 LAs. */
  la: Area[];
  /** Local authority districts (December 2024), 296. */
  district: Area[];
  /** Regions (December 2023), 9. */
  region: Area[];
  /** Combined authorities (May 2025), 15. */
  combinedAuthority: Area[];
  /** Coast of the whole UK upper-tier layer, in British National Grid metres. */
  coast: CoastIndex;
  /** Which combined authority holds a WGS84 point. */
  combinedAuthorityLocator: AreaLocator;
}

const GEO_DIR = new URL('../../../data/geo/', import.meta.url);

async function readTopology(dir: URL, file: string): Promise<Topology> {
  return JSON.parse(await readFile(new URL(file, dir), 'utf8')) as Topology;
}

/** Reads and indexes the four layers from a directory (default data/geo); uncached, for tests. */
export async function loadBoundaries(dir: URL = GEO_DIR): Promise<Boundaries> {
  const [ctyua, lad, regions, combined] = await Promise.all(
    ['ctyua-2024-buc', 'lad-2024-buc', 'regions-2023-buc', 'combined-authorities-2025-buc'].map((name) =>
      readTopology(dir, `${name}.topo.json`),
    ),
  );
  const combinedAuthority = englishAreas(combined!);
  return {
    la: englishAreas(ctyua!),
    district: englishAreas(lad!),
    region: englishAreas(regions!),
    combinedAuthority,
    coast: buildCoastIndex(coastline(ctyua!)),
    combinedAuthorityLocator: buildAreaLocator(combinedAuthority),
  };
}

let cached: Promise<Boundaries> | undefined;

/** The boundaries, loaded on first use and shared after (read-only data, the same for every app in the process). */
export function boundaries(): Promise<Boundaries> {
  cached ??= loadBoundaries().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}
