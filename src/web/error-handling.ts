import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError, SignInRequiredError } from './errors';

interface Problem {
  statusCode: number;
  title: string;
  message: string;
  details: { field?: string; message: string }[];
}

const TITLES: Record<number, string> = {
  400: 'There is a problem with your request',
  401: 'Sign in to continue',
  403: 'You cannot do that',
  409: 'That cannot be done now',
  410: 'That link no longer works',
  404: 'Page not found',
  405: 'Method not allowed',
  413: 'That is too large',
  415: 'That type of content is not accepted',
  429: 'Too many requests',
  500: 'Sorry, there is a problem with the service',
};

function isApi(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

/** Turns a Zod/Fastify validation error into field-level details a person can act on. */
interface ValidationEntry {
  instancePath?: string;
  message?: string;
  params?: { issue?: { path?: unknown[] } };
}

function validationDetails(error: FastifyError): { field?: string; message: string }[] {
  const validation = (error as unknown as { validation?: ValidationEntry[] }).validation;
  if (!validation) return [];
  return validation.map((v) => {
    const path = v.params?.issue?.path?.map(String).join('.') || v.instancePath?.replace(/^\//, '').replace(/\//g, '.');
    return path ? { field: path, message: v.message ?? 'is not valid' } : { message: v.message ?? 'is not valid' };
  });
}

function toProblem(error: FastifyError | Error): Problem {
  if (error instanceof HttpError) {
    return { statusCode: error.statusCode, title: TITLES[error.statusCode] ?? 'Error', message: error.message, details: [...error.details] };
  }
  const fe = error as FastifyError;
  if (fe.code?.startsWith('FST_CSRF')) {
    return {
      statusCode: 403,
      title: 'This form has expired',
      message: 'The form you sent had expired or came from another site, so nothing was changed. Go back, reload the page and try again.',
      details: [],
    };
  }
  if (fe.validation) {
    const details = validationDetails(fe);
    const where = fe.validationContext === 'params' ? 'address' : fe.validationContext === 'querystring' ? 'query' : (fe.validationContext ?? 'request');
    return {
      statusCode: 400,
      title: TITLES[400]!,
      message: `The ${where} is not valid: ${details.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join('; ')}`,
      details,
    };
  }
  const status = typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500 ? fe.statusCode : 500;
  if (status < 500) return { statusCode: status, title: TITLES[status] ?? 'Error', message: fe.message, details: [] };
  return { statusCode: 500, title: TITLES[500]!, message: 'Something went wrong on our side. Try again later.', details: [] };
}

function send(request: FastifyRequest, reply: FastifyReply, problem: Problem) {
  reply.status(problem.statusCode);
  if (isApi(request) || !request.headers.accept?.includes('text/html') && request.headers.accept?.includes('application/json')) {
    return reply.send({
      statusCode: problem.statusCode,
      error: problem.title,
      message: problem.message,
      ...(problem.details.length ? { details: problem.details } : {}),
      requestId: request.id,
    });
  }
  return reply.page('errors/error.njk', { title: problem.title, problem, requestId: request.id });
}

/** The one error handler: typed errors become pages (or JSON under /api); nothing leaks a stack. */
export const errorHandling = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof SignInRequiredError && !isApi(request)) {
        const returnTo = request.method === 'GET' ? request.url : '/account';
        return reply.redirect(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`, 303);
      }
      const problem = toProblem(error);
      if (problem.statusCode >= 500) request.log.error({ err: error }, 'request failed');
      return send(request, reply, problem);
    });
    app.setNotFoundHandler((request, reply) =>
      send(request, reply, {
        statusCode: 404,
        title: TITLES[404]!,
        message: 'If you typed the web address, check it is correct. If you pasted it, check you copied the entire address.',
        details: [],
      }),
    );
  },
  { name: 'error-handling' },
);
