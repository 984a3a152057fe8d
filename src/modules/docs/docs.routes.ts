import type { FastifyInstance } from 'fastify';

interface OpenApiParameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: { type?: string; enum?: unknown[]; anyOf?: { type?: string; enum?: unknown[] }[] };
}

interface OpenApiOperation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: OpenApiParameter[];
  responses?: Record<string, { description?: string }>;
}

function describeSchema(schema: OpenApiParameter['schema']): string {
  if (!schema) return '';
  const enums = schema.enum ?? schema.anyOf?.flatMap((s) => s.enum ?? []);
  if (enums && enums.length) return `one of: ${enums.filter((e) => e !== '').join(', ')}`;
  return schema.type ?? (schema.anyOf ? schema.anyOf.map((s) => s.type).filter(Boolean).join(' or ') : '');
}

/** The OpenAPI document (generated from the route schemas) and a readable page of it that needs no JavaScript. */
export async function docsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/api/docs', { config: { pageCache: true }, schema: { hide: true } }, async (_request, reply) => {
    const document = app.swagger() as { info: { title: string; description?: string; version: string }; paths: Record<string, Record<string, OpenApiOperation>> };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        summary: op.summary ?? '',
        description: op.description ?? '',
        parameters: (op.parameters ?? []).map((p) => ({ ...p, type: describeSchema(p.schema) })),
        responses: Object.keys(op.responses ?? {}),
        id: `${method}-${path}`.replace(/[^a-z0-9]+/gi, '-'),
      })),
    );
    return reply.page('docs/views/api-docs.njk', {
      title: 'API',
      breadcrumbs: [{ text: 'Home', href: '/' }, { text: 'API' }],
      info: document.info,
      operations,
    });
  });
}
