import type { FastifyInstance } from 'fastify';
import { parse, type HTMLElement } from 'node-html-parser';

/**
 * A small cookie-keeping client over app.inject, for page tests of forms: it remembers cookies like a browser and
 * sends the CSRF token of the form it last saw, as a person submitting that form would.
 */
export class TestClient {
  private readonly cookies = new Map<string, string>();
  lastHtml: HTMLElement | null = null;

  constructor(private readonly app: FastifyInstance, private readonly ip = '127.0.0.1') {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(setCookie: string | string[] | undefined) {
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair, ...attributes] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      const expired = attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  async get(url: string) {
    const response = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), accept: 'text/html' }, remoteAddress: this.ip });
    this.keep(response.headers['set-cookie']);
    const html = parse(response.body);
    if ((response.headers['content-type'] ?? '').toString().includes('text/html')) this.lastHtml = html;
    return { status: response.statusCode, html, body: response.body, headers: response.headers, location: response.headers.location as string | undefined };
  }

  /** The CSRF token in the last page's form whose action is `action` (or its first form). */
  csrfFor(action: string): string {
    const form = this.lastHtml?.querySelectorAll('form').find((f) => f.getAttribute('action') === action) ?? this.lastHtml?.querySelector('form[method=post]');
    return form?.querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';
  }

  /** Posts a form; a field given as an array is sent once per value (checkboxes). */
  async post(url: string, fields: Record<string, string | string[]>, options: { csrf?: string | null } = {}) {
    const csrf = options.csrf === undefined ? this.csrfFor(url) : options.csrf;
    const params = new URLSearchParams(csrf === null ? {} : { _csrf: csrf });
    for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) params.append(k, x);
    const body = params.toString();
    const response = await this.app.inject({
      method: 'POST',
      url,
      payload: body,
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      remoteAddress: this.ip,
    });
    this.keep(response.headers['set-cookie']);
    const html = parse(response.body);
    if ((response.headers['content-type'] ?? '').toString().includes('text/html')) this.lastHtml = html;
    return { status: response.statusCode, html, body: response.body, headers: response.headers, location: response.headers.location as string | undefined };
  }

  /** Posts a multipart form (an upload): fields, and one file. */
  async postMultipart(url: string, fields: Record<string, string>, file: { field: string; name: string; content: Buffer | string; type?: string }, options: { csrf?: string | null } = {}) {
    const csrf = options.csrf === undefined ? this.csrfFor(url) : options.csrf;
    const boundary = `----trellis${Math.random().toString(16).slice(2)}`;
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries({ ...(csrf === null ? {} : { _csrf: csrf }), ...fields })) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    }
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`));
    parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
    parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
    const response = await this.app.inject({
      method: 'POST',
      url,
      payload: Buffer.concat(parts),
      headers: { cookie: this.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'text/html' },
      remoteAddress: this.ip,
    });
    this.keep(response.headers['set-cookie']);
    const html = parse(response.body);
    if ((response.headers['content-type'] ?? '').toString().includes('text/html')) this.lastHtml = html;
    return { status: response.statusCode, html, body: response.body, headers: response.headers, location: response.headers.location as string | undefined };
  }

  /** Loads the form page, then submits it: the common "fill in and send" step. */
  async submit(pageUrl: string, action: string, fields: Record<string, string | string[]>) {
    await this.get(pageUrl);
    return this.post(action, fields);
  }
}

/** The links in the newest email to `to` from the outbox table. */
export async function latestEmail(app: FastifyInstance, to: string): Promise<{ subject: string; text: string; links: string[] }> {
  const emails = await app.services.accounts.accounts.emails(200);
  const email = emails.find((e) => e.to.toLowerCase() === to.toLowerCase());
  if (!email) throw new Error(`no email to ${to}`);
  return { subject: email.subject, text: email.text, links: [...email.text.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]) };
}

/** A path (with query) from an absolute link in an email. */
export function pathOf(link: string): string {
  const url = new URL(link);
  return url.pathname + url.search;
}
