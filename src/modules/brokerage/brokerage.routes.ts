import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { organisationKindLabel } from '../../domain/accounts/organisation-kinds';
import {
  COSTS,
  costLabel,
  DECLINE_REASONS,
  declineReasonLabel,
  DELIVERY_MODES,
  deliveryModeLabel,
  HELP_KINDS,
  helpKindLabel,
  NEED_VISIBILITIES,
  needVisibilityLabel,
  OFFER_VISIBILITIES,
  offerVisibilityLabel,
  REVIEW_RATINGS,
  reviewRatingLabel,
  URGENCIES,
  urgencyLabel,
} from '../../domain/brokerage/catalogue';
import { WEIGHTS } from '../../domain/brokerage/matching';
import { MEASURES, measureByCode } from '../../domain/measures/catalogue';
import { PHASES_FOR_PRACTICE, THEMES, themeLabel } from '../../domain/practice/themes';
import { PRESET_MODELS, type ModelId } from '../../domain/similarity/models';
import type { Need, Offer, Support } from '../../db/repositories/brokerage.repository';
import { toCsv } from '../../web/csv';
import { BadRequestError, ForbiddenError, SignInRequiredError } from '../../web/errors';
import { handleForm, zodFieldErrors } from '../../web/forms';
import { AcceptForm, CloseForm, DeclineForm, IdParams, IntroductionForm, ListQuery, MatchQuery, NeedForm, OfferForm, ReviewForm } from './brokerage.schema';
import type { MatchList } from './brokerage.service';

const hide = { hide: true } as const;
const WEIGHTS_TEXT = Object.entries(WEIGHTS).map(([part, weight]) => ({ part, weight }));
const crumbs = (...more: { text: string; href?: string }[]) => [{ text: 'Support', href: '/support' }, ...more];

const labels = {
  themeLabel,
  helpKindLabel,
  urgencyLabel,
  needVisibilityLabel,
  offerVisibilityLabel,
  deliveryModeLabel,
  costLabel,
  declineReasonLabel,
  reviewRatingLabel,
  kindLabel: organisationKindLabel,
  measureLabel: (code: string) => measureByCode(code)?.label ?? code,
};

const options = { themes: THEMES, phases: PHASES_FOR_PRACTICE, kinds: HELP_KINDS, urgencies: URGENCIES, needVisibilities: NEED_VISIBILITIES, offerVisibilities: OFFER_VISIBILITIES, modes: DELIVERY_MODES, costs: COSTS, declineReasons: DECLINE_REASONS, ratings: REVIEW_RATINGS, measures: MEASURES };

const filterOf = (q: z.output<typeof ListQuery>) => ({ theme: q.theme, kind: q.kind, phase: q.phase, laCode: q.la });

function requireUser(request: FastifyRequest) {
  const user = request.currentUser;
  if (!user) throw new SignInRequiredError();
  return user;
}

/** Public JSON shapes of the API: no contact details, no creator ids. */
export const needJson = (n: Need) => ({
  id: n.id,
  organisation: { id: n.organisationId, name: n.organisationName, kind: n.organisationKind, urn: n.urn },
  title: n.title,
  description: n.description,
  theme: n.theme,
  measures: n.measures,
  phase: n.phase,
  kinds: n.kinds,
  timeFrame: n.timeFrame,
  urgency: n.urgency,
  visibility: n.visibility,
  status: n.status,
  laCode: n.laCode,
  demonstration: n.demonstration,
  createdAt: n.createdAt.toISOString(),
});

export const offerJson = (o: Offer) => ({
  id: o.id,
  organisation: { id: o.organisationId, name: o.organisationName, kind: o.organisationKind, urn: o.urn, designations: o.designations },
  title: o.title,
  description: o.description,
  themes: o.themes,
  kinds: o.kinds,
  phases: o.phases,
  capacity: o.capacity,
  placesLeft: o.placesLeft,
  mode: o.mode,
  radiusKm: o.radiusKm,
  cost: o.cost,
  visibility: o.visibility,
  status: o.status,
  laCode: o.laCode,
  demonstration: o.demonstration,
  createdAt: o.createdAt.toISOString(),
});

const matchesJson = (list: MatchList) => ({
  model: list.model,
  note: list.modelNote,
  matches: list.matches.map(({ match, offer, need }) => ({
    id: offer ? offer.id : need!.id,
    organisation: offer ? offer.organisationName : need!.organisationName,
    title: offer ? offer.title : need!.title,
    score: Math.round(match.score * 100) / 100,
    parts: match.parts,
    reasons: match.reasons,
  })),
});

const MatchJson = z.object({
  model: z.object({ id: z.string(), label: z.string() }).nullable(),
  note: z.string().nullable(),
  matches: z.array(
    z.object({
      id: z.string(),
      organisation: z.string(),
      title: z.string(),
      score: z.number(),
      parts: z.object({ theme: z.number(), kind: z.number(), similarity: z.number().nullable(), evidence: z.number(), distance: z.number(), distanceKm: z.number().nullable(), capacity: z.number(), placesLeft: z.number(), phase: z.number() }),
      reasons: z.array(z.string()),
    }),
  ),
});

function csvReply(reply: FastifyReply, name: string, header: string[], rows: (string | number | null)[][]) {
  return reply.header('content-disposition', `attachment; filename="${name}"`).type('text/csv; charset=utf-8').send(toCsv([header, ...rows]));
}

/** Brokered support: needs, offers, matches, introductions, agreed supports, the facilitator view, inbox, exports and API. */
export async function brokerageRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const brokerage = app.services.brokerage;

  r.get('/support', { schema: hide }, async (request, reply) => {
    const parsed = ListQuery.safeParse(request.query);
    const query = parsed.success ? parsed.data : {};
    const filter = filterOf(query as z.output<typeof ListQuery>);
    const [needs, offers] = await Promise.all([brokerage.needs(request.actor, filter), brokerage.offers(request.actor, filter)]);
    return reply.status(parsed.success ? 200 : 400).page('brokerage/views/index.njk', {
      title: parsed.success ? 'Support: needs and offers' : 'Error: Support: needs and offers',
      errors: parsed.success ? null : zodFieldErrors(parsed.error).map((e) => ({ text: e.message, href: `#${e.field}` })),
      needs,
      offers,
      query,
      options,
      las: await app.services.directory.localAuthorities(),
      ...labels,
    });
  });

  r.get('/support/mine', { schema: hide }, async (request, reply) => {
    const user = requireUser(request);
    const orgs = user.memberships.map((m) => m.organisation.id);
    const [needs, offers, introductions, supports] = await Promise.all([
      Promise.all(orgs.map((id) => brokerage.needs(request.actor, { organisationId: id, status: 'all' }))).then((x) => x.flat()),
      Promise.all(orgs.map((id) => brokerage.offers(request.actor, { organisationId: id, status: 'all' }))).then((x) => x.flat()),
      brokerage.introductionsFor(request.actor),
      brokerage.supportsFor(request.actor),
    ]);
    return reply.page('brokerage/views/mine.njk', { title: 'Your needs, offers and supports', needs, offers, introductions, supports, ...labels, breadcrumbs: crumbs({ text: 'Yours' }) });
  });

  // Needs

  const needPage = async (request: FastifyRequest, measures: unknown) => ({
    template: 'brokerage/views/need-form.njk',
    context: { title: 'Ask for support', action: '/support/needs', organisations: requireUser(request).memberships, options, measuresWithData: measures, allOrganisations: await brokerage.repo.organisationChoices(), breadcrumbs: crumbs({ text: 'Ask for support' }) },
  });

  r.get('/support/needs/new', { schema: hide }, async (request, reply) => {
    const user = requireUser(request);
    const active = user.memberships.find((m) => m.organisation.id === user.activeOrganisationId) ?? user.memberships[0];
    const page = await needPage(request, await brokerage.measuresWithData(active?.organisation.urn ?? null));
    const phase = active?.organisation.urn ? await brokerage.phaseOf(active.organisation.urn) : undefined;
    return reply.page(page.template, { ...page.context, values: { organisationId: active?.organisation.id, visibility: 'facilitators', urgency: 'medium', phase } });
  });

  r.post('/support/needs', { schema: hide }, async (request, reply) => {
    const user = requireUser(request);
    const orgId = (request.body as { organisationId?: string } | undefined)?.organisationId;
    const org = user.memberships.find((m) => m.organisation.id === orgId)?.organisation;
    const page = await needPage(request, await brokerage.measuresWithData(org?.urn ?? null));
    return handleForm(reply, page, NeedForm, request.body, async (form) => {
      const id = await brokerage.createNeed(request.actor, form);
      return reply.redirect(`/support/needs/${id}`, 303);
    });
  });

  r.get('/support/needs.csv', { schema: hide }, async (request, reply) => {
    const needs = await brokerage.needs(request.actor, { status: 'all' });
    return csvReply(
      reply,
      'trellis-needs.csv',
      ['id', 'organisation', 'kind', 'urn', 'la_code', 'title', 'theme', 'measures', 'phase', 'kinds', 'time_frame', 'urgency', 'visibility', 'status', 'demonstration', 'created_at'],
      needs.map((n) => [n.id, n.organisationName, n.organisationKind, n.urn, n.laCode, n.title, n.theme, n.measures.join(' '), n.phase, n.kinds.join(' '), n.timeFrame, n.urgency, n.visibility, n.status, n.demonstration ? 'yes' : 'no', n.createdAt.toISOString()]),
    );
  });

  r.get('/support/needs/:id', { schema: { ...hide, params: IdParams, querystring: MatchQuery } }, async (request, reply) => {
    const need = await brokerage.readNeed(request.actor, request.params.id);
    const seesMatches = brokerage.canSeeNeedMatches(request.actor, need);
    const list = seesMatches ? await brokerage.matchesForNeed(request.actor, need.id, request.query.model as ModelId | undefined) : null;
    const couldHelp = await brokerage.couldHelp(request.actor, need);
    const measures = await brokerage.measuresWithData(need.urn);
    return reply.page('brokerage/views/need.njk', {
      title: need.title,
      need,
      list,
      couldHelp,
      measures: measures.filter((m) => need.measures.includes(m.code)),
      canManage: brokerage.canManageNeed(request.actor, need),
      models: Object.values(PRESET_MODELS),
      weights: WEIGHTS_TEXT,
      ...labels,
      breadcrumbs: crumbs({ text: need.title }),
    });
  });

  const editNeedPage = async (request: FastifyRequest, need: Need) => {
    const page = await needPage(request, await brokerage.measuresWithData(need.organisationKind === 'school' ? need.urn : null));
    return { template: page.template, context: { ...page.context, title: 'Change the need', action: `/support/needs/${need.id}`, editing: true, breadcrumbs: crumbs({ text: need.title, href: `/support/needs/${need.id}` }, { text: 'Change' }) } };
  };

  r.get('/support/needs/:id/edit', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    requireUser(request);
    const need = await brokerage.readNeed(request.actor, request.params.id);
    if (!brokerage.canManageNeed(request.actor, need)) throw new ForbiddenError('Only members of the organisation that posted this need can change it.');
    const page = await editNeedPage(request, need);
    return reply.page(page.template, { ...page.context, values: need });
  });

  r.post('/support/needs/:id', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    requireUser(request);
    const need = await brokerage.readNeed(request.actor, request.params.id);
    const page = await editNeedPage(request, need);
    return handleForm(reply, page, NeedForm, { ...(request.body as object), organisationId: need.organisationId }, async (form) => {
      await brokerage.updateNeed(request.actor, need.id, form);
      return reply.redirect(`/support/needs/${need.id}`, 303);
    });
  });

  r.post('/support/needs/:id/close', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    requireUser(request);
    await brokerage.closeNeed(request.actor, request.params.id);
    return reply.redirect(`/support/needs/${request.params.id}`, 303);
  });

  // Offers

  const offerPage = (request: FastifyRequest) => ({
    template: 'brokerage/views/offer-form.njk',
    context: { title: 'Offer support', action: '/support/offers', organisations: requireUser(request).memberships, options, breadcrumbs: crumbs({ text: 'Offer support' }) },
  });

  r.get('/support/offers/new', { schema: hide }, async (request, reply) => {
    const user = requireUser(request);
    const page = offerPage(request);
    return reply.page(page.template, { ...page.context, values: { organisationId: user.activeOrganisationId, visibility: 'public', cost: 'free', mode: 'in-person', radiusKm: '10', capacity: '2' } });
  });

  r.post('/support/offers', { schema: hide }, async (request, reply) => {
    requireUser(request);
    return handleForm(reply, offerPage(request), OfferForm, request.body, async (form) => {
      const id = await brokerage.createOffer(request.actor, form);
      return reply.redirect(`/support/offers/${id}`, 303);
    });
  });

  r.get('/support/offers.csv', { schema: hide }, async (request, reply) => {
    const offers = await brokerage.offers(request.actor, { status: 'all' });
    return csvReply(
      reply,
      'trellis-offers.csv',
      ['id', 'organisation', 'kind', 'urn', 'la_code', 'title', 'themes', 'kinds', 'phases', 'capacity', 'places_left', 'mode', 'radius_km', 'cost', 'visibility', 'status', 'demonstration', 'created_at'],
      offers.map((o) => [o.id, o.organisationName, o.organisationKind, o.urn, o.laCode, o.title, o.themes.join(' '), o.kinds.join(' '), o.phases.join(' '), o.capacity, o.placesLeft, o.mode, o.radiusKm, o.cost, o.visibility, o.status, o.demonstration ? 'yes' : 'no', o.createdAt.toISOString()]),
    );
  });

  r.get('/support/offers/:id', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const offer = await brokerage.readOffer(request.actor, request.params.id);
    const list = brokerage.canSeeOfferMatches(request.actor, offer) ? await brokerage.matchesForOffer(request.actor, offer.id) : null;
    return reply.page('brokerage/views/offer.njk', { title: offer.title, offer, list, canManage: brokerage.canManageOffer(request.actor, offer), weights: WEIGHTS_TEXT, ...labels, breadcrumbs: crumbs({ text: offer.title }) });
  });

  const editOfferPage = (request: FastifyRequest, offer: Offer) => {
    const page = offerPage(request);
    return { template: page.template, context: { ...page.context, title: 'Change the offer', action: `/support/offers/${offer.id}`, editing: true, breadcrumbs: crumbs({ text: offer.title, href: `/support/offers/${offer.id}` }, { text: 'Change' }) } };
  };

  r.get('/support/offers/:id/edit', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    requireUser(request);
    const offer = await brokerage.readOffer(request.actor, request.params.id);
    if (!brokerage.canManageOffer(request.actor, offer)) throw new ForbiddenError('Only members of the organisation that posted this offer can change it.');
    const page = editOfferPage(request, offer);
    return reply.page(page.template, { ...page.context, values: { ...offer, capacity: String(offer.capacity), radiusKm: offer.radiusKm === null ? '' : String(offer.radiusKm) } });
  });

  r.post('/support/offers/:id', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    requireUser(request);
    const offer = await brokerage.readOffer(request.actor, request.params.id);
    return handleForm(reply, editOfferPage(request, offer), OfferForm, { ...(request.body as object), organisationId: offer.organisationId }, async (form) => {
      await brokerage.updateOffer(request.actor, offer.id, form);
      return reply.redirect(`/support/offers/${offer.id}`, 303);
    });
  });

  r.post('/support/offers/:id/close', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    requireUser(request);
    await brokerage.closeOffer(request.actor, request.params.id);
    return reply.redirect(`/support/offers/${request.params.id}`, 303);
  });

  // Introductions

  r.post('/support/introductions', { schema: hide }, async (request, reply) => {
    requireUser(request);
    const parsed = IntroductionForm.safeParse(request.body);
    if (!parsed.success) throw new BadRequestError('Write a short message saying what you hope for.', zodFieldErrors(parsed.error));
    const id = await brokerage.requestIntroduction(request.actor, parsed.data);
    return reply.redirect(`/support/introductions/${id}`, 303);
  });

  const introductionPage = async (request: FastifyRequest, id: string) => {
    const { introduction, canRespond } = await brokerage.readIntroduction(request.actor, id);
    return {
      template: 'brokerage/views/introduction.njk',
      context: { title: `Introduction: ${introduction.needTitle}`, introduction, canRespond, options, ...labels, breadcrumbs: crumbs({ text: 'Introduction' }) },
    };
  };

  r.get('/support/introductions/:id', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const page = await introductionPage(request, request.params.id);
    return reply.page(page.template, { ...page.context, values: {} });
  });

  r.post('/support/introductions/:id/accept', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    requireUser(request);
    const page = await introductionPage(request, request.params.id);
    return handleForm(reply, page, AcceptForm, request.body, async (form) => {
      const supportId = await brokerage.accept(request.actor, request.params.id, form);
      return reply.redirect(`/support/agreements/${supportId}`, 303);
    });
  });

  r.post('/support/introductions/:id/decline', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    requireUser(request);
    const page = await introductionPage(request, request.params.id);
    return handleForm(reply, page, DeclineForm, request.body, async (form) => {
      await brokerage.decline(request.actor, request.params.id, form);
      return reply.redirect(`/support/introductions/${request.params.id}`, 303);
    });
  });

  // Agreed supports

  const supportPage = async (request: FastifyRequest, id: string) => {
    const view = await brokerage.readSupport(request.actor, id);
    return { template: 'brokerage/views/support.njk', context: { title: `Support: ${view.support.needTitle}`, ...view, options, ...labels, breadcrumbs: crumbs({ text: 'Agreed support' }) } };
  };

  r.get('/support/agreements.csv', { schema: hide }, async (request, reply) => {
    const supports: Support[] = await brokerage.supportsVisibleTo(request.actor);
    return csvReply(
      reply,
      'trellis-supports.csv',
      ['id', 'need', 'needing_organisation', 'offer', 'offering_organisation', 'objectives', 'starts_on', 'ends_on', 'status', 'last_review', 'closed_at'],
      supports.map((s) => [s.id, s.needTitle, s.needOrganisationName, s.offerTitle, s.offerOrganisationName, s.objectives.map((o) => o.text).join(' | '), s.startsOn, s.endsOn, s.status, s.lastReviewAt?.toISOString() ?? null, s.closedAt?.toISOString() ?? null]),
    );
  });

  r.get('/support/agreements/:id', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const page = await supportPage(request, request.params.id);
    return reply.page(page.template, { ...page.context, values: {} });
  });

  r.post('/support/agreements/:id/reviews', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    requireUser(request);
    const page = await supportPage(request, request.params.id);
    return handleForm(reply, page, ReviewForm, request.body, async (form) => {
      await brokerage.addReview(request.actor, request.params.id, form);
      return reply.redirect(`/support/agreements/${request.params.id}#reviews`, 303);
    });
  });

  r.post('/support/agreements/:id/close', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    requireUser(request);
    const page = await supportPage(request, request.params.id);
    return handleForm(reply, page, CloseForm, request.body, async (form) => {
      await brokerage.close(request.actor, request.params.id, form);
      return reply.redirect(`/support/agreements/${request.params.id}`, 303);
    });
  });

  r.post('/support/agreements/:id/case-study', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    requireUser(request);
    const id = await brokerage.draftCaseStudy(request.actor, request.params.id);
    return reply.redirect(`/practice/${id}/edit`, 303);
  });

  // Facilitators

  r.get('/support/facilitator', { schema: hide }, async (request, reply) => {
    requireUser(request);
    const parsed = ListQuery.safeParse(request.query);
    const query = parsed.success ? parsed.data : ({} as z.output<typeof ListQuery>);
    const view = await brokerage.facilitatorView(request.actor, filterOf(query));
    return reply.page('brokerage/views/facilitator.njk', { title: 'Brokerage overview', ...view, query, options, las: await app.services.directory.localAuthorities(), ...labels, breadcrumbs: crumbs({ text: 'Overview for facilitators' }) });
  });

  // Inbox

  r.get('/inbox', { schema: hide }, async (request, reply) => {
    requireUser(request);
    const notes = await brokerage.inbox(request.actor);
    return reply.page('brokerage/views/inbox.njk', { title: 'Inbox', notes });
  });

  r.post('/inbox/read', { schema: hide }, async (request, reply) => {
    requireUser(request);
    await brokerage.markRead(request.actor);
    return reply.redirect('/inbox', 303);
  });

  // API

  const listSchema = (tag: string, summary: string) => ({
    tags: ['brokerage'],
    summary,
    description: `Open ${tag} the caller may see: without signing in, those whose visibility is public. Filters: theme, kind, phase, la (DfE 3-digit LA number).`,
    querystring: ListQuery,
  });

  r.get('/api/v1/needs', { schema: listSchema('needs', 'Needs for support') }, async (request) => ({ needs: (await brokerage.needs(request.actor, filterOf(request.query))).map(needJson) }));
  r.get('/api/v1/offers', { schema: listSchema('offers', 'Offers of support') }, async (request) => ({ offers: (await brokerage.offers(request.actor, filterOf(request.query))).map(offerJson) }));
  r.get(
    '/api/v1/needs/:id/matches',
    { schema: { tags: ['brokerage'], summary: 'Offers ranked for a need, with score parts and reasons', description: 'For the organisation that posted the need and facilitators (signed in). The score and its parts are documented in docs/brokerage.md.', params: IdParams, querystring: MatchQuery, response: { 200: MatchJson } } },
    async (request) => matchesJson(await brokerage.matchesForNeed(request.actor, request.params.id, request.query.model as ModelId | undefined)),
  );
  r.get(
    '/api/v1/offers/:id/matches',
    { schema: { tags: ['brokerage'], summary: 'Needs ranked for an offer, with score parts and reasons', description: 'For the organisation that posted the offer and facilitators (signed in); only needs the caller may see.', params: IdParams, response: { 200: MatchJson } } },
    async (request) => matchesJson(await brokerage.matchesForOffer(request.actor, request.params.id)),
  );
}
