import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { AreaSchoolRow, CollaborationCounts, OfferRow } from '../src/db/repositories/area.repository';
import { assemble } from '../src/modules/areas/areas.service';
import { loadBoundaries } from '../src/modules/areas/boundaries';

/**
 * The area view over the real national files (../shared/data/national: the January 2023 census for every school's
 * FSM %, areas, urban/rural class and trust; the May 2025 GIAS extract for coordinates and pupils; 2024/25 absence),
 * with generated collaborations (a fifth of schools, 1–3 each) and 5,000 generated in-person offers at schools'
 * locations. Times `assemble` — every indicator, access, cover, cold spots and trends at all four levels — the part
 * the service recomputes after an import or a collaboration change. Reading the database is measured separately on
 * the sample by the page benchmarks; here the rows come from the files.
 */
export interface AreasBench {
  schools: number;
  located: number;
  offers: number;
  boundariesMs: number;
  runs: number[];
  areaColdSpots: number;
  schoolColdSpots: number;
  coastal: number;
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

export async function benchAreas(dir = '../shared/data/national'): Promise<AreasBench> {
  const read = (file: string) => parse(readFileSync(`${dir}/${file}`), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const census = read('spc-school-level-2022-23.csv');
  const gias = new Map(read('gias-open-establishments-2025-05-24.csv').map((r) => [r.urn!, r]));
  const absence = read('absence-2024-25.csv');
  const num = (v: string | undefined) => (v === undefined || v === '' || v === 'z' || v === 'x' || v === 'c' ? null : Number(v));

  const rows: AreaSchoolRow[] = census.map((c) => {
    const g = gias.get(c.urn!);
    return {
      urn: Number(c.urn),
      name: c.school_name!,
      phaseName: c.phase_type_grouping!,
      pupils: num(g?.number_of_pupils) ?? num(c['headcount of pupils']),
      percentageFsm: num(c['% of pupils known to be eligible for free school meals']),
      ppPerc: null,
      easting: num(g?.easting),
      northing: num(g?.northing),
      gssLaCode: c.new_la_code || null,
      laCode: c.old_la_code || null,
      districtCode: c.district_administrative_code || null,
      regionCode: c.region_code || null,
      urbanRuralName: c.urban_rural || null,
      trustUid: c.trust ? c.trust : null,
      trustName: c.trust || null,
      federationUid: null,
    };
  });
  const series = absence.flatMap((a) => {
    const urn = Number(a.school_urn);
    const out: { urn: number; measure: string; year: number; value: number }[] = [];
    const overall = num(a.sess_overall_percent);
    const persistent = num(a.enrolments_pa_10_exact_percent);
    if (overall !== null) out.push({ urn, measure: 'absence.overall', year: 2024, value: overall });
    if (persistent !== null) out.push({ urn, measure: 'absence.persistent', year: 2024, value: persistent });
    return out;
  });

  const random = rng(20261129);
  const counts = new Map<number, CollaborationCounts>();
  for (const r of rows) {
    if (random() < 0.2) counts.set(r.urn, { partnerships: Math.floor(random() * 2), networks: Math.floor(random() * 2), supports: 0, caseStudies: 1 });
  }
  const located = rows.filter((r) => r.easting != null && r.northing != null);
  const offers: OfferRow[] = Array.from({ length: 5_000 }, (_, i) => {
    const at = located[Math.floor(random() * located.length)]!;
    return { id: `offer-${i}`, title: 'Generated offer', organisationName: at.name, organisationKind: 'school', themes: ['attendance'], mode: 'in-person', placesLeft: 1 + Math.floor(random() * 5), easting: at.easting, northing: at.northing };
  });

  let t = performance.now();
  const geo = await loadBoundaries();
  const boundariesMs = performance.now() - t;
  const runs: number[] = [];
  let last: ReturnType<typeof assemble> | null = null;
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    last = assemble({ key: 'bench', since: '2025-11-29', started: t, geo, rows, counts, offers, families: new Map(), series });
    runs.push(performance.now() - t);
  }
  const schools = [...last!.schools.values()];
  return {
    schools: rows.length,
    located: located.length,
    offers: offers.length,
    boundariesMs,
    runs,
    areaColdSpots: [...last!.view.areas.values()].filter((a) => a.coldSpot).length,
    schoolColdSpots: schools.filter((s) => s.result.coldSpot).length,
    coastal: schools.filter((s) => s.coastal).length,
  };
}

if (process.argv[1]?.endsWith('bench/areas.ts')) {
  const r = await benchAreas();
  console.log(r);
}
