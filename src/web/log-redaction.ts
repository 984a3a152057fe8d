import type { FastifyRequest } from 'fastify';

/**
 * Request URLs can carry secrets: email-verification, password-reset and invitation tokens, and OpenID Connect codes
 * and state. Logs must never hold them, so every logged URL passes through here.
 */
export function redactUrl(url: string): string {
  return url
    .replace(/([?&](?:token|code|state|session_state)=)[^&#]*/gi, '$1[redacted]')
    .replace(/^(\/invitations\/)[^/?#]+/, '$1[redacted]');
}

/** pino serializer for requests: method, redacted URL and remote address; never headers (cookies) or bodies. */
export function requestSerializer(request: FastifyRequest) {
  return { method: request.method, url: redactUrl(request.url), remoteAddress: request.ip };
}
