import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MEASURES } from '../../domain/measures/catalogue';
import type { Cell } from '../../domain/measures/outcomes';
import { LocalAuthorityParams, PAGE_SIZE, SchoolSearchQuery, TrustParams, UrnParams } from '../directory/directory.schema';
import { schoolsCsv } from '../directory/directory.routes';
import type { SchoolWithFigures } from '../directory/directory.service';
import {
  ErrorResponse,
  LocalAuthorityResponse,
  LocalAuthoritySchema,
  MeasureSchema,
  SchoolResponse,
  SchoolSearchResponse,
  TrustResponse,
} from './api.schema';

const cell = (c: Cell) => ({ value: c.value, status: c.missing ? c.display : null });

const figures = (schools: SchoolWithFigures[]) =>
  schools.map(({ figures: f, ...s }) => ({
    ...s,
    figures: f.map((k) => ({ measure: k.measure.code, value: k.cell.value, status: k.cell.missing ? k.cell.display : null, year: k.yearLabel ? Number(k.yearLabel.slice(0, 4)) : null })),
  }));

/** The public JSON API, version 1. Schemas here generate the OpenAPI document at /api/docs. */
export async function apiRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const directory = app.services.directory;
  const errors = { 400: ErrorResponse, 404: ErrorResponse };

  r.get(
    '/schools',
    {
      config: { pageCache: true },
      schema: {
        tags: ['schools'],
        summary: 'Search schools',
        description: 'By name (typo-tolerant), URN, LAESTAB, postcode or town, with filters. Paginated, 20 a page.',
        querystring: SchoolSearchQuery,
        response: { 200: SchoolSearchResponse, ...errors },
      },
    },
    async (request) => {
      const result = await directory.search(request.query);
      return { total: result.total, page: request.query.page, pageSize: PAGE_SIZE, schools: result.rows };
    },
  );

  r.get(
    '/schools.csv',
    {
      config: { pageCache: true },
      schema: {
        tags: ['schools'],
        summary: 'Download a school search as CSV',
        description: 'Every school matching the search (all pages), one row each, as CSV (UTF-8 with BOM).',
        querystring: SchoolSearchQuery,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const result = await directory.searchAll(request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="trellis-schools.csv"')
        .send(schoolsCsv(result.rows));
    },
  );

  r.get(
    '/schools/:urn',
    {
      config: { pageCache: true },
      schema: {
        tags: ['schools'],
        summary: 'A school: GIAS details, links and outcomes against its LA and England',
        params: UrnParams,
        response: { 200: SchoolResponse, ...errors },
      },
    },
    async (request) => {
      const profile = await directory.school(request.params.urn);
      return {
        school: profile.school,
        trust: profile.trust ? { uid: profile.trust.uid, name: profile.trust.name, typeName: profile.trust.typeName } : null,
        links: profile.links.map((l) => ({ linkedUrn: l.linkedUrn, linkName: l.linkName, linkType: l.linkType, establishedDate: l.establishedDate })),
        outcomes: profile.outcomes.map((s) => ({
          measure: s.measure.code,
          label: s.measure.label,
          source: s.measure.source,
          comparison: s.comparison,
          years: s.rows.map((row) => ({ year: row.year, yearLabel: row.yearLabel, school: cell(row.school), la: cell(row.la), england: cell(row.england) })),
        })),
      };
    },
  );

  r.get(
    '/trusts/:id',
    {
      config: { pageCache: true },
      schema: {
        tags: ['trusts'],
        summary: 'A trust and its schools with their latest key figures',
        params: TrustParams,
        response: { 200: TrustResponse, ...errors },
      },
    },
    async (request) => {
      const profile = await directory.trust(request.params.id);
      return { trust: profile.trust, pupils: profile.pupils, schools: figures(profile.schools) };
    },
  );

  r.get(
    '/local-authorities',
    {
      config: { pageCache: true },
      schema: {
        tags: ['local-authorities'],
        summary: 'Every local authority with schools in Trellis',
        response: { 200: z.object({ localAuthorities: z.array(LocalAuthoritySchema) }) },
      },
    },
    async () => ({ localAuthorities: await directory.localAuthorities() }),
  );

  r.get(
    '/local-authorities/:code',
    {
      config: { pageCache: true },
      schema: {
        tags: ['local-authorities'],
        summary: "A local authority: its figures against England and its schools' latest key figures",
        params: LocalAuthorityParams,
        response: { 200: LocalAuthorityResponse, ...errors },
      },
    },
    async (request) => {
      const profile = await directory.localAuthority(request.params.code);
      return {
        localAuthority: profile.la,
        outcomes: profile.outcomes.map((s) => ({
          measure: s.measure.code,
          label: s.measure.label,
          breakdown: s.breakdown,
          source: s.measure.source,
          years: s.rows.map((row) => ({ year: row.year, yearLabel: row.yearLabel, la: cell(row.area), england: cell(row.england) })),
        })),
        schools: figures(profile.schools),
      };
    },
  );

  r.get(
    '/measures',
    {
      config: { pageCache: true },
      schema: {
        tags: ['measures'],
        summary: 'The measure catalogue: code, label, unit, which way is better, source',
        response: { 200: z.object({ measures: z.array(MeasureSchema) }) },
      },
    },
    async () => ({ measures: [...MEASURES] }),
  );
}
