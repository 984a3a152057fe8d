import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { passwordProblem } from '../../domain/accounts/password-policy';
import { can, type Actor } from '../../domain/access/policy';
import { AccountRepository, type User } from '../../db/repositories/account.repository';
import { ForbiddenError, FormError, GoneError } from '../../web/errors';
import type { Mailer } from './mailer';
import { hashToken, newToken } from './tokens';

/** About 49,000 passwords people commonly choose (zxcvbn-ts's list, MIT), lower-cased. */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

export interface AccountsOptions {
  publicUrl: string;
  /** Lower-cased emails granted platform roles at sign-in (from configuration). */
  bootstrapRoles?: { facilitators: ReadonlySet<string>; admins: ReadonlySet<string> };
  argon2: { memoryCost: number; timeCost: number };
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
}

export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}

export interface NewSession {
  /** The cookie value: only its hash is stored. */
  id: string;
  expiresAt: Date;
}

const VERIFY_EMAIL_TTL_MS = 24 * 60 * 60 * 1000;
const RESET_PASSWORD_TTL_MS = 60 * 60 * 1000;

/** Sign-up, email verification, sign-in and out, password reset and change, data export, account deletion. */
export class AccountsService {
  /** A hash to verify against when the email is unknown, so a wrong email takes as long as a wrong password. */
  private dummyHash: Promise<string> | null = null;

  constructor(
    readonly accounts: AccountRepository,
    private readonly mailer: Mailer,
    private readonly options: AccountsOptions,
  ) {}

  hashPassword(password: string): Promise<string> {
    return hash(password, { memoryCost: this.options.argon2.memoryCost, timeCost: this.options.argon2.timeCost, parallelism: 1, algorithm: 2 });
  }

  checkNewPassword(password: string, confirm: string | undefined, context: { email?: string; displayName?: string }, field = 'password'): void {
    const problem = passwordProblem(password, COMMON_PASSWORDS, context);
    if (problem) throw new FormError([{ field, message: problem }]);
    if (confirm !== undefined && confirm !== password) throw new FormError([{ field: `${field}Confirm`, message: 'The passwords do not match' }]);
  }

  /**
   * Creates an account and emails a verification link. If the email already has an account, that person is told by
   * email instead, and the page says the same thing either way, so the form cannot be used to find who has an account.
   */
  async signUp(input: { email: string; displayName: string; password: string }, context: RequestContext): Promise<void> {
    this.checkNewPassword(input.password, undefined, input);
    const existing = await this.accounts.userByEmail(input.email);
    if (existing) {
      await this.mailer.send({
        to: existing.email,
        subject: 'Someone tried to create a Trellis account with your email',
        text: `Someone (perhaps you) tried to create a Trellis account with this email address, which already has one.\n\nSign in: ${this.options.publicUrl}/sign-in\nForgotten your password? ${this.options.publicUrl}/forgot-password\n\nIf it was not you, you need do nothing.`,
      });
      await this.accounts.audit({ event: 'account.sign-up-existing', actorUserId: null, subjectEmail: input.email, ip: context.ip });
      return;
    }
    const passwordHash = await this.hashPassword(input.password);
    const user = await this.accounts.createUser({ email: input.email, displayName: input.displayName, passwordHash, emailVerified: false });
    await this.sendVerification(user);
    await this.accounts.audit({ event: 'account.created', actorUserId: user.id, ip: context.ip });
  }

  async sendVerification(user: User): Promise<void> {
    const token = newToken();
    await this.accounts.createEmailToken({ tokenHash: hashToken(token), purpose: 'verify-email', userId: user.id, expiresAt: new Date(Date.now() + VERIFY_EMAIL_TTL_MS) });
    await this.mailer.send({
      to: user.email,
      subject: 'Confirm your email address for Trellis',
      text: `Hello ${user.displayName},\n\nConfirm your email address to finish creating your Trellis account:\n\n${this.options.publicUrl}/verify-email?token=${token}\n\nThe link works once, for 24 hours.`,
    });
  }

  async verifyEmail(token: string, context: RequestContext): Promise<User> {
    const tokenHash = hashToken(token);
    const userId = await this.accounts.consumeEmailToken(tokenHash, 'verify-email', new Date());
    if (!userId) throw new GoneError(await this.tokenMessage(tokenHash, 'verify-email'));
    await this.accounts.markEmailVerified(userId);
    await this.accounts.audit({ event: 'account.email-verified', actorUserId: userId, ip: context.ip });
    return (await this.accounts.userById(userId))!;
  }

  private async tokenMessage(tokenHash: string, purpose: 'verify-email' | 'reset-password'): Promise<string> {
    const state = await this.accounts.emailTokenState(tokenHash, purpose, new Date());
    const again = purpose === 'verify-email' ? 'Sign in to have a new link sent.' : 'Ask for a new link.';
    if (state === 'used') return `That link has already been used. ${purpose === 'verify-email' ? 'Your email address is confirmed: sign in.' : again}`;
    if (state === 'expired') return `That link has expired. ${again}`;
    return `That link is not valid. Check you copied all of it, or ${again.toLowerCase()}`;
  }

  /**
   * Checks an email and password. Every failure is audited and gets the same message, whether the email is unknown
   * or the password wrong.
   */
  async authenticate(email: string, password: string, context: RequestContext): Promise<User> {
    const user = await this.accounts.userByEmail(email);
    const hashToCheck = user?.passwordHash ?? (await (this.dummyHash ??= this.hashPassword('not a real password, for timing')));
    const ok = await verify(hashToCheck, password).catch(() => false);
    if (!user || !user.passwordHash || !ok) {
      await this.accounts.audit({ event: 'sign-in.failure', actorUserId: null, subjectEmail: email.slice(0, 320), targetUserId: user?.id ?? null, ip: context.ip, detail: { reason: !user ? 'unknown email' : !user.passwordHash ? 'no password (single sign-on account)' : 'wrong password' } });
      throw new FormError([{ field: 'email', message: 'Enter a correct email address and password' }]);
    }
    if (!user.emailVerifiedAt) {
      await this.accounts.audit({ event: 'sign-in.failure', targetUserId: user.id, ip: context.ip, detail: { reason: 'email not verified' } });
      await this.sendVerification(user);
      throw new FormError([{ field: 'email', message: 'Confirm your email address first: we have sent you a new link' }]);
    }
    return user;
  }

  /** Starts a new session (a new id every time: signing in never reuses an earlier session id). */
  async startSession(user: User, context: RequestContext, event: string): Promise<NewSession> {
    const roles = this.options.bootstrapRoles;
    const key = user.email.toLowerCase();
    if (roles && ((roles.facilitators.has(key) && !user.isFacilitator) || (roles.admins.has(key) && !user.isPlatformAdmin))) {
      const grant = { ...(roles.facilitators.has(key) ? { isFacilitator: true } : {}), ...(roles.admins.has(key) ? { isPlatformAdmin: true } : {}) };
      await this.accounts.setPlatformRoles(user.id, grant);
      await this.accounts.audit({ event: 'platform-role.changed', targetUserId: user.id, ip: context.ip, detail: { ...grant, via: 'configuration' } });
    }
    const id = newToken();
    const now = Date.now();
    const expiresAt = new Date(now + this.options.sessionAbsoluteMs);
    const memberships = await this.accounts.membershipsOf(user.id);
    await this.accounts.createSession({ idHash: hashToken(id), userId: user.id, expiresAt, activeOrganisationId: memberships[0]?.organisation.id ?? null, userAgent: context.userAgent?.slice(0, 300) ?? null });
    await this.accounts.audit({ event, actorUserId: user.id, ip: context.ip });
    return { id, expiresAt };
  }

  async signOut(sessionId: string, actor: Actor, context: RequestContext): Promise<void> {
    await this.accounts.deleteSession(hashToken(sessionId));
    if (actor.kind === 'user') await this.accounts.audit({ event: 'sign-out', actorUserId: actor.userId, ip: context.ip });
  }

  /** Emails a reset link if the address has an account; says nothing either way. */
  async requestPasswordReset(email: string, context: RequestContext): Promise<void> {
    const user = await this.accounts.userByEmail(email);
    await this.accounts.audit({ event: 'password-reset.requested', subjectEmail: email.slice(0, 320), targetUserId: user?.id ?? null, ip: context.ip });
    if (!user) return;
    const token = newToken();
    await this.accounts.createEmailToken({ tokenHash: hashToken(token), purpose: 'reset-password', userId: user.id, expiresAt: new Date(Date.now() + RESET_PASSWORD_TTL_MS) });
    await this.mailer.send({
      to: user.email,
      subject: 'Reset your Trellis password',
      text: `Hello ${user.displayName},\n\nChoose a new Trellis password here:\n\n${this.options.publicUrl}/reset-password?token=${token}\n\nThe link works once, for 1 hour. If you did not ask for it, you need do nothing.`,
    });
  }

  async checkResetToken(token: string): Promise<void> {
    const tokenHash = hashToken(token);
    if ((await this.accounts.emailTokenState(tokenHash, 'reset-password', new Date())) !== 'valid') {
      throw new GoneError(await this.tokenMessage(tokenHash, 'reset-password'));
    }
  }

  /** Sets a new password from a reset link and signs the person out everywhere. */
  async resetPassword(token: string, password: string, confirm: string, context: RequestContext): Promise<void> {
    const tokenHash = hashToken(token);
    await this.checkResetToken(token);
    this.checkNewPassword(password, confirm, {});
    const userId = await this.accounts.consumeEmailToken(tokenHash, 'reset-password', new Date());
    if (!userId) throw new GoneError(await this.tokenMessage(tokenHash, 'reset-password'));
    await this.accounts.setPassword(userId, await this.hashPassword(password));
    await this.accounts.markEmailVerified(userId);
    await this.accounts.deleteSessionsOf(userId);
    await this.accounts.audit({ event: 'password-reset.completed', actorUserId: userId, ip: context.ip });
  }

  async changePassword(actor: Actor, sessionId: string, input: { current: string; password: string; passwordConfirm: string }, context: RequestContext): Promise<void> {
    if (actor.kind !== 'user' || !can(actor, 'account:manage', { type: 'account', userId: actor.userId })) throw new ForbiddenError();
    const user = (await this.accounts.userById(actor.userId))!;
    if (user.passwordHash && !(await verify(user.passwordHash, input.current).catch(() => false))) {
      await this.accounts.audit({ event: 'password-change.failure', actorUserId: user.id, ip: context.ip });
      throw new FormError([{ field: 'current', message: 'Your current password is not correct' }]);
    }
    this.checkNewPassword(input.password, input.passwordConfirm, user);
    await this.accounts.setPassword(user.id, await this.hashPassword(input.password));
    await this.accounts.deleteSessionsOf(user.id, hashToken(sessionId));
    await this.accounts.audit({ event: 'password-change.success', actorUserId: user.id, ip: context.ip });
  }

  /** Everything Trellis holds about the person, as JSON (UK GDPR right of access). */
  async exportData(actor: Actor): Promise<Record<string, unknown>> {
    if (actor.kind !== 'user') throw new ForbiddenError();
    const user = (await this.accounts.userById(actor.userId))!;
    const memberships = await this.accounts.membershipsOf(user.id);
    const events = await this.accounts.auditEvents({ email: user.email, limit: 1000, offset: 0 });
    return {
      exportedAt: new Date().toISOString(),
      account: {
        id: user.id,
        email: user.email,
        displayName: user.displayName,
        emailVerifiedAt: user.emailVerifiedAt,
        createdAt: user.createdAt,
        signInWithOrganisationAccount: Boolean(user.oidcSubject),
        facilitator: user.isFacilitator,
        platformAdmin: user.isPlatformAdmin,
      },
      memberships: memberships.map((m) => ({ organisation: m.organisation.name, kind: m.organisation.kind, role: m.role })),
      securityEvents: events.events.map((e) => ({ at: e.at, event: e.event, ip: e.ip })),
    };
  }

  /** Deletes the account: personal data removed, content stays attributed to "former member". */
  async deleteAccount(actor: Actor, password: string | undefined, context: RequestContext): Promise<void> {
    if (actor.kind !== 'user') throw new ForbiddenError();
    const user = (await this.accounts.userById(actor.userId))!;
    if (user.passwordHash && !(await verify(user.passwordHash, password ?? '').catch(() => false))) {
      throw new FormError([{ field: 'password', message: 'Enter your password to confirm' }]);
    }
    await this.accounts.transaction(async (repo) => {
      await repo.anonymiseUser(user.id);
      await repo.audit({ event: 'account.deleted', targetUserId: user.id, ip: context.ip });
    });
  }
}
