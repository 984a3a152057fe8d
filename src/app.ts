import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type RouteOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import nunjucks from 'nunjucks';
import { devOutboxEnabled, publicUrl, sessionSecret, type Config } from './config';
import type { Database } from './db/client';
import { AccountRepository } from './db/repositories/account.repository';
import { EstablishmentRepository } from './db/repositories/establishment.repository';
import { ImportRunRepository } from './db/repositories/import-run.repository';
import { OrganisationDirectoryRepository } from './db/repositories/organisation-directory.repository';
import { accountsRoutes } from './modules/accounts/accounts.routes';
import { AccountsService } from './modules/accounts/accounts.service';
import { Mailer } from './modules/accounts/mailer';
import { oidcRoutes } from './modules/accounts/oidc.routes';
import { OidcService } from './modules/accounts/oidc.service';
import { OrganisationsService } from './modules/accounts/organisations.service';
import { apiRoutes } from './modules/api/api.routes';
import { directoryRoutes } from './modules/directory/directory.routes';
import { DirectoryService } from './modules/directory/directory.service';
import { docsRoutes } from './modules/docs/docs.routes';
import { Metrics } from './modules/ops/metrics';
import { opsRoutes, requestMetrics } from './modules/ops/ops.routes';
import { familiesRoutes } from './modules/families/families.routes';
import { practiceRoutes } from './modules/practice/practice.routes';
import { brokerageRoutes } from './modules/brokerage/brokerage.routes';
import { BrokerageService } from './modules/brokerage/brokerage.service';
import { BrokerageRepository } from './db/repositories/brokerage.repository';
import { partnershipRoutes } from './modules/partnerships/partnerships.routes';
import { PartnershipsService } from './modules/partnerships/partnerships.service';
import { networkRoutes } from './modules/networks/networks.routes';
import { areaRoutes } from './modules/areas/areas.routes';
import { AreasService } from './modules/areas/areas.service';
import { NetworksService } from './modules/networks/networks.service';
import { PracticeService } from './modules/practice/practice.service';
import { FamiliesService } from './modules/families/families.service';
import { errorHandling } from './web/error-handling';
import { HttpError } from './web/errors';
import { configureNunjucks } from './web/nunjucks';
import { pageCache } from './web/page-cache';
import { requestSerializer } from './web/log-redaction';
import { databaseRateLimitStore } from './web/rate-limit-store';
import { sessions } from './web/session';
import { compileStylesheet } from './web/stylesheet';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const govukDist = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');
const leafletDist = join(dirname(require.resolve('leaflet/package.json')), 'dist');

export interface AppDeps {
  config: Config;
  database: Database;
  /** Sees every route as it is added (the route × role matrix test uses it to find routes without a row). */
  observeRoutes?: (route: RouteOptions) => void;
  /** Where logs go (standard output by default); the log-hygiene test reads them. */
  logStream?: NodeJS.WritableStream;
}

export interface Services {
  directory: DirectoryService;
  families: FamiliesService;
  practice: PracticeService;
  brokerage: BrokerageService;
  partnerships: PartnershipsService;
  networks: NetworksService;
  areas: AreasService;
  accounts: AccountsService;
  organisations: OrganisationsService;
  oidc: OidcService | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    services: Services;
    /** Whether /dev/outbox is served (development and test only). */
    devOutbox: boolean;
  }
  interface FastifyReply {
    /** Renders a page template with the layout's shared context. */
    page(template: string, context?: Record<string, unknown>): FastifyReply;
  }
}

/** Builds the Trellis web application from its dependencies. No module-level state: tests build as many as they like. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database } = deps;
  const production = config.NODE_ENV === 'production';
  const app = Fastify({
    logger:
      config.LOG_LEVEL === 'silent'
        ? false
        : { level: config.LOG_LEVEL, serializers: { req: requestSerializer }, ...(deps.logStream ? { stream: deps.logStream } : {}) },
    trustProxy: production,
    routerOptions: { ignoreTrailingSlash: true },
    bodyLimit: 256 * 1024,
    // A reference a reader can quote from an error page and an operator can find in the logs of any server: not
    // Fastify's per-process counter, which restarts at req-1 and repeats across servers.
    genReqId: () => randomUUID(),
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await app.register(requestMetrics, { metrics: config.TRELLIS_METRICS_TOKEN ? new Metrics() : null });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  if (deps.observeRoutes) app.addHook('onRoute', deps.observeRoutes);

  const accountRepository = new AccountRepository(database);
  const mailer = new Mailer(accountRepository, { smtpUrl: config.TRELLIS_SMTP_URL, from: config.TRELLIS_MAIL_FROM });
  app.addHook('onClose', async () => mailer.close());
  const baseUrl = publicUrl(config);
  const emails = (list: string | undefined) => new Set((list ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean));
  const accounts = new AccountsService(accountRepository, mailer, {
    publicUrl: baseUrl,
    bootstrapRoles: { facilitators: emails(config.TRELLIS_FACILITATOR_EMAILS), admins: emails(config.TRELLIS_ADMIN_EMAILS) },
    argon2: { memoryCost: config.TRELLIS_ARGON2_MEMORY_KIB, timeCost: config.TRELLIS_ARGON2_TIME_COST },
    sessionIdleMs: config.TRELLIS_SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: config.TRELLIS_SESSION_ABSOLUTE_HOURS * 3_600_000,
  });
  const organisations = new OrganisationsService(accountRepository, new EstablishmentRepository(database), new OrganisationDirectoryRepository(database), mailer, baseUrl);
  const oidc =
    config.TRELLIS_OIDC_ISSUER && config.TRELLIS_OIDC_CLIENT_ID
      ? new OidcService(
          {
            issuer: config.TRELLIS_OIDC_ISSUER,
            clientId: config.TRELLIS_OIDC_CLIENT_ID,
            clientSecret: config.TRELLIS_OIDC_CLIENT_SECRET,
            redirectUri: `${baseUrl}/auth/oidc/callback`,
            allowInsecure: !production,
          },
          accountRepository,
          accounts,
          organisations,
        )
      : null;
  app.decorate('config', config);
  app.decorate('devOutbox', devOutboxEnabled(config));
  app.decorate('services', { directory: new DirectoryService(database), families: new FamiliesService(database, app.metrics ?? undefined), practice: new PracticeService(database, mailer, baseUrl), brokerage: new BrokerageService(database, mailer, baseUrl, (error) => app.log.error({ err: error }, 'an email could not be sent')), partnerships: new PartnershipsService(database), networks: new NetworksService(database, mailer, baseUrl), areas: new AreasService(database), accounts, organisations, oidc });

  const tileOrigin = originOf(config.TRELLIS_TILE_URL);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', ...(tileOrigin ? [tileOrigin] : [])],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'", ...(config.TRELLIS_OIDC_ISSUER ? [new URL(config.TRELLIS_OIDC_ISSUER).origin] : [])],
        upgradeInsecureRequests: production ? [] : null,
      },
    },
    strictTransportSecurity: production,
  });
  await app.register(fastifyFormbody);
  await app.register(fastifyCookie, { secret: sessionSecret(config) });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'trellis_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: production, signed: true },
    // Form fields carry the token; a multipart field arrives as { value }.
    getToken: (request) => {
      const field = (request.body as { _csrf?: unknown } | undefined)?._csrf;
      const token = typeof field === 'object' && field !== null ? (field as { value?: unknown }).value : field;
      return typeof token === 'string' ? token : ((request.headers['csrf-token'] as string | undefined) ?? '');
    },
  });
  // Every state-changing form is checked; the JSON API is not cookie-authenticated for writes yet.
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS' || request.url.startsWith('/api/')) return done();
    app.csrfProtection(request, reply, done);
  });
  await app.register(fastifyRateLimit, {
    global: false,
    store: databaseRateLimitStore(accountRepository),
    errorResponseBuilder: (_request, context) =>
      new HttpError(429, `Too many attempts. Wait ${Math.max(1, Math.ceil(context.ttl / 60_000))} minute${context.ttl > 60_000 ? 's' : ''} and try again.`),
  });
  await app.register(sessions, {
    accounts: accountRepository,
    idleMs: config.TRELLIS_SESSION_IDLE_MINUTES * 60_000,
    secure: production,
  });
  const importRuns = new ImportRunRepository(database);
  const brokerageRepository = new BrokerageRepository(database);
  app.addHook('preHandler', async (request) => {
    if (request.currentUser && request.method === 'GET') request.currentUser.unread = await brokerageRepository.unreadCount(request.currentUser.id);
  });
  await app.register(pageCache, { maxBytes: config.TRELLIS_PAGE_CACHE_MB * 1024 * 1024, readVersion: () => importRuns.contentVersion() });

  const stylesheet = await compileStylesheet(join(here, 'assets/trellis.scss'), govukDist);
  await app.register(fastifyStatic, { root: join(govukDist, 'govuk/assets'), prefix: '/assets/govuk/', maxAge: '7d', immutable: true });
  await app.register(fastifyStatic, { root: leafletDist, prefix: '/assets/leaflet/', decorateReply: false, maxAge: '7d' });
  await app.register(fastifyStatic, {
    root: join(govukDist, 'govuk'),
    prefix: '/assets/govuk-frontend/',
    decorateReply: false,
    maxAge: '7d',
    allowedPath: (path) => path === '/govuk-frontend.min.js',
  });
  await app.register(fastifyStatic, {
    root: join(here, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    maxAge: '1d',
    allowedPath: (path) => !path.endsWith('.scss'),
  });
  app.get('/assets/trellis.css', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=86400').send(stylesheet.css),
  );

  // Pages render through one Nunjucks environment per app (filters, govuk-frontend macros); see web/nunjucks.ts.
  const env = configureNunjucks(nunjucks, [join(here, 'views'), join(here, 'modules'), govukDist]);
  app.decorateReply('page', function (this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
    const reply = this;
    const html = env.render(template, {
      assetVersion: stylesheet.version,
      tileUrl: config.TRELLIS_TILE_URL,
      tileAttribution: config.TRELLIS_TILE_ATTRIBUTION,
      currentUser: reply.request.currentUser,
      currentPath: reply.request.url,
      devOutbox: app.devOutbox,
      oidcLabel: oidc ? config.TRELLIS_OIDC_LABEL : null,
      // Called by templates with forms: sets the CSRF cookie only on pages that need it (cached pages have none).
      csrf: () => reply.generateCsrf(),
      ...context,
    });
    return reply.type('text/html; charset=utf-8').send(html);
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Trellis API',
        version: '1.0.0',
        description:
          'School directory, outcomes and (as they land) families, practice, brokerage and partnerships. Data from the DfE under the Open Government Licence v3.0.',
      },
      servers: [],
      tags: [{ name: 'schools' }, { name: 'families' }, { name: 'practice' }, { name: 'brokerage' }, { name: 'partnerships' }, { name: 'areas' }, { name: 'trusts' }, { name: 'local-authorities' }, { name: 'measures' }],
    },
    transform: jsonSchemaTransform,
  });

  await app.register(errorHandling);
  await app.register(directoryRoutes);
  await app.register(familiesRoutes);
  await app.register(practiceRoutes);
  await app.register(brokerageRoutes);
  await app.register(partnershipRoutes);
  await app.register(networkRoutes);
  await app.register(areaRoutes);
  await app.register(accountsRoutes);
  await app.register(oidcRoutes);
  await app.register(apiRoutes, { prefix: '/api/v1' });
  await app.register(docsRoutes);
  await app.register(opsRoutes, { database });
  return app;
}

function originOf(template: string): string | null {
  try {
    const url = new URL(template.replace(/\{[a-z]\}/g, '0'));
    return `${url.protocol}//${url.host.replace(/^0\./, '*.')}`;
  } catch {
    return null;
  }
}
