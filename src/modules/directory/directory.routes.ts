import { canonicalCode } from '../../domain/areas/codes';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { PHASES, REGIONS, STATUSES, TYPE_GROUPS } from '../../domain/schools/gias-codes';
import type { AreaSeries, OutcomeSeries } from '../../domain/measures/outcomes';
import type { SchoolSummary } from '../../db/repositories/establishment.repository';
import { renderChart, type RenderedChart } from '../../web/charts';
import { toCsv } from '../../web/csv';
import { queryString } from '../../web/query-string';
import { LocalAuthorityParams, PAGE_SIZE, SchoolSearchQuery, TrustParams, UrnParams } from './directory.schema';
import { KEY_MEASURES } from './directory.service';

/** Pages of the directory: search, school, trust and local authority. All public, all work without JavaScript. */
export async function directoryRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const directory = app.services.directory;

  r.get('/', { config: { pageCache: true }, schema: { hide: true } }, async (request, reply) => {
    const parsed = SchoolSearchQuery.safeParse(request.query);
    const raw = request.query as Record<string, unknown>;
    const localAuthorities = await directory.localAuthorities();
    const options = { phases: PHASES, typeGroups: TYPE_GROUPS, regions: REGIONS, statuses: STATUSES, localAuthorities };
    if (!parsed.success) {
      const errors = parsed.error.issues.map((i) => ({ text: i.message, href: `#${String(i.path[0] ?? 'q')}` }));
      const fieldErrors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? 'q'), { text: i.message }]));
      return reply.status(400).page('directory/views/search.njk', {
        title: 'Error: Find a school',
        errors,
        fieldErrors,
        query: { q: typeof raw.q === 'string' ? raw.q : '', status: 'open' },
        options,
      });
    }
    const query = parsed.data;
    const searched = query.q !== '' || query.phase.length + query.typeGroup.length + query.la.length + query.region.length > 0 || 'status' in raw;
    const result = searched ? await directory.search(query) : null;
    const pages = result ? Math.ceil(result.total / PAGE_SIZE) : 0;
    return reply.page('directory/views/search.njk', {
      title: searched ? `Schools matching your search (page ${query.page})` : 'Find a school',
      query,
      options,
      result,
      searched,
      pagination: result ? pagination(query, pages) : null,
      csvHref: `/schools.csv${queryString({ ...query, page: undefined })}`,
    });
  });

  r.get('/schools.csv', { config: { pageCache: true }, schema: { querystring: SchoolSearchQuery, hide: true } }, async (request, reply) => {
    const result = await directory.searchAll(request.query);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="trellis-schools.csv"')
      .send(schoolsCsv(result.rows));
  });

  r.get('/schools/:urn', { config: { pageCache: true }, schema: { params: UrnParams, hide: true } }, async (request, reply) => {
    const profile = await directory.school(request.params.urn);
    const { school } = profile;
    return reply.page('directory/views/school.njk', {
      title: school.name,
      breadcrumbs: [
        { text: 'Find a school', href: '/' },
        ...(school.gssLaCode ? [{ text: school.laName, href: `/areas/${canonicalCode(school.gssLaCode)}` }] : school.laCode ? [{ text: school.laName, href: `/local-authorities/${school.laCode}` }] : []),
        { text: school.name },
      ],
      ...profile,
      outcomes: profile.outcomes.map((s) => ({ ...s, chart: outcomeChart(s, school.laName ?? 'Local authority') })),
    });
  });

  r.get('/trusts/:id', { config: { pageCache: true }, schema: { params: TrustParams, hide: true } }, async (request, reply) => {
    const profile = await directory.trust(request.params.id);
    return reply.page('directory/views/trust.njk', {
      title: profile.trust.name,
      breadcrumbs: [{ text: 'Find a school', href: '/' }, { text: profile.trust.name }],
      keyMeasures: KEY_MEASURES,
      ...profile,
    });
  });

}

function outcomeChart(series: OutcomeSeries, laName: string): RenderedChart | null {
  const names = ['This school', laName, 'England'];
  const points = series.rows.flatMap((row) =>
    [row.school, row.la, row.england].flatMap((cell, i) => (cell.value === null ? [] : [{ x: row.yearLabel, series: names[i]!, value: cell.value }])),
  );
  if (!points.some((p) => p.series === 'This school')) return null;
  return renderChart({
    title: `${series.measure.label}: this school, ${laName} and England, ${series.rows.map((r) => r.yearLabel).join(', ')}. The table below gives the figures.`,
    yLabel: series.measure.shortLabel,
    points,
    seriesOrder: names.filter((n) => points.some((p) => p.series === n)),
    zero: series.measure.unit === 'percent',
  });
}


interface PaginationItem {
  number?: number;
  href?: string;
  current?: boolean;
  ellipsis?: boolean;
}

/** Items for govukPagination: first, last, current ±1, with ellipses. */
function pagination(query: SchoolSearchQuery, pages: number) {
  if (pages <= 1) return null;
  const href = (page: number) => `/${queryString({ ...query, page: page === 1 ? undefined : page })}`;
  const wanted = new Set([1, pages, query.page - 1, query.page, query.page + 1].filter((p) => p >= 1 && p <= pages));
  const items: PaginationItem[] = [];
  let last = 0;
  for (const page of [...wanted].sort((a, b) => a - b)) {
    if (page - last > 1) items.push({ ellipsis: true });
    items.push({ number: page, href: href(page), current: page === query.page });
    last = page;
  }
  return {
    items,
    previous: query.page > 1 ? { href: href(query.page - 1) } : undefined,
    next: query.page < pages ? { href: href(query.page + 1) } : undefined,
  };
}

export const SCHOOL_CSV_COLUMNS: [string, (s: SchoolSummary) => unknown][] = [
  ['URN', (s) => s.urn],
  ['LAESTAB', (s) => s.laestab],
  ['Name', (s) => s.name],
  ['Town', (s) => s.town],
  ['Postcode', (s) => s.postcode],
  ['Phase', (s) => s.phaseName],
  ['Type', (s) => s.typeName],
  ['Type group', (s) => s.typeGroupName],
  ['Status', (s) => s.statusName],
  ['LA code', (s) => s.laCode],
  ['Local authority', (s) => s.laName],
  ['Region', (s) => s.regionName],
  ['Trust UID', (s) => s.trustUid],
  ['Trust', (s) => s.trustName],
  ['Pupils', (s) => s.pupils],
  ['Capacity', (s) => s.capacity],
  ['Lowest age', (s) => s.statutoryLowAge],
  ['Highest age', (s) => s.statutoryHighAge],
];

export function schoolsCsv(rows: readonly SchoolSummary[]): string {
  return toCsv([SCHOOL_CSV_COLUMNS.map(([h]) => h), ...rows.map((s) => SCHOOL_CSV_COLUMNS.map(([, get]) => get(s)))]);
}
