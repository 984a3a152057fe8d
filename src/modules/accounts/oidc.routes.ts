import type { FastifyInstance } from 'fastify';
import { publicUrl } from '../../config';
import { NotFoundError } from '../../web/errors';
import { requestContext } from '../../web/session';
import { safeReturnTo } from './accounts.schema';

/** Single sign-on with OpenID Connect: only when an issuer is configured. */
export async function oidcRoutes(app: FastifyInstance): Promise<void> {
  const oidc = app.services.oidc;
  const base = publicUrl(app.config);

  app.get('/auth/oidc', { schema: { hide: true }, config: { rateLimit: { max: 30, timeWindow: 60_000 } } }, async (request, reply) => {
    if (!oidc) throw new NotFoundError('Single sign-on is not set up on this Trellis.');
    const returnTo = (request.query as { returnTo?: string }).returnTo;
    return reply.redirect(await oidc.start(returnTo ? safeReturnTo(returnTo) : null), 303);
  });

  app.get('/auth/oidc/callback', { schema: { hide: true }, config: { rateLimit: { max: 30, timeWindow: 60_000 } } }, async (request, reply) => {
    if (!oidc) throw new NotFoundError('Single sign-on is not set up on this Trellis.');
    const { session, returnTo } = await oidc.finish(new URL(request.url, base), requestContext(request));
    return reply.startSession(session).redirect(safeReturnTo(returnTo ?? undefined), 303);
  });
}
