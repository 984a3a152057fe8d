import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ANONYMOUS, type Actor } from '../domain/access/policy';
import type { MembershipRole } from '../domain/accounts/organisation-kinds';
import type { AccountRepository, MembershipWithOrganisation } from '../db/repositories/account.repository';
import { hashToken } from '../modules/accounts/tokens';
import { SESSION_COOKIE } from './page-cache';

export interface CurrentUser {
  id: string;
  email: string;
  displayName: string;
  isFacilitator: boolean;
  isPlatformAdmin: boolean;
  memberships: MembershipWithOrganisation[];
  activeOrganisationId: string | null;
  /** Unread inbox notifications. */
  unread?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    currentUser: CurrentUser | null;
    /** The raw session id from the cookie, when the session is valid. */
    sessionId: string | null;
  }
  interface FastifyReply {
    startSession(session: { id: string; expiresAt: Date }): FastifyReply;
    endSession(): FastifyReply;
  }
}

export interface SessionOptions {
  accounts: AccountRepository;
  idleMs: number;
  secure: boolean;
}

/** Sessions live in the database: any app server can serve any request, and nothing is kept in memory. */
export const sessions = fp(
  async (app: FastifyInstance, options: SessionOptions) => {
    const { accounts, idleMs, secure } = options;
    app.decorateRequest('actor', null as never);
    app.decorateRequest('currentUser', null);
    app.decorateRequest('sessionId', null);

    app.decorateReply('startSession', function (this: FastifyReply, session: { id: string; expiresAt: Date }) {
      return this.setCookie(SESSION_COOKIE, session.id, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: session.expiresAt });
    });
    app.decorateReply('endSession', function (this: FastifyReply) {
      return this.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
    });

    app.addHook('onRequest', async (request, reply) => {
      request.actor = ANONYMOUS;
      const id = request.cookies[SESSION_COOKIE];
      if (!id || id.length > 100) return;
      const idHash = hashToken(id);
      const session = await accounts.session(idHash);
      const now = Date.now();
      if (!session || session.expiresAt.getTime() <= now || session.lastSeenAt.getTime() + idleMs <= now) {
        if (session) await accounts.deleteSession(idHash);
        reply.endSession();
        return;
      }
      const user = await accounts.userById(session.userId);
      if (!user || user.deletedAt) {
        reply.endSession();
        return;
      }
      const memberships = await accounts.membershipsOf(user.id);
      // Refresh "last seen" at most once a minute: enough for the idle timeout, without a write per request.
      if (now - session.lastSeenAt.getTime() > 60_000) await accounts.touchSession(idHash, new Date(now));
      const active = memberships.some((m) => m.organisation.id === session.activeOrganisationId) ? session.activeOrganisationId : (memberships[0]?.organisation.id ?? null);
      request.sessionId = id;
      request.currentUser = {
        id: user.id,
        email: user.email,
        displayName: user.displayName,
        isFacilitator: user.isFacilitator,
        isPlatformAdmin: user.isPlatformAdmin,
        memberships,
        activeOrganisationId: active,
      };
      request.actor = {
        kind: 'user',
        userId: user.id,
        emailVerified: Boolean(user.emailVerifiedAt),
        isFacilitator: user.isFacilitator,
        isPlatformAdmin: user.isPlatformAdmin,
        memberships: new Map(memberships.map((m) => [m.organisation.id, m.role as MembershipRole])),
      };
    });
  },
  { name: 'sessions', dependencies: ['@fastify/cookie'] },
);

/** The request's IP and user agent, for the audit log. */
export function requestContext(request: FastifyRequest) {
  return { ip: request.ip ?? null, userAgent: (request.headers['user-agent'] as string | undefined) ?? null };
}
