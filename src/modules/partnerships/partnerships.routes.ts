import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ORGANISATION_KINDS, organisationKindLabel } from '../../domain/accounts/organisation-kinds';
import { bngToWgs84 } from '../../domain/geo/british-national-grid';
import { formatMeasureValue, measureByCode } from '../../domain/measures/catalogue';
import { ACTIVITY_KINDS, activityKindLabel, BENEFIT_KINDS, benefitKindLabel, MEMBER_ROLES, memberRoleLabel, PARTNERSHIP_TYPES, partnershipTypeLabel, STAGES, stageLabel } from '../../domain/partnerships/catalogue';
import { THEMES, themeLabel } from '../../domain/practice/themes';
import { formatAcademicYear } from '../../domain/schools/years';
import type { ModelId } from '../../domain/similarity/models';
import { toCsv } from '../../web/csv';
import { SignInRequiredError } from '../../web/errors';
import { handleForm, zodFieldErrors } from '../../web/forms';
import { ActivityForm, AimForm, BenefitForm, DirectoryQuery, IdParams, MemberForm, ModelQuery, PartnershipForm, StageForm } from './partnerships.schema';
import type { AimImpact } from './partnerships.service';

const hide = { hide: true } as const;
const crumbs = (...more: { text: string; href?: string }[]) => [{ text: 'Partnerships', href: '/partnerships' }, ...more];
const labels = { partnershipTypeLabel, stageLabel, memberRoleLabel, activityKindLabel, benefitKindLabel, themeLabel, kindLabel: organisationKindLabel, academicYear: formatAcademicYear };
const options = { types: PARTNERSHIP_TYPES, stages: STAGES, roles: MEMBER_ROLES, activityKinds: ACTIVITY_KINDS, benefitKinds: BENEFIT_KINDS, themes: THEMES, organisationKinds: ORGANISATION_KINDS.filter((k) => !['school', 'trust'].includes(k.value)) };

/** A change or value in the measure's unit, signed: "+1.2", "−0.8 points". */
function signed(value: number | null, measure: string, withUnit = false): string {
  if (value === null) return '–';
  const def = measureByCode(measure)!;
  const text = `${value > 0 ? '+' : value < 0 ? '−' : ''}${Math.abs(value).toFixed(def.decimals)}`;
  return withUnit && def.unit === 'percent' ? `${text} points` : text;
}

/** The API's impact shape (the contract in the issue), from the service's results. */
const impactJson = (model: string | null, aims: AimImpact[]) => ({
  model: model ?? 'default',
  members: aims.map((a) => ({
    urn: a.urn,
    measure: a.measure,
    model: a.model,
    baselineYear: a.baselineYear,
    recordedAfterwards: a.recordedAfterwards,
    baselineValue: a.impact.baselineValue,
    status: a.impact.status,
    years: a.impact.years.map((y) => ({ year: y.year, value: y.value, change: y.change, familyMedianChange: y.familyMedianChange, familyQ1Change: y.familyQ1Change, familyQ3Change: y.familyQ3Change, adjustedChange: y.adjustedChange })),
    flags: a.impact.flags,
  })),
});

const ImpactJson = z.object({
  model: z.string(),
  members: z.array(
    z.object({
      urn: z.number(),
      measure: z.string(),
      model: z.string().nullable(),
      baselineYear: z.number(),
      recordedAfterwards: z.boolean(),
      baselineValue: z.number().nullable(),
      status: z.string(),
      years: z.array(z.object({ year: z.number(), value: z.number().nullable(), change: z.number().nullable(), familyMedianChange: z.number().nullable(), familyQ1Change: z.number().nullable(), familyQ3Change: z.number().nullable(), adjustedChange: z.number().nullable() })),
      flags: z.array(z.string()),
    }),
  ),
});

/** Partnerships: directory, pages, forms, the annual report, exports and API. */
export async function partnershipRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const partnerships = app.services.partnerships;

  const directoryPage = async (request: FastifyRequest, reply: FastifyReply, format: 'html' | 'csv') => {
    const parsed = DirectoryQuery.safeParse(request.query);
    const query = parsed.success ? parsed.data : {};
    const list = await partnerships.directory(request.actor, { q: query.q, type: query.type, stage: query.stage, theme: query.theme, laCode: query.la });
    if (format === 'csv') {
      const header = ['id', 'name', 'type', 'stage', 'themes', 'members', 'areas', 'started_on', 'visibility', 'demonstration'];
      return reply
        .header('content-disposition', 'attachment; filename="trellis-partnerships.csv"')
        .type('text/csv; charset=utf-8')
        .send(toCsv([header, ...list.map((p) => [p.id, p.name, p.type, p.stage, p.themes.join(' '), p.memberCount, p.areas.join('; '), p.startedOn, p.visibility, p.demonstration ? 'yes' : 'no'])]));
    }
    return reply.status(parsed.success ? 200 : 400).page('partnerships/views/index.njk', {
      title: parsed.success ? 'Partnerships' : 'Error: Partnerships',
      errors: parsed.success ? null : zodFieldErrors(parsed.error).map((e) => ({ text: e.message, href: `#${e.field}` })),
      partnerships: list,
      query,
      options,
      las: await app.services.directory.localAuthorities(),
      ...labels,
    });
  };

  r.get('/partnerships', { schema: hide }, async (request, reply) => directoryPage(request, reply, 'html'));
  r.get('/partnerships.csv', { schema: hide }, async (request, reply) => directoryPage(request, reply, 'csv'));

  const newPage = (request: FastifyRequest) => ({
    template: 'partnerships/views/new.njk',
    context: { title: 'Start a partnership', organisations: request.currentUser?.memberships ?? [], options, breadcrumbs: crumbs({ text: 'Start a partnership' }) },
  });

  r.get('/partnerships/new', { schema: hide }, async (request, reply) => {
    if (!request.currentUser) throw new SignInRequiredError();
    const page = newPage(request);
    return reply.page(page.template, { ...page.context, values: { leadOrganisationId: request.currentUser.activeOrganisationId, visibility: 'public', startedOn: new Date().toISOString().slice(0, 10) } });
  });

  r.post('/partnerships', { schema: hide }, async (request, reply) => {
    if (!request.currentUser) throw new SignInRequiredError();
    return handleForm(reply, newPage(request), PartnershipForm, request.body, async (form) => {
      const id = await partnerships.create(request.actor, form);
      return reply.redirect(`/partnerships/${id}`, 303);
    });
  });

  /** The partnership page's context: everything it shows, the forms' choices and the impact table. */
  const showPage = async (request: FastifyRequest, id: string, model?: ModelId) => {
    const view = await partnerships.page(request.actor, id, model);
    const organisations = view.canManage ? await app.services.brokerage.repo.organisationChoices() : [];
    return {
      template: 'partnerships/views/show.njk',
      context: {
        title: view.partnership.name,
        ...view,
        organisations,
        options,
        ...labels,
        signed,
        mapPoints: JSON.stringify(
          view.members
            .map((m) => ({ n: m.name, ll: m.latitude != null && m.longitude != null ? { latitude: m.latitude, longitude: m.longitude } : bngToWgs84(m.easting, m.northing) }))
            .filter((m) => m.ll)
            .map((m) => ({ n: m.n, la: m.ll!.latitude, lo: m.ll!.longitude })),
        ),
        display: (v: number | null, measure: string) => (v === null ? 'No data' : formatMeasureValue(measureByCode(measure)!, v)),
        breadcrumbs: crumbs({ text: view.partnership.name }),
      },
    };
  };

  r.get('/partnerships/:id', { schema: { ...hide, params: IdParams, querystring: ModelQuery } }, async (request, reply) => {
    const page = await showPage(request, request.params.id, request.query.model as ModelId | undefined);
    return reply.page(page.template, { ...page.context, values: {} });
  });

  r.get('/partnerships/:id/report', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const page = await showPage(request, request.params.id);
    const year = new Date().getFullYear();
    return reply.page('partnerships/views/report.njk', { ...page.context, title: `Annual impact report: ${page.context.partnership.name}`, year, printedOn: new Date().toISOString().slice(0, 10) });
  });

  r.get('/partnerships/:id/impact.csv', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const { aims } = await partnerships.impact(request.actor, request.params.id);
    const header = ['urn', 'school', 'measure', 'model', 'baseline_year', 'recorded_afterwards', 'year', 'value', 'change', 'family_median_change', 'family_q1_change', 'family_q3_change', 'adjusted_change', 'flags'];
    const rows = aims.flatMap((a) => a.impact.years.map((y) => [a.urn, a.schoolName, a.measure, a.model, formatAcademicYear(a.baselineYear), a.recordedAfterwards ? 'yes' : 'no', formatAcademicYear(y.year), y.value, y.change, y.familyMedianChange, y.familyQ1Change, y.familyQ3Change, y.adjustedChange, a.impact.flags.join(' ')]));
    return reply.header('content-disposition', 'attachment; filename="trellis-partnership-impact.csv"').type('text/csv; charset=utf-8').send(toCsv([header, ...rows]));
  });

  // Forms on the partnership page: a validation error re-renders the page with the error summary.
  const form = <S extends z.ZodType>(path: string, schema: S, work: (request: FastifyRequest, id: string, data: z.output<S>) => Promise<void>, anchor: string) =>
    r.post(path, { schema: { ...hide, params: IdParams } }, async (request, reply) => {
      if (!request.currentUser) throw new SignInRequiredError();
      const page = await showPage(request, request.params.id);
      return handleForm(reply, page, schema, request.body, async (data) => {
        await work(request, request.params.id, data);
        return reply.redirect(`/partnerships/${request.params.id}#${anchor}`, 303);
      });
    });

  form('/partnerships/:id/members', MemberForm, (request, id, data) => partnerships.addMember(request.actor, id, data), 'section-members');
  form('/partnerships/:id/stage', StageForm, (request, id, data) => partnerships.moveStage(request.actor, id, data), 'section-stage');
  form('/partnerships/:id/aims', AimForm, (request, id, data) => partnerships.addAim(request.actor, id, data), 'section-impact');
  form('/partnerships/:id/activities', ActivityForm, (request, id, data) => partnerships.addActivity(request.actor, id, data), 'section-activities');
  form('/partnerships/:id/benefits', BenefitForm, (request, id, data) => partnerships.addBenefit(request.actor, id, data), 'section-benefits');

  // API

  r.get(
    '/api/v1/partnerships',
    { schema: { tags: ['partnerships'], summary: 'Partnerships', description: 'Public partnerships (and, for a signed-in caller, private ones their organisations belong to). Filters: q, type, stage, theme, la.', querystring: DirectoryQuery } },
    async (request) => ({
      partnerships: (await partnerships.directory(request.actor, { q: request.query.q, type: request.query.type, stage: request.query.stage, theme: request.query.theme, laCode: request.query.la })).map((p) => ({
        id: p.id,
        name: p.name,
        purpose: p.purpose,
        type: p.type,
        stage: p.stage,
        themes: p.themes,
        startedOn: p.startedOn,
        members: p.memberCount,
        areas: p.areas,
        visibility: p.visibility,
        demonstration: p.demonstration,
      })),
    }),
  );

  r.get(
    '/api/v1/partnerships/:id/impact',
    {
      schema: {
        tags: ['partnerships'],
        summary: 'Impact of a partnership against its schools’ families',
        description:
          'For each member school and aim measure: the change from the baseline year to each later year, the same change for the school’s family (median and quartiles) and the difference (family-adjusted change), with flags. Computed from the same family and measure values as /api/v1/schools/:urn/family and /api/v1/schools/:urn. See docs/partnerships.md.',
        params: IdParams,
        querystring: ModelQuery,
        response: { 200: ImpactJson },
      },
    },
    async (request) => {
      const result = await partnerships.impact(request.actor, request.params.id, request.query.model as ModelId | undefined);
      return impactJson(result.model, result.aims);
    },
  );
}
