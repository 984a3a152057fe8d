import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import nunjucks from 'nunjucks';
import type { Config } from './config';
import type { Database } from './db/client';
import { apiRoutes } from './modules/api/api.routes';
import { directoryRoutes } from './modules/directory/directory.routes';
import { DirectoryService } from './modules/directory/directory.service';
import { docsRoutes } from './modules/docs/docs.routes';
import { compileStylesheet } from './web/stylesheet';
import { errorHandling } from './web/error-handling';
import { pageCache } from './web/page-cache';
import { ImportRunRepository } from './db/repositories/import-run.repository';
import { configureNunjucks } from './web/nunjucks';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const govukDist = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');
const leafletDist = join(dirname(require.resolve('leaflet/package.json')), 'dist');

export interface AppDeps {
  config: Config;
  database: Database;
}

export interface Services {
  directory: DirectoryService;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    services: Services;
  }
}

/** Builds the Trellis web application from its dependencies. No module-level state: tests build as many as they like. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database } = deps;
  const app = Fastify({
    logger: config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL },
    trustProxy: config.NODE_ENV === 'production',
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('config', config);
  app.decorate('services', { directory: new DirectoryService(database) });

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
        formAction: ["'self'"],
        upgradeInsecureRequests: config.NODE_ENV === 'production' ? [] : null,
      },
    },
    strictTransportSecurity: config.NODE_ENV === 'production',
  });
  await app.register(fastifyFormbody);
  const importRuns = new ImportRunRepository(database);
  await app.register(pageCache, { maxBytes: config.TRELLIS_PAGE_CACHE_MB * 1024 * 1024, readVersion: () => importRuns.dataVersion() });

  const stylesheet = await compileStylesheet(join(here, 'assets/trellis.scss'), govukDist);
  await app.register(fastifyStatic, { root: join(govukDist, 'govuk/assets'), prefix: '/assets/govuk/', maxAge: '7d', immutable: true });
  await app.register(fastifyStatic, { root: leafletDist, prefix: '/assets/leaflet/', decorateReply: false, maxAge: '7d' });
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

  const env = configureNunjucks(nunjucks, [join(here, 'views'), join(here, 'modules'), govukDist]);
  // Pages render through one Nunjucks environment per app (filters, govuk-frontend macros); see web/nunjucks.ts.
  app.decorateReply('page', function (this: import('fastify').FastifyReply, template: string, context: Record<string, unknown> = {}) {
    const html = env.render(template, {
      assetVersion: stylesheet.version,
      tileUrl: config.TRELLIS_TILE_URL,
      tileAttribution: config.TRELLIS_TILE_ATTRIBUTION,
      ...context,
    });
    return this.type('text/html; charset=utf-8').send(html);
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
      tags: [{ name: 'schools' }, { name: 'trusts' }, { name: 'local-authorities' }, { name: 'measures' }],
    },
    transform: jsonSchemaTransform,
  });

  await app.register(errorHandling);
  await app.register(directoryRoutes);
  await app.register(apiRoutes, { prefix: '/api/v1' });
  await app.register(docsRoutes);
  return app;
}

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a page template with the layout's shared context. */
    page(template: string, context?: Record<string, unknown>): FastifyReply;
  }
}

function originOf(template: string): string | null {
  try {
    const url = new URL(template.replace(/\{[a-z]\}/g, '0'));
    return `${url.protocol}//${url.host.replace(/^0\./, '*.')}`;
  } catch {
    return null;
  }
}
