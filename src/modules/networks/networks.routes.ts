import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ALLOWED_EXTENSIONS, MAX_UPLOAD_BYTES } from '../../domain/networks/uploads';
import { THEMES, themeLabel } from '../../domain/practice/themes';
import { SignInRequiredError } from '../../web/errors';
import { handleForm, renderFormErrors } from '../../web/forms';
import { FormError } from '../../web/errors';
import { ActionForm, LearningForm, LinkForm, MeetingForm, NETWORK_KINDS, NetworkForm, NetworkMemberForm, NetworkParams, networkKindLabel } from './networks.schema';

const hide = { hide: true } as const;
const crumbs = (...more: { text: string; href?: string }[]) => [{ text: 'Networks', href: '/networks' }, ...more];

/** Multipart fields as @fastify/multipart attaches them to the body: { value } for fields, a file object for files. */
interface Part {
  value?: unknown;
  filename?: string;
  toBuffer?: () => Promise<Buffer>;
  file?: { truncated?: boolean };
}

/** Networks: private pages for members and their facilitator. */
export async function networkRoutes(app: FastifyInstance): Promise<void> {
  // Multipart bodies are accepted by this plugin's routes only (document uploads), parsed into the body before the
  // app's CSRF check so their token is checked like any form's; everywhere else a multipart body is refused (415).
  await app.register(fastifyMultipart, { attachFieldsToBody: true, limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 10_000 }, throwFileSizeLimit: false });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const networks = app.services.networks;
  const requireUser = (request: FastifyRequest) => {
    if (!request.currentUser) throw new SignInRequiredError();
  };

  r.get('/networks', { schema: hide }, async (request, reply) => {
    requireUser(request);
    return reply.page('networks/views/index.njk', { title: 'Networks', networks: await networks.mine(request.actor), canCreate: networks.canCreate(request.actor), networkKindLabel, themeLabel });
  });

  const newPage = { template: 'networks/views/new.njk', context: { title: 'Start a network', kinds: NETWORK_KINDS, themes: THEMES, breadcrumbs: crumbs({ text: 'Start a network' }) } };
  r.get('/networks/new', { schema: hide }, async (request, reply) => {
    requireUser(request);
    if (!networks.canCreate(request.actor)) return reply.status(403).page('networks/views/new.njk', { ...newPage.context, forbidden: true, values: {} });
    return reply.page(newPage.template, { ...newPage.context, values: {} });
  });
  r.post('/networks', { schema: hide }, async (request, reply) => {
    requireUser(request);
    return handleForm(reply, newPage, NetworkForm, request.body, async (form) => reply.redirect(`/networks/${await networks.create(request.actor, form)}`, 303));
  });

  const showPage = async (request: FastifyRequest, id: string) => {
    const view = await networks.page(request.actor, id);
    const organisations = view.canManage ? await app.services.brokerage.repo.organisationChoices() : [];
    return {
      template: 'networks/views/show.njk',
      context: { title: view.network.name, ...view, organisations, networkKindLabel, themeLabel, allowed: ALLOWED_EXTENSIONS.map((e) => `.${e}`).join(', '), maxMb: MAX_UPLOAD_BYTES / 1024 / 1024, breadcrumbs: crumbs({ text: view.network.name }) },
    };
  };

  r.get('/networks/:id', { schema: { ...hide, params: NetworkParams } }, async (request, reply) => {
    const page = await showPage(request, request.params.id);
    return reply.page(page.template, { ...page.context, values: {} });
  });

  const form = <S extends z.ZodType>(path: string, schema: S, work: (request: FastifyRequest, id: string, data: z.output<S>) => Promise<unknown>, anchor: string) =>
    r.post(path, { schema: { ...hide, params: NetworkParams.extend({ actionId: z.string().uuid().optional(), entryId: z.string().uuid().optional() }) } }, async (request, reply) => {
      requireUser(request);
      const page = await showPage(request, request.params.id);
      return handleForm(reply, page, schema, request.body ?? {}, async (data) => {
        const result = await work(request, request.params.id, data);
        return reply.redirect(typeof result === 'string' ? result : `/networks/${request.params.id}#${anchor}`, 303);
      });
    });

  form('/networks/:id/members', NetworkMemberForm, (request, id, data) => networks.addMember(request.actor, id, data.organisationId), 'section-members');
  form('/networks/:id/meetings', MeetingForm, (request, id, data) => networks.addMeeting(request.actor, id, data), 'section-meetings');
  form('/networks/:id/actions', ActionForm, (request, id, data) => networks.addAction(request.actor, id, data), 'section-actions');
  form('/networks/:id/actions/:actionId/done', z.object({}), (request, id) => networks.completeAction(request.actor, id, (request.params as { actionId: string }).actionId), 'section-actions');
  form('/networks/:id/links', LinkForm, (request, id, data) => networks.addLink(request.actor, id, data.linkTitle, data.url), 'section-resources');
  form('/networks/:id/learning', LearningForm, (request, id, data) => networks.addLearning(request.actor, id, data), 'section-learning');
  form(
    '/networks/:id/learning/:entryId/case-study',
    z.object({}),
    async (request, id) => {
      const { studyId, byFacilitator } = await networks.draftCaseStudy(request.actor, id, (request.params as { entryId: string }).entryId);
      // The author edits it; a facilitator who drafted it on their behalf sees the draft (and the author is emailed).
      return byFacilitator ? `/practice/${studyId}` : `/practice/${studyId}/edit`;
    },
    'section-learning',
  );

  // Documents come as multipart/form-data (the only form that does); the CSRF token travels as a field like any other.
  r.post('/networks/:id/documents', { schema: { ...hide, params: NetworkParams } }, async (request, reply) => {
    requireUser(request);
    const page = await showPage(request, request.params.id);
    const body = (request.body ?? {}) as Record<string, Part | undefined>;
    const file = body.file;
    const title = typeof body.documentTitle?.value === 'string' ? body.documentTitle.value.trim().slice(0, 200) : '';
    if (!file?.filename || !file.toBuffer) return renderFormErrors(reply, page, { documentTitle: title }, [{ field: 'file', message: 'Choose a file to upload' }]);
    try {
      const content = await file.toBuffer();
      await networks.addDocument(request.actor, request.params.id, title, file.filename, content, file.file?.truncated ?? false);
    } catch (error) {
      if (error instanceof FormError) return renderFormErrors(reply, page, { documentTitle: title }, error.errors);
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return renderFormErrors(reply, page, { documentTitle: title }, [{ field: 'file', message: `The file must be ${MAX_UPLOAD_BYTES / 1024 / 1024} MB or smaller` }]);
      throw error;
    }
    return reply.redirect(`/networks/${request.params.id}#section-resources`, 303);
  });

  r.get('/networks/:id/resources/:resourceId', { schema: { ...hide, params: NetworkParams.extend({ resourceId: z.string().uuid('There is no such document') }) } }, async (request, reply) => {
    const file = await networks.file(request.actor, request.params.id, request.params.resourceId);
    return reply
      .header('content-disposition', `attachment; filename="${file.fileName.replace(/[^\w.\- ]/g, '_')}"`)
      .header('x-content-type-options', 'nosniff')
      .type(file.contentType)
      .send(file.content);
  });
}
