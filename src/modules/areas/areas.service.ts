import type { Database } from '../../db/client';
import { AreaRepository, type AreaSchoolRow, type CollaborationCounts, type OfferRow } from '../../db/repositories/area.repository';
import { ImportRunRepository } from '../../db/repositories/import-run.repository';
import {
  AREA_LEVELS,
  belowFamilyQuartile,
  computeAreaView,
  isRural,
  summariseGroup,
  type AreaLevel,
  type AreaRef,
  type AreaResult,
  type AreaSchoolInput,
  type AreaView,
  type DisadvantageSource,
  type SchoolResult,
} from '../../domain/areas/area-view';
import { canonicalCode, codeKind, REGION_BY_GIAS_LETTER } from '../../domain/areas/codes';
import { isCoastal, locateArea, type Area } from '../../domain/areas/geometry';
import { CATCHMENT_METRES } from '../../domain/areas/need-and-cover';
import { bngToWgs84 } from '../../domain/geo/british-national-grid';
import { measureByCode } from '../../domain/measures/catalogue';
import { brightSpots } from '../../domain/statistics/data-pack';
import { NotFoundError } from '../../web/errors';
import { boundaries, type Boundaries } from './boundaries';

/** Key measures judged against each school's family (worst quarter), and followed over the years. */
export const NEED_MEASURES = ['absence.overall', 'absence.persistent', 'ks4.attainment8'] as const;
export const TREND_MEASURES = ['absence.overall', 'absence.persistent', 'census.fsm'] as const;
const ACTIVE_MONTHS = 12;

export interface AreaSchool extends AreaSchoolInput {
  row: AreaSchoolRow;
  counts: CollaborationCounts;
  result: SchoolResult;
}

export interface TrendPoint {
  year: number;
  value: number;
  schools: number;
}

/** Which years each figure comes from, stated on every page. */
export interface DataYears {
  census: number | null;
  absence: number | null;
  attainment: number | null;
}

export interface Computed {
  key: string;
  computedAt: Date;
  milliseconds: number;
  since: string;
  /** Areas by `level:code`. */
  refs: Map<string, AreaRef>;
  /** Boundary features by level, with canonical codes. */
  features: Record<AreaLevel, Area[]>;
  schools: Map<number, AreaSchool>;
  view: AreaView;
  offers: OfferRow[];
  years: DataYears;
  /** level:code → measure → points, pupil-weighted over the area's schools. */
  trends: Map<string, Map<string, TrendPoint[]>>;
  /** school URN → family members (default model), for "who could help". */
  families: Map<number, number[]>;
  /** urn → measure → latest value. */
  latest: Map<number, Map<string, number>>;
  /** DfE LA number → GSS code. */
  laByDfeNumber: Map<string, string>;
}

export interface HelpOffer {
  offer: OfferRow;
  distanceKm: number | null;
}

export interface HelpSchool {
  urn: number;
  name: string;
  measure: string;
  display: string;
  by: string;
  distanceKm: number | null;
}

export type AreaTarget = { kind: 'area'; key: string } | { kind: 'redirect'; code: string } | { kind: 'none' };

const LEVEL_ORDER: readonly AreaLevel[] = ['la', 'district', 'combined-authority', 'region'];

/**
 * The area view: need against collaboration for every area and school, computed in one pass over the whole
 * instance and cached until the data or any collaboration changes (an import, an activity, a meeting, a support,
 * a published study, an offer). Public figures only: counts of collaborations, never their private details.
 */
export class AreasService {
  private readonly repo: AreaRepository;
  private readonly importRuns: ImportRunRepository;
  private cache: { key: string; value: Promise<Computed> } | null = null;

  constructor(database: Database, private readonly today: () => Date = () => new Date()) {
    this.repo = new AreaRepository(database);
    this.importRuns = new ImportRunRepository(database);
  }

  async computed(): Promise<Computed> {
    const [version, collaborations] = await Promise.all([this.importRuns.dataVersion(), this.repo.collaborationVersion()]);
    const key = `${version}|${collaborations}`;
    if (this.cache?.key !== key) {
      const value = this.compute(key);
      this.cache = { key, value };
      value.catch(() => {
        if (this.cache?.value === value) this.cache = null;
      });
    }
    return this.cache.value;
  }

  private async compute(key: string): Promise<Computed> {
    const started = performance.now();
    const today = this.today();
    const sinceDate = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - ACTIVE_MONTHS, today.getUTCDate()));
    const since = sinceDate.toISOString().slice(0, 10);
    const [geo, rows, counts, offers, families, series] = await Promise.all([
      boundaries(),
      this.repo.schools(),
      this.repo.collaborations(since),
      this.repo.offers(),
      this.repo.familyMembers(),
      this.repo.schoolSeries([...new Set([...NEED_MEASURES, ...TREND_MEASURES])]),
    ]);
    return assemble({ key, since, started, geo, rows, counts, offers, families, series });
  }

  /** Resolves a path segment: an area (by level), a redirect to the canonical GSS code, or nothing. */
  async resolve(code: string): Promise<AreaTarget> {
    const c = await this.computed();
    switch (codeKind(code)) {
      case 'dfe-la': {
        const gss = c.laByDfeNumber.get(code);
        return gss ? { kind: 'redirect', code: gss } : { kind: 'none' };
      }
      case 'gias-region': {
        const gss = REGION_BY_GIAS_LETTER[code];
        return gss ? { kind: 'redirect', code: gss } : { kind: 'none' };
      }
      case 'gss': {
        const canonical = canonicalCode(code);
        if (canonical !== code) return { kind: 'redirect', code: canonical };
        const level = LEVEL_ORDER.find((l) => c.refs.has(`${l}:${code}`));
        return level ? { kind: 'area', key: `${level}:${code}` } : { kind: 'none' };
      }
      default:
        return { kind: 'none' };
    }
  }

  async area(key: string): Promise<{ computed: Computed; area: AreaResult; schools: AreaSchool[]; alsoLevels: AreaLevel[] }> {
    const c = await this.computed();
    const area = c.view.areas.get(key);
    if (!area) throw new NotFoundError('There is no such area in Trellis.');
    const schools = [...c.schools.values()].filter((s) => s.areas[area.level] === area.code).sort((a, b) => a.name.localeCompare(b.name));
    // A metropolitan borough or a unitary authority is both an LA and a district, with one code.
    const alsoLevels = AREA_LEVELS.filter((l) => l !== area.level && c.refs.has(`${l}:${area.code}`));
    return { computed: c, area, schools, alsoLevels };
  }

  async list(level: AreaLevel): Promise<{ computed: Computed; areas: AreaResult[] }> {
    const c = await this.computed();
    const areas = [...c.view.areas.values()].filter((a) => a.level === level).sort((a, b) => a.name.localeCompare(b.name));
    return { computed: c, areas };
  }

  /** A trust's schools with the same figures as an area (never judged by rule 1: a trust is not a place). */
  async trust(uid: string): Promise<{ computed: Computed; area: AreaResult; schools: AreaSchool[] }> {
    const c = await this.computed();
    const schools = [...c.schools.values()].filter((s) => s.row.trustUid === uid).sort((a, b) => a.name.localeCompare(b.name));
    if (schools.length === 0) throw new NotFoundError('There is no trust with open schools under that number in Trellis.');
    const area = summariseGroup({ code: uid, name: schools[0]!.row.trustName ?? `Trust ${uid}`, level: 'la' }, schools, c.view.schools);
    return { computed: c, area, schools };
  }

  /**
   * Who could help a school: offers nearest first (in-person offers with their distance, remote ones too), and
   * bright spots in its family on the need measures, those within reach first.
   */
  whoCouldHelp(c: Computed, school: AreaSchool, limit = 5): { offers: HelpOffer[]; brightSpots: HelpSchool[] } {
    const km = (e: number | null, n: number | null) =>
      e == null || n == null || school.easting == null || school.northing == null ? null : Math.hypot(e - school.easting, n - school.northing) / 1000;
    const offers = c.offers
      .map((offer) => ({ offer, distanceKm: km(offer.easting, offer.northing) }))
      .filter((o) => o.offer.mode !== 'in-person' || o.distanceKm !== null)
      .sort((a, b) => (a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity) || a.offer.id.localeCompare(b.offer.id))
      .slice(0, limit);
    const members = c.families.get(school.urn) ?? [];
    const spots: HelpSchool[] = [];
    for (const code of NEED_MEASURES) {
      const def = measureByCode(code)!;
      const own = c.latest.get(school.urn)?.get(code) ?? null;
      const found = brightSpots(
        own,
        members.map((urn) => ({ urn, value: c.latest.get(urn)?.get(code) ?? null })),
        { direction: def.direction, meaningfulDifference: def.meaningfulDifference ?? Infinity },
      );
      for (const b of found) {
        const other = c.schools.get(b.urn);
        spots.push({
          urn: b.urn,
          name: other?.name ?? `URN ${b.urn}`,
          measure: def.shortLabel,
          display: `${b.value.toFixed(def.decimals)}${def.unit === 'percent' ? '%' : ''}`,
          by: `${b.by.toFixed(def.decimals)}${def.unit === 'percent' ? ' points' : ''} better`,
          distanceKm: other ? km(other.easting, other.northing) : null,
        });
      }
    }
    const reach = CATCHMENT_METRES[school.phase] / 1000;
    spots.sort((a, b) => Number((b.distanceKm ?? Infinity) <= reach) - Number((a.distanceKm ?? Infinity) <= reach) || (a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity) || a.urn - b.urn);
    return { offers, brightSpots: spots.slice(0, limit) };
  }
}

export interface AreaData {
  geo: Boundaries;
  rows: AreaSchoolRow[];
  counts: Map<number, CollaborationCounts>;
  offers: OfferRow[];
  families: Map<number, number[]>;
  series: { urn: number; measure: string; year: number; value: number }[];
}

/**
 * Everything after the reads: each school's inputs (disadvantage, areas, coastal, family standing), the view, the
 * trends. Exported for the national benchmark, which feeds it the national files instead of the database.
 */
export function assemble({ key, since, started, geo, rows, counts, offers, families, series }: AreaData & { key: string; since: string; started: number }): Computed {
  const inputs = buildInputs({ geo, rows, counts, families, series });
  const refs = areaRefs(geo);
  const points = offers
    .filter((o) => o.mode !== 'remote')
    .map((o) => ({ id: o.id, easting: o.easting, northing: o.northing, capacity: o.placesLeft }));
  const view = computeAreaView(inputs.list, points, [...refs.values()]);
  const schools = new Map<number, AreaSchool>();
  const none: CollaborationCounts = { partnerships: 0, networks: 0, supports: 0, caseStudies: 0 };
  for (const s of inputs.list) {
    // The inputs were built for this call: extend them in place rather than copy 24,000 objects.
    schools.set(s.urn, Object.assign(s, { row: inputs.rows.get(s.urn)!, counts: counts.get(s.urn) ?? none, result: view.schools.get(s.urn)! }));
  }
  const laByDfeNumber = new Map<string, string>();
  for (const r of rows) if (r.laCode && r.gssLaCode) laByDfeNumber.set(r.laCode, canonicalCode(r.gssLaCode));
  return {
    key,
    computedAt: new Date(),
    milliseconds: Math.round(performance.now() - started),
    since,
    refs,
    features: {
      la: geo.la.map(withCanonicalCode),
      district: geo.district.map(withCanonicalCode),
      'combined-authority': geo.combinedAuthority,
      region: geo.region,
    },
    schools,
    view,
    offers,
    years: inputs.years,
    trends: trendsByArea(inputs.list, inputs.seriesByUrn),
    families,
    latest: inputs.latest,
    laByDfeNumber,
  };
}

/**
 * Who could help an area: the open offers nearest to its schools (each at its distance from the nearest of them) and
 * the schools that are bright spots in the families of most of its schools, those within reach first.
 */
export function whoCouldHelpArea(service: AreasService, c: Computed, schools: readonly AreaSchool[]): { offers: HelpOffer[]; brightSpots: (HelpSchool & { forSchools: number })[] } {
  const offers = new Map<string, HelpOffer>();
  const spots = new Map<number, HelpSchool & { forSchools: number }>();
  for (const school of schools) {
    const help = service.whoCouldHelp(c, school, Infinity);
    for (const o of help.offers) {
      const seen = offers.get(o.offer.id);
      if (!seen || (o.distanceKm ?? Infinity) < (seen.distanceKm ?? Infinity)) offers.set(o.offer.id, o);
    }
    for (const b of help.brightSpots) {
      if (schools.some((s) => s.urn === b.urn)) continue;
      const seen = spots.get(b.urn);
      if (seen) seen.forSchools += 1;
      else spots.set(b.urn, { ...b, distanceKm: null, forSchools: 1 });
    }
  }
  // A bright spot's distance to the area: to the nearest of the area's schools.
  for (const spot of spots.values()) {
    const other = c.schools.get(spot.urn);
    if (!other || other.easting == null || other.northing == null) continue;
    for (const s of schools) {
      if (s.easting == null || s.northing == null) continue;
      const d = Math.hypot(other.easting - s.easting, other.northing - s.northing) / 1000;
      if (spot.distanceKm === null || d < spot.distanceKm) spot.distanceKm = d;
    }
  }
  const byDistance = (a: { distanceKm: number | null }, b: { distanceKm: number | null }) => (a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity);
  return {
    offers: [...offers.values()].sort((a, b) => byDistance(a, b) || a.offer.id.localeCompare(b.offer.id)).slice(0, 5),
    brightSpots: [...spots.values()].sort((a, b) => Number((b.distanceKm ?? Infinity) <= 20) - Number((a.distanceKm ?? Infinity) <= 20) || b.forSchools - a.forSchools || byDistance(a, b) || a.urn - b.urn).slice(0, 5),
  };
}

function withCanonicalCode(area: Area): Area {
  const code = canonicalCode(area.code);
  return code === area.code ? area : { ...area, code };
}

function areaRefs(geo: Boundaries): Map<string, AreaRef> {
  const refs = new Map<string, AreaRef>();
  const add = (level: AreaLevel, areas: readonly Area[]) => {
    for (const a of areas) {
      const code = canonicalCode(a.code);
      refs.set(`${level}:${code}`, { code, name: a.name, level });
    }
  };
  add('la', geo.la);
  add('district', geo.district);
  add('combined-authority', geo.combinedAuthority);
  add('region', geo.region);
  return refs;
}

/** GIAS "Primary", "Middle deemed primary", "Nursery"; the census's "State-funded primary", "State-funded nursery". */
const isPrimaryPhase = (name: string | null) => name !== null && /primary|nursery/i.test(name);

function buildInputs(input: {
  geo: Boundaries;
  rows: AreaSchoolRow[];
  counts: Map<number, CollaborationCounts>;
  families: Map<number, number[]>;
  series: { urn: number; measure: string; year: number; value: number }[];
}): { list: AreaSchoolInput[]; rows: Map<number, AreaSchoolRow>; latest: Map<number, Map<string, number>>; seriesByUrn: Map<number, { measure: string; year: number; value: number }[]>; years: DataYears } {
  const latestYear = new Map<string, number>();
  for (const s of input.series) latestYear.set(s.measure, Math.max(latestYear.get(s.measure) ?? -Infinity, s.year));
  const latest = new Map<number, Map<string, number>>();
  const seriesByUrn = new Map<number, { measure: string; year: number; value: number }[]>();
  for (const s of input.series) {
    let list = seriesByUrn.get(s.urn);
    if (!list) seriesByUrn.set(s.urn, (list = []));
    list.push(s);
    if (s.year !== latestYear.get(s.measure)) continue;
    let m = latest.get(s.urn);
    if (!m) latest.set(s.urn, (m = new Map()));
    m.set(s.measure, s.value);
  }
  const list: AreaSchoolInput[] = [];
  const rows = new Map<number, AreaSchoolRow>();
  for (const r of input.rows) {
    rows.set(r.urn, r);
    const own = latest.get(r.urn);
    const censusFsm = own?.get('census.fsm') ?? null;
    let disadvantagePct: number | null = null;
    let disadvantageSource: DisadvantageSource | null = null;
    if (r.ppPerc != null) [disadvantagePct, disadvantageSource] = [r.ppPerc, 'pupil-premium'];
    else if (censusFsm != null) [disadvantagePct, disadvantageSource] = [censusFsm, 'fsm'];
    else if (r.percentageFsm != null) [disadvantagePct, disadvantageSource] = [r.percentageFsm, 'fsm'];
    const located = r.easting != null && r.northing != null && r.easting > 0 && r.northing > 0;
    const lonLat = located ? bngToWgs84(r.easting, r.northing) : null;
    const region = r.regionCode ? (REGION_BY_GIAS_LETTER[r.regionCode] ?? (/^E12\d{6}$/.test(r.regionCode) ? r.regionCode : undefined)) : undefined;
    const combined = lonLat ? locateArea(input.geo.combinedAuthorityLocator, lonLat.longitude, lonLat.latitude) : null;
    const members = input.families.get(r.urn);
    let belowFamily: string[] | null = null;
    if (members) {
      for (const code of NEED_MEASURES) {
        const below = belowFamilyQuartile(
          own?.get(code) ?? null,
          members.map((m) => latest.get(m)?.get(code) ?? null),
          measureByCode(code)!.direction,
        );
        if (below === null) continue;
        belowFamily ??= [];
        if (below) belowFamily.push(code);
      }
    }
    const c = input.counts.get(r.urn);
    list.push({
      urn: r.urn,
      name: r.name,
      areas: {
        ...(r.gssLaCode ? { la: canonicalCode(r.gssLaCode) } : {}),
        ...(r.districtCode ? { district: canonicalCode(r.districtCode) } : {}),
        ...(combined ? { 'combined-authority': combined } : {}),
        ...(region ? { region } : {}),
      },
      phase: isPrimaryPhase(r.phaseName) ? 'primary' : 'other',
      pupils: r.pupils ?? own?.get('census.pupils') ?? null,
      disadvantagePct,
      disadvantageSource,
      easting: located ? r.easting : null,
      northing: located ? r.northing : null,
      activeCollaborations: c ? c.partnerships + c.networks + c.supports + c.caseStudies : 0,
      // A national instance knows trusts by name only (the census has no GIAS group numbers).
      structural: r.trustUid != null || r.trustName != null || r.federationUid != null,
      rural: isRural(r.urbanRuralName),
      coastal: located ? isCoastal(input.geo.coast, r.easting!, r.northing!) : null,
      absence: own?.get('absence.overall') ?? null,
      persistentAbsence: own?.get('absence.persistent') ?? null,
      belowFamily,
    });
  }
  const year = (m: string) => latestYear.get(m) ?? null;
  return { list, rows, latest, seriesByUrn, years: { census: year('census.fsm'), absence: year('absence.overall'), attainment: year('ks4.attainment8') } };
}

/** Pupil-weighted yearly means of the trend measures over each area's schools (weights: the school's pupils now). */
function trendsByArea(schools: readonly AreaSchoolInput[], seriesByUrn: Map<number, { measure: string; year: number; value: number }[]>): Map<string, Map<string, TrendPoint[]>> {
  const sums = new Map<string, Map<string, Map<number, { sum: number; weight: number; schools: number }>>>();
  const trendMeasures = new Set<string>(TREND_MEASURES);
  for (const s of schools) {
    if (s.pupils == null || s.pupils <= 0) continue;
    const points = seriesByUrn.get(s.urn);
    if (!points) continue;
    const keys: string[] = [];
    for (const level of AREA_LEVELS) {
      const code = s.areas[level];
      if (code) keys.push(`${level}:${code}`);
    }
    for (const point of points) {
      if (!trendMeasures.has(point.measure)) continue;
      for (const key of keys) {
        let byMeasure = sums.get(key);
        if (!byMeasure) sums.set(key, (byMeasure = new Map()));
        let byYear = byMeasure.get(point.measure);
        if (!byYear) byMeasure.set(point.measure, (byYear = new Map()));
        let cell = byYear.get(point.year);
        if (!cell) byYear.set(point.year, (cell = { sum: 0, weight: 0, schools: 0 }));
        cell.sum += point.value * s.pupils;
        cell.weight += s.pupils;
        cell.schools += 1;
      }
    }
  }
  const out = new Map<string, Map<string, TrendPoint[]>>();
  for (const [key, byMeasure] of sums) {
    const m = new Map<string, TrendPoint[]>();
    for (const [measure, byYear] of byMeasure) {
      m.set(
        measure,
        [...byYear.entries()].sort((a, b) => a[0] - b[0]).map(([year, cell]) => ({ year, value: cell.sum / cell.weight, schools: cell.schools })),
      );
    }
    out.set(key, m);
  }
  return out;
}
