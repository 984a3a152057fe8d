import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AREA_LEVELS, LEVEL_LABELS, MIN_AREAS_FOR_RULE_1, type AreaLevel, type AreaResult } from '../../domain/areas/area-view';
import { bandsOf, choroplethSvg, COASTAL_METRES, MIN_WATER_WIDTH_METRES, type AreaValue } from '../../domain/areas/geometry';
import { AREA_COVER_QUANTILE, AREA_NEED_QUANTILE, CATCHMENT_METRES, SCHOOL_NEED_QUANTILE } from '../../domain/areas/need-and-cover';
import { bngToWgs84 } from '../../domain/geo/british-national-grid';
import { measureByCode } from '../../domain/measures/catalogue';
import { formatAcademicYear } from '../../domain/schools/years';
import { renderChart, type RenderedChart } from '../../web/charts';
import type { AreaSeries } from '../../domain/measures/outcomes';
import { toCsv } from '../../web/csv';
import { NotFoundError } from '../../web/errors';
import { AreasService, TREND_MEASURES, whoCouldHelpArea, type AreaSchool, type Computed } from './areas.service';

const LevelQuery = z.object({
  level: z.enum(AREA_LEVELS).default('la'),
  show: z.enum(['cover', 'need']).default('cover'),
});
const CodeParams = z.object({ code: z.string().max(20) });
const TrustParams = z.object({ uid: z.string().regex(/^\d{1,10}$/, 'is not a GIAS group number') });

const pct = (x: number | null | undefined, digits = 1) => (x == null ? 'No data' : `${(x * 100).toFixed(digits)}%`);
const num = (x: number | null | undefined, digits = 0) => (x == null ? 'No data' : x.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

/** What each rule and indicator is, in words, with its thresholds: shown on every page and in the API. */
export function ruleTexts(): { rules: string[]; indicators: { name: string; rule: string }[] } {
  return {
    rules: [
      `Rule 1 (areas): an area is a cold spot when its share of disadvantaged pupils is in the top fifth of the areas at its level (at or above the ${AREA_NEED_QUANTILE * 100}th percentile) and its need-weighted cover is in the bottom fifth (at or below the ${AREA_COVER_QUANTILE * 100}th percentile). Levels with fewer than ${MIN_AREAS_FOR_RULE_1} areas that can be judged have no rule-1 cold spots; areas with no disadvantaged pupils are not judged.`,
      `Rule 2 (schools): a school is a cold spot when its disadvantage is in the top quarter of all schools (at or above the ${SCHOOL_NEED_QUANTILE * 100}th percentile), it has no active collaboration, and no offer of support is within reach (two-step floating catchment: ${CATCHMENT_METRES.primary / 1000} km for primary schools, ${CATCHMENT_METRES.other / 1000} km for others, on British National Grid distances). Schools without coordinates or a disadvantage figure are not judged.`,
    ],
    indicators: [
      { name: 'Disadvantage', rule: 'Pupil premium % from the DfE similar-schools model inputs where the school has it; otherwise the % of pupils known to be eligible for free school meals in the January census. Each school says which. Disadvantaged pupils = pupils × that % ÷ 100.' },
      { name: 'Active collaboration', rule: 'In the last 12 months: a partnership with a recorded activity, a network with a meeting, or agreed support given or received that was open; or a published case study. Trust or federation membership is structural cover, reported beside it, not inside it.' },
      { name: 'Need-weighted cover', rule: 'Disadvantaged pupils in schools with at least one active collaboration ÷ all disadvantaged pupils (schools with no pupil or disadvantage figure left out). Shown also with trust or federation membership counted as cover.' },
      { name: 'Access to offers', rule: `Two-step floating catchment: each open in-person offer's places left are shared among the disadvantaged pupils of the schools within reach of it; a school's access is the sum of the shares of the offers within its reach (${CATCHMENT_METRES.primary / 1000} km primary, ${CATCHMENT_METRES.other / 1000} km others). Remote-only offers have no place, so they are listed as help but not counted.` },
      { name: 'Outcomes against the family', rule: 'Below the lower quartile of the school’s family (its default similar-schools model) on a key measure — overall absence, persistent absence (worse = higher) or Attainment 8 (worse = lower) — in the latest year of each. Families need at least four members with a value.' },
      { name: 'Absence', rule: 'Overall absence and persistent absence (% of enrolments missing 10% or more of sessions), latest year; area figures are means weighted by pupils.' },
      { name: 'Rurality', rule: 'GIAS urban/rural class: "Larger rural", "Smaller rural" and other rural classes count as rural.' },
      { name: 'Coastal', rule: `Within ${COASTAL_METRES / 1000} km of the coast, a published research definition. The coastline is the boundary edges that no other area shares in the ONS upper-tier boundaries (generalised to 500 m, clipped to mean high water), less the banks of tidal rivers narrower than ${MIN_WATER_WIDTH_METRES / 1000} km (so the tidal Thames in London is not coast; the Mersey and Humber estuaries are).` },
      { name: 'Isolation', rule: 'Distance to the nearest other open school of the same phase (primary, or other), straight line.' },
    ],
  };
}

function areaJson(c: Computed, a: AreaResult) {
  return {
    code: a.code,
    name: a.name,
    level: a.level,
    need: {
      pupils: Math.round(a.summary.pupils),
      disadvantagedPupils: Math.round(a.summary.disadvantagedPupils),
      disadvantageShare: a.summary.disadvantageShare,
      absence: a.absence,
      persistentAbsence: a.persistentAbsence,
      belowFamilyShare: a.belowFamilyShare,
      ruralShare: a.ruralShare,
      coastalShare: a.coastalShare,
      medianNearestSamePhaseKm: a.medianNearestKm,
    },
    cover: {
      ratio: a.summary.cover.ratio,
      ratioWithTrusts: a.summary.cover.ratioWithStructural,
      disadvantagedPupils: Math.round(a.summary.disadvantagedPupils),
      disadvantagedPupilsCovered: Math.round(a.summary.cover.disadvantagedPupilsCovered),
      schools: a.schools,
      schoolsCovered: a.schoolsCovered,
    },
    coldSpot: a.coldSpot,
    schoolColdSpots: a.schoolColdSpots,
    years: dataYears(c),
  };
}

function schoolJson(s: AreaSchool) {
  return {
    urn: s.urn,
    name: s.name,
    phase: s.phase,
    pupils: s.pupils,
    disadvantagePct: s.disadvantagePct,
    disadvantageSource: s.disadvantageSource,
    disadvantagedPupils: s.result.disadvantagedPupils === null ? null : Math.round(s.result.disadvantagedPupils * 10) / 10,
    activeCollaborations: s.activeCollaborations,
    inTrust: s.structural,
    access: s.result.access,
    coldSpot: s.result.coldSpot,
    rural: s.rural,
    coastal: s.coastal,
    nearestSamePhaseKm: s.result.nearestSamePhaseKm === null ? null : Math.round(s.result.nearestSamePhaseKm * 100) / 100,
    belowFamily: s.belowFamily,
    absence: s.absence,
    persistentAbsence: s.persistentAbsence,
  };
}

function dataYears(c: Computed) {
  return {
    census: c.years.census === null ? null : `January ${c.years.census + 1} census (${formatAcademicYear(c.years.census)})`,
    absence: c.years.absence === null ? null : formatAcademicYear(c.years.absence),
    attainment: c.years.attainment === null ? null : formatAcademicYear(c.years.attainment),
    pupilPremium: 'inputs to the DfE similar-schools model (2026)',
    collaborationSince: c.since,
  };
}

/** Figures of an area (or a trust) for the page. */
function areaFigures(a: AreaResult) {
  return {
    need: [
      { key: 'Open schools', value: num(a.schools) },
      { key: 'Disadvantaged pupils', value: `${num(a.summary.disadvantagedPupils)} of ${num(a.summary.pupils)}` },
      { key: 'Share of pupils disadvantaged', value: pct(a.summary.disadvantageShare) },
      { key: 'Overall absence', value: a.absence == null ? 'No data' : `${a.absence.toFixed(1)}%` },
      { key: 'Persistent absence', value: a.persistentAbsence == null ? 'No data' : `${a.persistentAbsence.toFixed(1)}%` },
      { key: 'Schools in the worst quarter of their family on a key measure', value: pct(a.belowFamilyShare, 0) },
      { key: 'Rural schools', value: pct(a.ruralShare, 0) },
      { key: 'Coastal schools', value: pct(a.coastalShare, 0) },
      { key: 'Median distance to the next same-phase school', value: a.medianNearestKm == null ? 'No data' : `${a.medianNearestKm.toFixed(1)} km` },
    ],
    cover: [
      { key: 'Need-weighted cover', value: pct(a.summary.cover.ratio) },
      { key: 'Disadvantaged pupils covered', value: num(a.summary.cover.disadvantagedPupilsCovered) },
      { key: 'With trusts and federations counted', value: pct(a.summary.cover.ratioWithStructural) },
      { key: 'Schools with an active collaboration', value: `${num(a.schoolsCovered)} of ${num(a.schools)}` },
      { key: 'Schools that are cold spots (rule 2)', value: num(a.schoolColdSpots) },
    ],
  };
}

function schoolRows(c: Computed, schools: readonly AreaSchool[]) {
  return schools.map((s) => ({
    urn: s.urn,
    name: s.name,
    phase: s.row.phaseName ?? 'Not recorded',
    disadvantage: s.disadvantagePct == null ? 'No data' : `${s.disadvantagePct.toFixed(1)}% ${s.disadvantageSource === 'pupil-premium' ? 'PP' : 'FSM'}`,
    disadvantaged: s.result.disadvantagedPupils == null ? 'No data' : num(s.result.disadvantagedPupils),
    collaborations: s.activeCollaborations,
    trust: s.row.trustName ?? (s.row.federationUid ? 'Federation' : ''),
    access: s.result.access == null ? 'No location' : s.result.access === 0 ? 'None in reach' : (s.result.access * 100).toFixed(2),
    coldSpot: s.result.coldSpot,
    context: [s.rural ? 'rural' : null, s.coastal ? 'coastal' : null, s.result.nearestSamePhaseKm != null ? `${s.result.nearestSamePhaseKm.toFixed(1)} km to next` : null].filter(Boolean).join(', '),
    belowFamily: (s.belowFamily ?? []).map((code) => measureByCode(code)?.shortLabel ?? code).join(', '),
  }));
}

function choropleth(c: Computed, level: AreaLevel, areas: readonly AreaResult[], show: 'cover' | 'need', highlight?: string, id = 'area-map') {
  const codes = new Set(areas.map((a) => a.code));
  const features = c.features[level].filter((f) => codes.has(f.code));
  const pick = (a: AreaResult) => (show === 'cover' ? a.summary.cover.ratio : a.summary.disadvantageShare);
  const bands = bandsOf(areas.map(pick), 5, (x) => `${(x * 100).toFixed(1)}%`);
  const values = new Map<string, AreaValue>(
    areas.map((a, i) => [a.code, { band: bands.bands[i] as AreaValue['band'], label: `${show === 'cover' ? 'cover' : 'disadvantaged'} ${pct(pick(a))}${a.coldSpot ? ' (cold spot)' : ''}` }]),
  );
  const what = show === 'cover' ? 'Need-weighted cover' : 'Share of pupils disadvantaged';
  return choroplethSvg({
    areas: features,
    values,
    ...(highlight ? { highlight } : {}),
    title: `${what} by ${LEVEL_LABELS[level].singular}`,
    bandLabels: bands.labels,
    id,
    width: 480,
    height: 520,
  });
}

function trendCharts(c: Computed, key: string, name: string) {
  const trends = c.trends.get(key);
  if (!trends) return [];
  return TREND_MEASURES.flatMap((code) => {
    const points = trends.get(code) ?? [];
    if (points.length === 0) return [];
    const def = measureByCode(code)!;
    const rows = points.map((p) => ({ year: formatAcademicYear(p.year), value: `${p.value.toFixed(def.decimals)}${def.unit === 'percent' ? '%' : ''}`, schools: p.schools }));
    const chart: RenderedChart | null =
      points.length > 1
        ? renderChart({
            title: `${def.label}, ${name}, pupil-weighted mean over its schools by year. The table below gives the figures.`,
            yLabel: def.shortLabel,
            points: points.map((p) => ({ x: formatAcademicYear(p.year), series: name, value: p.value })),
            seriesOrder: [name],
            zero: def.unit === 'percent',
          })
        : null;
    return [{ code, label: def.label, shortLabel: def.shortLabel, source: def.source, rows, chart }];
  });
}

export async function areaRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const areas = app.services.areas;
  const hide = { hide: true } as const;

  const listRows = (list: readonly AreaResult[]) =>
    list.map((a) => ({
      code: a.code,
      name: a.name,
      schools: a.schools,
      disadvantaged: num(a.summary.disadvantagedPupils),
      share: pct(a.summary.disadvantageShare),
      cover: pct(a.summary.cover.ratio),
      coverWithTrusts: pct(a.summary.cover.ratioWithStructural),
      schoolColdSpots: a.schoolColdSpots,
      coldSpot: a.coldSpot,
    }));

  r.get('/areas', { schema: { querystring: LevelQuery, ...hide } }, async (request, reply) => {
    const { level, show } = request.query;
    const { computed, areas: list } = await areas.list(level);
    return reply.page('areas/views/list.njk', {
      title: `Need and collaboration by ${LEVEL_LABELS[level].singular}`,
      breadcrumbs: [{ text: 'Areas' }],
      level,
      levelLabel: LEVEL_LABELS[level],
      levels: AREA_LEVELS.map((l) => ({ value: l, label: LEVEL_LABELS[l].plural, current: l === level })),
      show,
      map: choropleth(computed, level, list, show),
      rows: listRows(list),
      coldSpots: list.filter((a) => a.coldSpot),
      thresholds: computed.view.thresholds.areas[level] ?? null,
      years: dataYears(computed),
      ...ruleTexts(),
    });
  });

  r.get('/areas.csv', { schema: { querystring: LevelQuery, ...hide } }, async (request, reply) => {
    const { areas: list } = await areas.list(request.query.level);
    const header = ['code', 'name', 'level', 'schools', 'pupils', 'disadvantaged_pupils', 'disadvantage_share', 'cover_ratio', 'cover_ratio_with_trusts', 'disadvantaged_pupils_covered', 'schools_covered', 'school_cold_spots', 'cold_spot', 'absence', 'persistent_absence', 'rural_share', 'coastal_share'];
    const rows = list.map((a) => [a.code, a.name, a.level, a.schools, Math.round(a.summary.pupils), round(a.summary.disadvantagedPupils, 1), round(a.summary.disadvantageShare, 4), round(a.summary.cover.ratio, 4), round(a.summary.cover.ratioWithStructural, 4), round(a.summary.cover.disadvantagedPupilsCovered, 1), a.schoolsCovered, a.schoolColdSpots, a.coldSpot ? 'yes' : 'no', round(a.absence, 2), round(a.persistentAbsence, 2), round(a.ruralShare, 4), round(a.coastalShare, 4)]);
    return csv(reply, `trellis-areas-${request.query.level}.csv`, [header, ...rows]);
  });

  r.get('/areas/trusts/:uid', { schema: { params: TrustParams, ...hide } }, async (request, reply) => {
    const { computed, area, schools } = await areas.trust(request.params.uid);
    return reply.page('areas/views/area.njk', {
      title: `${area.name}: need and collaboration`,
      breadcrumbs: [{ text: 'Areas', href: '/areas' }, { text: area.name, href: `/trusts/${request.params.uid}` }, { text: 'Need and collaboration' }],
      area,
      levelLabel: 'Trust',
      isTrust: true,
      trustUid: request.params.uid,
      figures: areaFigures(area),
      schools: schoolRows(computed, schools),
      coldSchools: coldSchools(areas, computed, schools),
      coldSchoolCount: schools.filter((s) => s.result.coldSpot).length,
      mapPoints: mapPoints(schools),
      trends: [],
      years: dataYears(computed),
      ...ruleTexts(),
    });
  });

  const resolved = async (code: string, reply: FastifyReply, suffix = '') => {
    const target = await areas.resolve(code);
    if (target.kind === 'redirect') {
      await reply.code(301).redirect(`/areas/${target.code}${suffix}`);
      return null;
    }
    if (target.kind === 'none') throw new NotFoundError(`There is no area with the code ${code} in Trellis. Codes are ONS GSS codes (like E09000007), DfE local authority numbers (like 202) or GIAS region letters.`);
    return target.key;
  };

  r.get('/areas/:code', { schema: { params: CodeParams, ...hide } }, async (request, reply) => {
    const key = await resolved(request.params.code, reply);
    if (!key) return reply;
    const { computed, area, schools, alsoLevels } = await areas.area(key);
    // The map: the area among its neighbours at its level (the region's areas for an LA or a district), else all.
    const regionOf = mostCommon(schools.map((s) => s.areas.region));
    const siblings = [...computed.view.areas.values()].filter(
      (a) => a.level === area.level && (area.level === 'la' || area.level === 'district' ? regionOf !== undefined && regionMajority(computed, a) === regionOf : true),
    );
    const dfeNumber = area.level === 'la' ? [...computed.laByDfeNumber.entries()].find(([, gss]) => gss === area.code)?.[0] ?? null : null;
    const published = dfeNumber ? await app.services.directory.localAuthority(dfeNumber).catch(() => null) : null;
    const regionName = regionOf ? computed.refs.get(`region:${regionOf}`)?.name : undefined;
    const broad = area.level === 'region' || area.level === 'combined-authority';
    return reply.page('areas/views/area.njk', {
      title: area.name,
      breadcrumbs: [{ text: 'Areas', href: `/areas?level=${area.level}` }, ...(regionOf && area.level !== 'region' && regionName ? [{ text: regionName, href: `/areas/${regionOf}` }] : []), { text: area.name }],
      area,
      levelLabel: LEVEL_LABELS[area.level].singular,
      levelPlural: LEVEL_LABELS[area.level].plural,
      regionCode: regionOf,
      alsoLevels: alsoLevels.map((l) => LEVEL_LABELS[l].singular),
      dfeNumber,
      regionName,
      threshold: computed.view.thresholds.areas[area.level] ?? null,
      figures: areaFigures(area),
      map: choropleth(computed, area.level, siblings, 'cover', area.code),
      mapScope: area.level === 'la' || area.level === 'district' ? `${LEVEL_LABELS[area.level].plural} in ${regionName ?? 'the region'}` : `all ${LEVEL_LABELS[area.level].plural}`,
      // A region or a combined authority lists its local authorities; a local authority or a district its schools.
      ...(broad
        ? { childAreas: listRows(childAreas(computed, area, schools)), schoolCount: schools.length }
        : { schools: schoolRows(computed, schools), mapPoints: mapPoints(schools) }),
      coldSchools: coldSchools(areas, computed, schools),
      coldSchoolCount: schools.filter((s) => s.result.coldSpot).length,
      areaHelp: area.coldSpot ? areaHelp(areas, computed, schools) : null,
      trends: trendCharts(computed, key, area.name),
      published: published ? published.outcomes.map((series) => ({ ...series, chart: publishedChart(series, area.name) })) : [],
      years: dataYears(computed),
      ...ruleTexts(),
    });
  });

  r.get('/areas/:code/schools.csv', { schema: { params: CodeParams, ...hide } }, async (request, reply) => {
    const key = await resolved(request.params.code, reply, '/schools.csv');
    if (!key) return reply;
    const { area, schools } = await areas.area(key);
    const header = ['urn', 'name', 'phase', 'pupils', 'disadvantage_pct', 'disadvantage_source', 'disadvantaged_pupils', 'active_collaborations', 'partnerships', 'networks', 'supports', 'case_studies', 'in_trust_or_federation', 'access', 'cold_spot', 'rural', 'coastal', 'nearest_same_phase_km', 'below_family_on', 'absence', 'persistent_absence'];
    const rows = schools.map((s) => [s.urn, s.name, s.row.phaseName, s.pupils, s.disadvantagePct, s.disadvantageSource, round(s.result.disadvantagedPupils, 1), s.activeCollaborations, s.counts.partnerships, s.counts.networks, s.counts.supports, s.counts.caseStudies, s.structural ? 'yes' : 'no', round(s.result.access, 6), s.result.coldSpot ? 'yes' : 'no', yesNo(s.rural), yesNo(s.coastal), round(s.result.nearestSamePhaseKm, 2), (s.belowFamily ?? []).join(' '), s.absence, s.persistentAbsence]);
    return csv(reply, `trellis-area-${area.code}-schools.csv`, [header, ...rows]);
  });

  // The foundation's local-authority pages are area pages now: one page per authority.
  r.get('/local-authorities', { schema: hide }, async (_request, reply) => reply.code(301).redirect('/areas?level=la'));
  r.get('/local-authorities/:code', { schema: { params: z.object({ code: z.string().regex(/^\d{3}$/, 'is not a 3-digit LA number') }), ...hide } }, async (request, reply) => {
    const target = await areas.resolve(request.params.code);
    if (target.kind !== 'redirect') throw new NotFoundError(`There is no local authority with the number ${request.params.code} in Trellis.`);
    return reply.code(301).redirect(`/areas/${target.code}`);
  });

  // API

  const AreaSummaryJson = z.object({}).passthrough();
  r.get(
    '/api/v1/areas',
    {
      schema: {
        tags: ['areas'],
        summary: 'Every area of a level with its need, cover and cold-spot flag',
        description: 'Levels: la (upper-tier local authority, the DfE’s LA), district, combined-authority, region. See docs/areas.md for each rule.',
        querystring: LevelQuery.pick({ level: true }),
        response: { 200: z.object({ level: z.enum(AREA_LEVELS), rules: z.array(z.string()), areas: z.array(AreaSummaryJson) }) },
      },
    },
    async (request) => {
      const { computed, areas: list } = await areas.list(request.query.level);
      return { level: request.query.level, rules: ruleTexts().rules, areas: list.map((a) => areaJson(computed, a)) };
    },
  );

  r.get(
    '/api/v1/areas/:code',
    {
      schema: {
        tags: ['areas'],
        summary: 'An area: need, cover, cold spots and its schools',
        description: 'The code is an ONS GSS code; a DfE LA number, a GIAS region letter or an older GSS code is answered for the area it leads to (the response gives the canonical code).',
        params: CodeParams,
      },
    },
    async (request) => {
      let target = await areas.resolve(request.params.code);
      if (target.kind === 'redirect') target = await areas.resolve(target.code);
      if (target.kind !== 'area') throw new NotFoundError(`There is no area with the code ${request.params.code}.`);
      const { computed, area, schools } = await areas.area(target.key);
      return { ...areaJson(computed, area), rules: ruleTexts().rules, schools: schools.map(schoolJson) };
    },
  );
}

function publishedChart(series: AreaSeries, laName: string): RenderedChart | null {
  const names = [laName, 'England'];
  const points = series.rows.flatMap((row) =>
    [row.area, row.england].flatMap((cell, i) => (cell.value === null ? [] : [{ x: row.yearLabel, series: names[i]!, value: cell.value }])),
  );
  if (points.length === 0) return null;
  return renderChart({
    title: `${series.measure.label}, ${series.breakdownLabel.toLowerCase()}: ${laName} and England. The table below gives the figures.`,
    yLabel: series.measure.shortLabel,
    points,
    seriesOrder: names.filter((n) => points.some((p) => p.series === n)),
    zero: series.measure.unit === 'percent',
  });
}

function areaHelp(areas: AreasService, c: Computed, schools: readonly AreaSchool[]) {
  const help = whoCouldHelpArea(areas, c, schools);
  return {
    offers: help.offers.map((o) => ({ id: o.offer.id, title: o.offer.title, organisation: o.offer.organisationName, mode: o.offer.mode, places: o.offer.placesLeft, distance: o.distanceKm == null ? 'remote' : `${o.distanceKm.toFixed(0)} km` })),
    brightSpots: help.brightSpots.map((b) => ({ ...b, distance: b.distanceKm == null ? '' : `${b.distanceKm.toFixed(0)} km` })),
  };
}

/** Local authorities most of whose schools are in a region or a combined authority. */
function childAreas(c: Computed, parent: AreaResult, schools: readonly AreaSchool[]): AreaResult[] {
  const votes = new Map<string, number>();
  for (const s of schools) if (s.areas.la) votes.set(s.areas.la, (votes.get(s.areas.la) ?? 0) + 1);
  return [...votes.keys()]
    .map((code) => c.view.areas.get(`la:${code}`))
    .filter((a): a is AreaResult => a !== undefined && (votes.get(a.code) ?? 0) * 2 > a.schools)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The most disadvantaged cold-spot schools with who could help each (the rest are tagged in the table and the CSV). */
const COLD_SCHOOLS_SHOWN = 20;

function coldSchools(areas: AreasService, c: Computed, schools: readonly AreaSchool[]) {
  return schools
    .filter((s) => s.result.coldSpot)
    .sort((a, b) => (b.disadvantagePct ?? 0) - (a.disadvantagePct ?? 0) || a.urn - b.urn)
    .slice(0, COLD_SCHOOLS_SHOWN)
    .map((s) => {
      const help = areas.whoCouldHelp(c, s);
      return {
        urn: s.urn,
        name: s.name,
        disadvantage: s.disadvantagePct == null ? '' : `${s.disadvantagePct.toFixed(1)}%`,
        offers: help.offers.map((o) => ({ id: o.offer.id, title: o.offer.title, organisation: o.offer.organisationName, mode: o.offer.mode, places: o.offer.placesLeft, distance: o.distanceKm == null ? 'remote' : `${o.distanceKm.toFixed(0)} km` })),
        brightSpots: help.brightSpots.map((b) => ({ ...b, distance: b.distanceKm == null ? '' : `${b.distanceKm.toFixed(0)} km` })),
      };
    });
}

function mapPoints(schools: readonly AreaSchool[]): string {
  return JSON.stringify(
    schools.flatMap((s) => {
      const ll = bngToWgs84(s.easting, s.northing);
      return ll ? [{ u: s.urn, n: s.name, la: ll.latitude, lo: ll.longitude, c: s.result.coldSpot ? 1 : 0, a: s.activeCollaborations > 0 ? 1 : 0 }] : [];
    }),
  );
}

function mostCommon(values: readonly (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

/** The region most of an area's schools are in (areas cross no region boundary, but their schools' records may). */
function regionMajority(c: Computed, a: AreaResult): string | undefined {
  let cached = regionCache.get(c);
  if (!cached) {
    cached = new Map();
    const votes = new Map<string, Map<string, number>>();
    for (const s of c.schools.values()) {
      if (!s.areas.region) continue;
      for (const level of ['la', 'district'] as const) {
        const code = s.areas[level];
        if (!code) continue;
        const k = `${level}:${code}`;
        let m = votes.get(k);
        if (!m) votes.set(k, (m = new Map()));
        m.set(s.areas.region, (m.get(s.areas.region) ?? 0) + 1);
      }
    }
    for (const [k, m] of votes) cached.set(k, [...m.entries()].sort((x, y) => y[1] - x[1])[0]![0]);
    regionCache.set(c, cached);
  }
  return cached.get(`${a.level}:${a.code}`);
}
const regionCache = new WeakMap<Computed, Map<string, string>>();

function round(x: number | null | undefined, digits: number): number | null {
  if (x == null) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

const yesNo = (b: boolean | null) => (b === null ? '' : b ? 'yes' : 'no');

function csv(reply: FastifyReply, filename: string, rows: unknown[][]) {
  return reply.header('content-disposition', `attachment; filename="${filename}"`).type('text/csv; charset=utf-8').send(toCsv(rows));
}

