import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { BadRequestError, FormError } from './errors';

export interface FieldError {
  field: string;
  message: string;
}

/** The first problem with each field, in form order, from a Zod error. */
export function zodFieldErrors(error: z.ZodError): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (seen.has(field)) continue;
    seen.add(field);
    out.push({ field, message: issue.message });
  }
  return out;
}

export interface FormPage {
  template: string;
  /** The page's context; `title` is prefixed with "Error: " when the form has errors (GOV.UK pattern). */
  context: Record<string, unknown> & { title: string };
}

/** Re-renders a form with a GOV.UK error summary and messages by its fields, keeping what was typed (400). */
export function renderFormErrors(reply: FastifyReply, page: FormPage, values: unknown, errors: FieldError[]): FastifyReply {
  return reply.status(400).page(page.template, {
    ...page.context,
    title: `Error: ${page.context.title}`,
    values: sanitiseValues(values),
    errors: errors.map((e) => ({ text: e.message, href: `#${e.field}` })),
    fieldErrors: Object.fromEntries(errors.map((e) => [e.field, { text: e.message }])),
  });
}

/** Typed values go back into the form, except passwords, which are never echoed. */
function sanitiseValues(values: unknown): Record<string, unknown> {
  if (!values || typeof values !== 'object') return {};
  return Object.fromEntries(Object.entries(values as Record<string, unknown>).filter(([k]) => !/password|current/i.test(k) && k !== '_csrf'));
}

/**
 * Validates a form body with its schema and runs the work; a validation failure or a FormError thrown by the
 * service re-renders the form. Any other error goes to the one error handler.
 */
export async function handleForm<S extends z.ZodType>(
  reply: FastifyReply,
  page: FormPage,
  schema: S,
  body: unknown,
  work: (data: z.output<S>) => Promise<FastifyReply>,
): Promise<FastifyReply> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) return renderFormErrors(reply, page, body, zodFieldErrors(parsed.error));
  try {
    return await work(parsed.data);
  } catch (error) {
    if (error instanceof FormError) return renderFormErrors(reply, page, body, error.errors);
    throw error;
  }
}

/**
 * Parses a small form that has no page of its own to re-render (a control in the header, a button in a table):
 * a body that does not fit is a 400 with the fields named, never a crash.
 */
export function parseSmallForm<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new BadRequestError('The form was not filled in as expected.', zodFieldErrors(parsed.error));
  return parsed.data;
}
