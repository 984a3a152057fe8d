import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../../db/client';
import { HealthRepository } from '../../db/repositories/health.repository';
import { HttpError } from '../../web/errors';
import { bearerTokenMatches, type Metrics, UNMATCHED_ROUTE } from './metrics';

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's Prometheus metrics, or null when TRELLIS_METRICS_TOKEN is unset. */
    metrics: Metrics | null;
  }
}

/** For load balancers and orchestrators: liveness (`/health`) and readiness (`/ready`); and Prometheus (`/metrics`). */
export async function opsRoutes(app: FastifyInstance, options: { database: Database }): Promise<void> {
  const health = new HealthRepository(options.database);
  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/ready', { schema: { hide: true } }, async (_request, reply) => {
    const state = await health.readiness();
    const ready = state.database && state.migrations.applied >= state.migrations.expected;
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', ...state });
  });
  // Off unless a token is configured; then only for a scraper that sends it. Off, it is an ordinary "not found".
  const token = app.config.TRELLIS_METRICS_TOKEN;
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const metrics = app.metrics;
    if (!metrics || !token) return reply.callNotFound();
    if (!bearerTokenMatches(request.headers.authorization, token)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new HttpError(401, 'Metrics are only for a scraper with the metrics token: send Authorization: Bearer <token>.');
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

/** Times every request into the app's metrics, labelled by route pattern (bounded), method and status class. */
export const requestMetrics = fp(
  async (app: FastifyInstance, options: { metrics: Metrics | null }) => {
    app.decorate('metrics', options.metrics);
    const metrics = options.metrics;
    if (!metrics) return;
    app.addHook('onResponse', async (request, reply) => {
      metrics.requestFinished(request.routeOptions.url ?? UNMATCHED_ROUTE, request.method, reply.statusCode, reply.elapsedTime / 1000);
    });
  },
  { name: 'request-metrics' },
);
