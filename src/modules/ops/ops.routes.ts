import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client';
import { HealthRepository } from '../../db/repositories/health.repository';

/** For load balancers and orchestrators: liveness (`/health`) and readiness (`/ready`). */
export async function opsRoutes(app: FastifyInstance, options: { database: Database }): Promise<void> {
  const health = new HealthRepository(options.database);
  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/ready', { schema: { hide: true } }, async (_request, reply) => {
    const state = await health.readiness();
    const ready = state.database && state.migrations.applied >= state.migrations.expected;
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', ...state });
  });
}
