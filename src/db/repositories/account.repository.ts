import { and, desc, eq, gt, isNull, sql, type SQL } from 'drizzle-orm';
import type { MembershipRole, OrganisationKind } from '../../domain/accounts/organisation-kinds';
import type { Database, Db } from '../client';
import { auditEvents, emails, emailTokens, invitations, memberships, oidcStates, organisations, rateLimits, sessions, users } from '../schema';

export interface User {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string | null;
  emailVerifiedAt: Date | null;
  isFacilitator: boolean;
  isPlatformAdmin: boolean;
  oidcIssuer: string | null;
  oidcSubject: string | null;
  createdAt: Date;
  deletedAt: Date | null;
}

export interface Organisation {
  id: string;
  kind: OrganisationKind;
  name: string;
  urn: number | null;
  trustUid: string | null;
  laCode: string | null;
  postcode: string | null;
  easting: number | null;
  northing: number | null;
  createdAt: Date;
}

export interface MembershipWithOrganisation {
  organisation: Organisation;
  role: MembershipRole;
}

export interface Member {
  userId: string;
  displayName: string;
  email: string;
  role: MembershipRole;
  since: Date;
}

export interface Invitation {
  id: string;
  organisationId: string;
  emailKey: string;
  role: MembershipRole;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

export interface SessionRecord {
  idHash: string;
  userId: string;
  activeOrganisationId: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export interface AuditEvent {
  id: number;
  at: Date;
  event: string;
  actorUserId: string | null;
  actorName: string | null;
  subjectEmail: string | null;
  organisationId: string | null;
  organisationName: string | null;
  targetUserId: string | null;
  targetName: string | null;
  ip: string | null;
  detail: unknown;
}

const userColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  passwordHash: users.passwordHash,
  emailVerifiedAt: users.emailVerifiedAt,
  isFacilitator: users.isFacilitator,
  isPlatformAdmin: users.isPlatformAdmin,
  oidcIssuer: users.oidcIssuer,
  oidcSubject: users.oidcSubject,
  createdAt: users.createdAt,
  deletedAt: users.deletedAt,
};

export const emailKey = (email: string) => email.trim().toLowerCase();

/** Users, sessions, organisations, memberships, invitations, tokens, emails, audit and rate limits. */
export class AccountRepository {
  constructor(private readonly database: Database) {}

  get db(): Db {
    return this.database.db;
  }

  /** Runs `work` in one transaction, with a repository bound to it. */
  transaction<T>(work: (repo: AccountRepository) => Promise<T>): Promise<T> {
    return this.database.db.transaction((tx) => work(new AccountRepository({ ...this.database, db: tx as unknown as Db, rows: async (q) => ((await tx.execute(q)) as unknown as { rows: never[] }).rows })));
  }

  // Users

  async userByEmail(email: string): Promise<User | null> {
    const [row] = await this.db.select(userColumns).from(users).where(and(eq(users.emailKey, emailKey(email)), isNull(users.deletedAt)));
    return (row as User) ?? null;
  }

  async userById(id: string): Promise<User | null> {
    const [row] = await this.db.select(userColumns).from(users).where(eq(users.id, id));
    return (row as User) ?? null;
  }

  async userByOidc(issuer: string, subject: string): Promise<User | null> {
    const [row] = await this.db
      .select(userColumns)
      .from(users)
      .where(and(eq(users.oidcIssuer, issuer), eq(users.oidcSubject, subject), isNull(users.deletedAt)));
    return (row as User) ?? null;
  }

  async createUser(input: { email: string; displayName: string; passwordHash: string | null; emailVerified: boolean; oidcIssuer?: string; oidcSubject?: string }): Promise<User> {
    const [row] = await this.db
      .insert(users)
      .values({
        email: input.email.trim(),
        emailKey: emailKey(input.email),
        displayName: input.displayName,
        passwordHash: input.passwordHash,
        emailVerifiedAt: input.emailVerified ? new Date() : null,
        oidcIssuer: input.oidcIssuer ?? null,
        oidcSubject: input.oidcSubject ?? null,
      })
      .returning(userColumns);
    return row as User;
  }

  async setPassword(userId: string, passwordHash: string): Promise<void> {
    await this.db.update(users).set({ passwordHash }).where(eq(users.id, userId));
  }

  async markEmailVerified(userId: string): Promise<void> {
    await this.db.update(users).set({ emailVerifiedAt: new Date() }).where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)));
  }

  async linkOidc(userId: string, issuer: string, subject: string): Promise<void> {
    await this.db.update(users).set({ oidcIssuer: issuer, oidcSubject: subject, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` }).where(eq(users.id, userId));
  }

  async setPlatformRoles(userId: string, roles: { isFacilitator?: boolean; isPlatformAdmin?: boolean }): Promise<void> {
    await this.db.update(users).set(roles).where(eq(users.id, userId));
  }

  /** Removes personal data; the row stays so that content keeps its author, shown as "former member". */
  async anonymiseUser(userId: string): Promise<void> {
    await this.db
      .update(users)
      .set({
        email: `deleted-${userId}@invalid`,
        emailKey: `deleted-${userId}@invalid`,
        displayName: 'Former member',
        passwordHash: null,
        oidcIssuer: null,
        oidcSubject: null,
        isFacilitator: false,
        isPlatformAdmin: false,
        deletedAt: new Date(),
      })
      .where(eq(users.id, userId));
    await this.db.delete(memberships).where(eq(memberships.userId, userId));
    await this.db.delete(sessions).where(eq(sessions.userId, userId));
    await this.db.delete(emailTokens).where(eq(emailTokens.userId, userId));
  }

  // Sessions

  async createSession(input: { idHash: string; userId: string; expiresAt: Date; activeOrganisationId: string | null; userAgent: string | null }): Promise<void> {
    await this.db.insert(sessions).values(input);
  }

  async session(idHash: string): Promise<SessionRecord | null> {
    const [row] = await this.db
      .select({
        idHash: sessions.idHash,
        userId: sessions.userId,
        activeOrganisationId: sessions.activeOrganisationId,
        createdAt: sessions.createdAt,
        lastSeenAt: sessions.lastSeenAt,
        expiresAt: sessions.expiresAt,
      })
      .from(sessions)
      .where(eq(sessions.idHash, idHash));
    return row ?? null;
  }

  async touchSession(idHash: string, at: Date): Promise<void> {
    await this.db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.idHash, idHash));
  }

  async setActiveOrganisation(idHash: string, organisationId: string | null): Promise<void> {
    await this.db.update(sessions).set({ activeOrganisationId: organisationId }).where(eq(sessions.idHash, idHash));
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.delete(sessions).where(eq(sessions.idHash, idHash));
  }

  async deleteSessionsOf(userId: string, except?: string): Promise<void> {
    await this.db.delete(sessions).where(except ? and(eq(sessions.userId, userId), sql`${sessions.idHash} <> ${except}`) : eq(sessions.userId, userId));
  }

  // Organisations and memberships

  async createOrganisation(input: Omit<Organisation, 'id' | 'createdAt'> & { createdBy: string }): Promise<Organisation> {
    const [row] = await this.db.insert(organisations).values(input).returning();
    return row as unknown as Organisation;
  }

  async organisation(id: string): Promise<Organisation | null> {
    const [row] = await this.db.select().from(organisations).where(eq(organisations.id, id));
    return (row as unknown as Organisation) ?? null;
  }

  async organisationBySchool(urn: number): Promise<Organisation | null> {
    const [row] = await this.db.select().from(organisations).where(eq(organisations.urn, urn));
    return (row as unknown as Organisation) ?? null;
  }

  async organisationByTrust(uid: string): Promise<Organisation | null> {
    const [row] = await this.db.select().from(organisations).where(eq(organisations.trustUid, uid));
    return (row as unknown as Organisation) ?? null;
  }

  async addMembership(userId: string, organisationId: string, role: MembershipRole): Promise<void> {
    await this.db.insert(memberships).values({ userId, organisationId, role }).onConflictDoNothing();
  }

  async setRole(userId: string, organisationId: string, role: MembershipRole): Promise<boolean> {
    const rows = await this.db
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.userId, userId), eq(memberships.organisationId, organisationId)))
      .returning({ userId: memberships.userId });
    return rows.length > 0;
  }

  async removeMembership(userId: string, organisationId: string): Promise<boolean> {
    const rows = await this.db
      .delete(memberships)
      .where(and(eq(memberships.userId, userId), eq(memberships.organisationId, organisationId)))
      .returning({ userId: memberships.userId });
    return rows.length > 0;
  }

  async membershipsOf(userId: string): Promise<MembershipWithOrganisation[]> {
    const rows = await this.db
      .select({ organisation: organisations, role: memberships.role })
      .from(memberships)
      .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
      .where(eq(memberships.userId, userId))
      .orderBy(organisations.name);
    return rows as unknown as MembershipWithOrganisation[];
  }

  async members(organisationId: string): Promise<Member[]> {
    const rows = await this.db
      .select({ userId: users.id, displayName: users.displayName, email: users.email, role: memberships.role, since: memberships.createdAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.organisationId, organisationId))
      .orderBy(users.displayName);
    return rows as Member[];
  }

  // Invitations

  async createInvitation(input: { organisationId: string; emailKey: string; role: MembershipRole; tokenHash: string; invitedBy: string; expiresAt: Date }): Promise<Invitation> {
    const [row] = await this.db.insert(invitations).values(input).returning();
    return row as unknown as Invitation;
  }

  async invitationByToken(tokenHash: string): Promise<Invitation | null> {
    const [row] = await this.db.select().from(invitations).where(eq(invitations.tokenHash, tokenHash));
    return (row as unknown as Invitation) ?? null;
  }

  /** Marks an invitation used, once: false if it was already used, revoked or expired (so two accepts cannot both win). */
  async consumeInvitation(id: string, userId: string, now: Date): Promise<boolean> {
    const rows = await this.db
      .update(invitations)
      .set({ acceptedAt: now, acceptedBy: userId })
      .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)))
      .returning({ id: invitations.id });
    return rows.length > 0;
  }

  async pendingInvitations(organisationId: string, now: Date): Promise<Invitation[]> {
    const rows = await this.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.organisationId, organisationId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)))
      .orderBy(desc(invitations.createdAt));
    return rows as unknown as Invitation[];
  }

  async pendingInvitationsForEmail(email: string, now: Date): Promise<(Invitation & { tokenHash: string })[]> {
    const rows = await this.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.emailKey, emailKey(email)), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)));
    return rows as unknown as (Invitation & { tokenHash: string })[];
  }

  async revokeInvitation(id: string, organisationId: string): Promise<boolean> {
    const rows = await this.db
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(and(eq(invitations.id, id), eq(invitations.organisationId, organisationId), isNull(invitations.acceptedAt)))
      .returning({ id: invitations.id });
    return rows.length > 0;
  }

  // Email tokens

  async createEmailToken(input: { tokenHash: string; purpose: 'verify-email' | 'reset-password'; userId: string; expiresAt: Date }): Promise<void> {
    await this.db.insert(emailTokens).values(input);
  }

  /** Uses a token once: returns its user if it was unused, unexpired and for this purpose. */
  async consumeEmailToken(tokenHash: string, purpose: string, now: Date): Promise<string | null> {
    const rows = await this.db
      .update(emailTokens)
      .set({ usedAt: now })
      .where(and(eq(emailTokens.tokenHash, tokenHash), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)))
      .returning({ userId: emailTokens.userId });
    return rows[0]?.userId ?? null;
  }

  async emailTokenState(tokenHash: string, purpose: string, now: Date): Promise<'valid' | 'used' | 'expired' | 'unknown'> {
    const [row] = await this.db.select().from(emailTokens).where(and(eq(emailTokens.tokenHash, tokenHash), eq(emailTokens.purpose, purpose)));
    if (!row) return 'unknown';
    if (row.usedAt) return 'used';
    if (row.expiresAt <= now) return 'expired';
    return 'valid';
  }

  // OpenID Connect round trips

  async saveOidcState(input: { stateHash: string; nonce: string; codeVerifier: string; returnTo: string | null; expiresAt: Date }): Promise<void> {
    await this.db.insert(oidcStates).values(input);
  }

  async takeOidcState(stateHash: string, now: Date): Promise<{ nonce: string; codeVerifier: string; returnTo: string | null } | null> {
    const rows = await this.db
      .delete(oidcStates)
      .where(and(eq(oidcStates.stateHash, stateHash), gt(oidcStates.expiresAt, now)))
      .returning({ nonce: oidcStates.nonce, codeVerifier: oidcStates.codeVerifier, returnTo: oidcStates.returnTo });
    return rows[0] ?? null;
  }

  // Emails

  async recordEmail(input: { to: string; subject: string; text: string; transport: string; sentAt: Date | null }): Promise<string> {
    const [row] = await this.db.insert(emails).values(input).returning({ id: emails.id });
    return row!.id;
  }

  async emails(limit = 100): Promise<{ id: string; to: string; subject: string; text: string; createdAt: Date; sentAt: Date | null; transport: string }[]> {
    return this.db.select().from(emails).orderBy(desc(emails.createdAt)).limit(limit);
  }

  // Audit

  async audit(event: {
    event: string;
    actorUserId?: string | null;
    subjectEmail?: string | null;
    organisationId?: string | null;
    targetUserId?: string | null;
    ip?: string | null;
    detail?: Record<string, unknown>;
  }): Promise<void> {
    await this.db.insert(auditEvents).values({
      event: event.event,
      actorUserId: event.actorUserId ?? null,
      subjectEmail: event.subjectEmail ?? null,
      organisationId: event.organisationId ?? null,
      targetUserId: event.targetUserId ?? null,
      ip: event.ip ?? null,
      detail: event.detail ?? null,
    });
  }

  async auditEvents(filter: { event?: string; email?: string; organisationId?: string; from?: Date; to?: Date; limit: number; offset: number }): Promise<{ total: number; events: AuditEvent[] }> {
    const where: SQL[] = [];
    if (filter.event) where.push(sql`a.event = ${filter.event}`);
    if (filter.email) where.push(sql`(lower(a.subject_email) = ${emailKey(filter.email)} or actor.email_key = ${emailKey(filter.email)} or target.email_key = ${emailKey(filter.email)})`);
    if (filter.organisationId) where.push(sql`a.organisation_id = ${filter.organisationId}`);
    if (filter.from) where.push(sql`a.at >= ${filter.from.toISOString()}`);
    if (filter.to) where.push(sql`a.at < ${filter.to.toISOString()}`);
    const whereSql = where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``;
    const rows = await this.database.rows<AuditEvent & { total: number }>(sql`
      select a.id::int as id, a.at, a.event, a.actor_user_id as "actorUserId", actor.display_name as "actorName",
             a.subject_email as "subjectEmail", a.organisation_id as "organisationId", o.name as "organisationName",
             a.target_user_id as "targetUserId", target.display_name as "targetName", a.ip, a.detail,
             count(*) over ()::int as total
      from audit_events a
      left join users actor on actor.id = a.actor_user_id
      left join users target on target.id = a.target_user_id
      left join organisations o on o.id = a.organisation_id
      ${whereSql}
      order by a.at desc, a.id desc
      limit ${filter.limit} offset ${filter.offset}`);
    return { total: rows[0]?.total ?? 0, events: rows.map(({ total: _t, ...e }) => ({ ...e, at: new Date(e.at) })) };
  }

  // Rate limits

  /** Counts one hit on `key` in a fixed window; returns the count so far and when the window ends. */
  async hit(key: string, windowMs: number, now: Date): Promise<{ count: number; resetAt: Date }> {
    const resetAt = new Date(now.getTime() + windowMs);
    const [row] = await this.database.rows<{ count: number; resetAt: string | Date }>(sql`
      insert into rate_limits (key, count, reset_at) values (${key}, 1, ${resetAt.toISOString()})
      on conflict (key) do update set
        count = case when rate_limits.reset_at <= ${now.toISOString()} then 1 else rate_limits.count + 1 end,
        reset_at = case when rate_limits.reset_at <= ${now.toISOString()} then excluded.reset_at else rate_limits.reset_at end
      returning count, reset_at as "resetAt"`);
    return { count: row!.count, resetAt: new Date(row!.resetAt) };
  }

  async resetRateLimit(key: string): Promise<void> {
    await this.db.delete(rateLimits).where(eq(rateLimits.key, key));
  }
}
