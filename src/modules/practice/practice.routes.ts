import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ORGANISATION_KINDS, organisationKindLabel } from '../../domain/accounts/organisation-kinds';
import { MEASURES } from '../../domain/measures/catalogue';
import { markdownToText, renderMarkdown } from '../../domain/practice/rich-text';
import { PHASES_FOR_PRACTICE, THEMES, themeLabel } from '../../domain/practice/themes';
import { REGIONS } from '../../domain/schools/gias-codes';
import type { CaseStudy, CaseStudySummary } from '../../db/repositories/case-study.repository';
import { toCsv } from '../../web/csv';
import { BadRequestError, ForbiddenError, FormError, SignInRequiredError } from '../../web/errors';
import { handleForm, zodFieldErrors } from '../../web/forms';
import { queryString } from '../../web/query-string';
import { publicUrl } from '../../config';
import { CaseStudyForm, CaseStudyParams, CoAuthorForm, CONTEXT_KEYS, LearnMoreForm, PracticeQuery, ReplyForm, ReturnForm, SUMMARY_MAX_WORDS } from './practice.schema';

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Escapes a ts_headline snippet except for its <mark> tags, so nothing a leader wrote becomes markup. */
export function safeSnippet(snippet: string | null | undefined): string {
  if (!snippet) return '';
  return escapeXml(snippet).replace(/&lt;mark&gt;/g, '<mark>').replace(/&lt;\/mark&gt;/g, '</mark>');
}

const formOptions = {
  contextKeys: CONTEXT_KEYS,
  themes: THEMES,
  phases: PHASES_FOR_PRACTICE,
  measures: MEASURES,
  summaryMaxWords: SUMMARY_MAX_WORDS,
};

function sectionsOf(study: CaseStudy) {
  const done = (v: string | string[]) => (Array.isArray(v) ? v.length > 0 : v.trim().length > 0);
  return [
    { title: 'Title and summary', href: '#title', complete: done(study.title) && done(study.summary) },
    { title: 'Context', href: '#contextNotes', complete: Object.keys(study.context).length > 0 || done(study.contextNotes) },
    { title: 'The challenge', href: '#challenge', complete: done(study.challenge) },
    { title: 'What we did', href: '#approach', complete: done(study.approach) },
    { title: 'Evidence of impact', href: '#impact', complete: done(study.impact) || study.impactMeasures.length > 0 },
    { title: 'What others could apply', href: '#applicability', complete: done(study.applicability) },
    { title: 'Themes and phases', href: '#themes', complete: study.themes.length > 0 },
  ];
}

function activeSchoolUrn(request: FastifyRequest): number | null {
  const user = request.currentUser;
  if (!user) return null;
  const active = user.memberships.find((m) => m.organisation.id === user.activeOrganisationId) ?? user.memberships[0];
  return active?.organisation.urn ?? null;
}

/** The practice library's pages, feed, exports and API. */
export async function practiceRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const practice = app.services.practice;
  const hide = { hide: true } as const;
  const crumbs = (...more: { text: string; href?: string }[]) => [{ text: 'Practice library', href: '/practice' }, ...more];

  r.get('/practice', { config: { pageCache: true }, schema: hide }, async (request, reply) => {
    const parsed = PracticeQuery.safeParse(request.query);
    const options = { themes: THEMES, phases: PHASES_FOR_PRACTICE, regions: REGIONS, kinds: ORGANISATION_KINDS };
    if (!parsed.success) {
      const errors = zodFieldErrors(parsed.error);
      return reply.status(400).page('practice/views/search.njk', {
        title: 'Error: Practice library',
        errors: errors.map((e) => ({ text: e.message, href: `#${e.field}` })),
        query: { q: typeof (request.query as { q?: unknown }).q === 'string' ? (request.query as { q: string }).q : '' },
        options,
      });
    }
    const query = parsed.data;
    const result = await practice.search(request.actor, query, activeSchoolUrn(request));
    const pages = Math.ceil(result.total / result.pageSize);
    return reply.page('practice/views/search.njk', {
      title: 'Practice library',
      query,
      options,
      result: { ...result, rows: result.rows.map((row) => ({ ...row, snippet: safeSnippet(row.snippet) })) },
      themeLabel,
      kindLabel: organisationKindLabel,
      pages,
      next: query.page < pages ? `/practice${queryString({ ...query, page: query.page + 1 })}` : null,
      previous: query.page > 1 ? `/practice${queryString({ ...query, page: query.page - 1 })}` : null,
    });
  });

  r.get('/practice/new', { schema: hide }, async (request, reply) => {
    const user = request.currentUser;
    if (!user) throw new SignInRequiredError();
    return reply.page('practice/views/form.njk', { title: 'Write a case study', action: '/practice', values: { organisationId: user.activeOrganisationId, visibility: 'public', contactPreference: 'introductions' }, organisations: user.memberships, ...formOptions, breadcrumbs: crumbs({ text: 'Write a case study' }) });
  });

  r.post('/practice', { schema: hide }, async (request, reply) => {
    const user = request.currentUser;
    if (!user) throw new SignInRequiredError();
    return handleForm(reply, { template: 'practice/views/form.njk', context: { title: 'Write a case study', action: '/practice', organisations: user.memberships, ...formOptions } }, CaseStudyForm, request.body, async (form) => {
      const id = await practice.create(request.actor, form);
      return reply.redirect(`/practice/${id}`, 303);
    });
  });

  r.get('/practice/mine', { schema: hide }, async (request, reply) => {
    const lists = await practice.workingOn(request.actor);
    return reply.page('practice/views/mine.njk', { title: 'Your case studies', ...lists, themeLabel, breadcrumbs: crumbs({ text: 'Your case studies' }) });
  });

  r.get('/practice/requests', { schema: hide }, async (request, reply) => {
    const requests = await practice.requests(request.actor);
    return reply.page('practice/views/requests.njk', { title: 'Requests to learn more', ...requests, breadcrumbs: crumbs({ text: 'Requests to learn more' }) });
  });

  r.post('/practice/requests/:requestId/reply', { schema: { ...hide, params: z.object({ requestId: z.string().uuid('There is no such request') }) } }, async (request, reply) => {
    if (!request.currentUser) throw new SignInRequiredError();
    const parsed = ReplyForm.safeParse(request.body);
    if (!parsed.success) throw new BadRequestError('Write a reply.', zodFieldErrors(parsed.error));
    await practice.reply(request.actor, request.params.requestId, parsed.data.reply);
    return reply.redirect('/practice/requests', 303);
  });

  r.get('/practice/reading-list', { schema: hide }, async (request, reply) => {
    const studies = await practice.readingList(request.actor);
    return reply.page('practice/views/reading-list.njk', { title: 'Your reading list', studies, themeLabel, breadcrumbs: crumbs({ text: 'Your reading list' }) });
  });

  r.get('/practice/feed.atom', { config: { pageCache: true }, schema: hide }, async (request, reply) => {
    const base = publicUrl(app.config);
    const { rows } = await practice.published(request.actor, 50);
    const updated = rows[0]?.publishedAt?.toISOString() ?? new Date(0).toISOString();
    const entries = rows
      .map(
        (s: CaseStudySummary) => `  <entry>
    <id>${base}/practice/${s.id}</id>
    <title>${escapeXml(s.title)}</title>
    <link href="${base}/practice/${s.id}"/>
    <updated>${(s.publishedAt ?? s.updatedAt).toISOString()}</updated>
    <author><name>${escapeXml(s.organisationName)}</name></author>
    <summary>${escapeXml(s.summary)}${s.demonstration ? ' (Demonstration content.)' : ''}</summary>
${s.themes.map((t) => `    <category term="${escapeXml(t)}" label="${escapeXml(themeLabel(t))}"/>`).join('\n')}
  </entry>`,
      )
      .join('\n');
    return reply.type('application/atom+xml; charset=utf-8').send(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${base}/practice</id>
  <title>Trellis practice library: new case studies</title>
  <link rel="self" href="${base}/practice/feed.atom"/>
  <link href="${base}/practice"/>
  <updated>${updated}</updated>
${entries}
</feed>
`);
  });

  r.get('/practice/export.json', { config: { pageCache: true }, schema: hide }, async (request, reply) => {
    const { rows } = await practice.published(request.actor, 10_000);
    return reply.header('content-disposition', 'attachment; filename="trellis-case-studies.json"').send({ caseStudies: rows.map(exportRow) });
  });

  r.get('/practice/export.csv', { config: { pageCache: true }, schema: hide }, async (request, reply) => {
    const { rows } = await practice.published(request.actor, 10_000);
    const header = ['ID', 'Title', 'Summary', 'Organisation', 'Kind', 'Region', 'Themes', 'Phases', 'Published', 'URN', 'Demonstration', 'Address'];
    const base = publicUrl(app.config);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="trellis-case-studies.csv"')
      .send(toCsv([header, ...rows.map((s) => [s.id, s.title, s.summary, s.organisationName, organisationKindLabel(s.organisationKind), s.regionName, s.themes.map(themeLabel).join('; '), s.phases.join('; '), s.publishedAt?.toISOString().slice(0, 10), s.urn, s.demonstration ? 'yes' : 'no', `${base}/practice/${s.id}`])]));
  });

  r.get('/practice/:id', { schema: { ...hide, params: CaseStudyParams } }, async (request, reply) => {
    const view = await practice.page(request.actor, request.params.id);
    const s = view.study;
    return reply.page('practice/views/show.njk', {
      title: s.title,
      ...view,
      html: {
        contextNotes: renderMarkdown(s.contextNotes),
        challenge: renderMarkdown(s.challenge),
        approach: renderMarkdown(s.approach),
        impact: renderMarkdown(s.impact),
        applicability: renderMarkdown(s.applicability),
        partners: renderMarkdown(s.partners),
      },
      sections: sectionsOf(s),
      contextKeys: CONTEXT_KEYS,
      themeLabel,
      kindLabel: organisationKindLabel,
      breadcrumbs: crumbs({ text: s.title }),
    });
  });

  const editContext = async (request: FastifyRequest, id: string) => {
    const { study, canEdit } = await practice.page(request.actor, id);
    if (!canEdit) throw new ForbiddenError('Only the authors and their organisation’s admins can edit this case study.');
    return { title: `Edit: ${study.title}`, action: `/practice/${id}`, study, organisations: [], ...formOptions, breadcrumbs: crumbs({ text: study.title, href: `/practice/${id}` }, { text: 'Edit' }) };
  };

  r.get('/practice/:id/edit', { schema: { ...hide, params: CaseStudyParams } }, async (request, reply) => {
    const context = await editContext(request, request.params.id);
    return reply.page('practice/views/form.njk', {
      ...context,
      values: { ...context.study, ...Object.fromEntries(Object.entries(context.study.context).map(([k, v]) => [`context_${k}`, v])) },
    });
  });

  r.post('/practice/:id', { schema: { ...hide, params: CaseStudyParams } }, async (request, reply) => {
    if (!request.currentUser) throw new SignInRequiredError();
    const context = await editContext(request, request.params.id);
    return handleForm(reply, { template: 'practice/views/form.njk', context }, CaseStudyForm, request.body, async (form) => {
      await practice.update(request.actor, request.params.id, form);
      return reply.redirect(`/practice/${request.params.id}`, 303);
    });
  });

  const action = (path: string, run: (request: FastifyRequest, id: string) => Promise<void>) =>
    r.post(`/practice/:id/${path}`, { schema: { ...hide, params: CaseStudyParams } }, async (request, reply) => {
      if (!request.currentUser) throw new SignInRequiredError();
      await run(request, request.params.id);
      return reply.redirect(`/practice/${request.params.id}`, 303);
    });
  action('submit', (request, id) => practice.submit(request.actor, id));
  action('publish', (request, id) => practice.publish(request.actor, id));
  action('withdraw', (request, id) => practice.withdraw(request.actor, id));
  action('save', (request, id) => practice.save(request.actor, id, (request.body as { saved?: string } | undefined)?.saved !== 'no'));

  r.post('/practice/:id/co-authors', { schema: { ...hide, params: CaseStudyParams } }, async (request, reply) => {
    if (!request.currentUser) throw new SignInRequiredError();
    const parsed = CoAuthorForm.safeParse(request.body);
    if (!parsed.success) throw new BadRequestError('Enter the email address of a colleague.', zodFieldErrors(parsed.error));
    try {
      await practice.addCoAuthor(request.actor, request.params.id, parsed.data.coAuthorEmail);
    } catch (error) {
      if (error instanceof FormError) throw new BadRequestError(error.errors[0]!.message, error.errors);
      throw error;
    }
    return reply.redirect(`/practice/${request.params.id}`, 303);
  });

  r.post('/practice/:id/return', { schema: { ...hide, params: CaseStudyParams } }, async (request, reply) => {
    if (!request.currentUser) throw new SignInRequiredError();
    const parsed = ReturnForm.safeParse(request.body);
    if (!parsed.success) throw new BadRequestError('Write a comment for the author.', zodFieldErrors(parsed.error));
    await practice.returnToAuthor(request.actor, request.params.id, parsed.data.comment);
    return reply.redirect(`/practice/${request.params.id}`, 303);
  });

  r.post('/practice/:id/learn-more', { schema: { ...hide, params: CaseStudyParams }, config: { rateLimit: { max: 20, timeWindow: 3_600_000 } } }, async (request, reply) => {
    if (!request.currentUser) throw new SignInRequiredError();
    const parsed = LearnMoreForm.safeParse(request.body);
    if (!parsed.success) throw new BadRequestError('Write a short message to the author.', zodFieldErrors(parsed.error));
    await practice.learnMore(request.actor, request.params.id, parsed.data.message, request.currentUser?.activeOrganisationId ?? null);
    return reply.page('accounts/views/message.njk', {
      title: 'Request sent',
      panel: 'Request sent',
      body: 'The author has been told, through Trellis. Their email address is not shared; they will reply to you.',
      link: { href: `/practice/${request.params.id}`, text: 'Back to the case study' },
    });
  });

  r.get('/practice/:id/changes', { schema: { ...hide, params: CaseStudyParams, querystring: z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }) } }, async (request, reply) => {
    const diff = await practice.diff(request.actor, request.params.id, request.query.from, request.query.to);
    return reply.page('practice/views/changes.njk', { title: `Changes to ${diff.study.title}`, ...diff, breadcrumbs: crumbs({ text: diff.study.title, href: `/practice/${request.params.id}` }, { text: 'Changes' }) });
  });

  // API

  const caseStudySummary = z.object({
    id: z.string(),
    title: z.string(),
    summary: z.string(),
    organisation: z.string(),
    organisationKind: z.string(),
    region: z.string().nullable(),
    themes: z.array(z.string()),
    phases: z.array(z.string()),
    urn: z.number().int().nullable(),
    publishedAt: z.string().nullable(),
    demonstration: z.boolean(),
  });

  r.get(
    '/api/v1/case-studies',
    {
      config: { pageCache: true },
      schema: { tags: ['practice'], summary: 'Published case studies (public ones), searchable', querystring: PracticeQuery, response: { 200: z.object({ total: z.number().int().describe('Matches, counted up to 1,000'), more: z.boolean().describe('More than `total` match'), caseStudies: z.array(caseStudySummary) }) } },
    },
    async (request) => {
      const result = await practice.search({ kind: 'anonymous' }, request.query, null);
      return { total: result.total, more: result.more, caseStudies: result.rows.map(exportRow) };
    },
  );
}

function exportRow(s: CaseStudySummary) {
  return {
    id: s.id,
    title: s.title,
    summary: markdownToText(s.summary),
    organisation: s.organisationName,
    organisationKind: s.organisationKind,
    region: s.regionName,
    themes: s.themes,
    phases: s.phases,
    urn: s.urn,
    publishedAt: s.publishedAt?.toISOString() ?? null,
    demonstration: s.demonstration,
  };
}
