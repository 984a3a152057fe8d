import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ORGANISATION_KINDS, organisationKindLabel } from '../../domain/accounts/organisation-kinds';
import { can } from '../../domain/access/policy';
import { PASSWORD_MIN_LENGTH } from '../../domain/accounts/password-policy';
import { ForbiddenError, NotFoundError, SignInRequiredError } from '../../web/errors';
import { handleForm, parseSmallForm } from '../../web/forms';
import { requestContext } from '../../web/session';
import {
  AuditQuery,
  ChangePasswordForm,
  DeleteAccountForm,
  EmailForm,
  InvitationParams,
  InviteForm,
  MemberParams,
  NewOrganisationForm,
  OrganisationParams,
  ResetPasswordForm,
  RoleForm,
  safeReturnTo,
  SignInForm,
  SignUpForm,
  SwitchForm,
  TokenParams,
  TokenQuery,
} from './accounts.schema';
import { hashToken as hashOf } from './tokens';

/** Rate limits on the endpoints people guess at: counted in the database, so they hold across app servers. */
const limit = (name: string, max: number, minutes: number) => ({
  rateLimit: {
    max,
    timeWindow: minutes * 60_000,
    hook: 'preHandler' as const,
    keyGenerator: (request: FastifyRequest) => {
      const body = request.body as { email?: unknown } | undefined;
      const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase().slice(0, 320) : '';
      // Per address and per email together: one person cannot try many passwords, nor one address flood an inbox.
      return `${name}:${request.ip}:${email}`;
    },
  },
});

function requireSignedIn(request: FastifyRequest) {
  if (request.actor.kind !== 'user' || !request.currentUser) throw new SignInRequiredError();
  return request.currentUser;
}

/** Sign-up, sign-in and out, email verification, password reset, account, organisations, invitations, audit. */
export async function accountsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { accounts, organisations } = app.services;
  const hide = { hide: true } as const;

  // Sign up

  r.get('/sign-up', { schema: hide }, async (request, reply) =>
    reply.page('accounts/views/sign-up.njk', { title: 'Create an account', values: { returnTo: (request.query as { returnTo?: string }).returnTo }, minLength: PASSWORD_MIN_LENGTH }),
  );

  r.post('/sign-up', { schema: hide, config: limit('sign-up', 10, 60) }, async (request, reply) =>
    handleForm(reply, { template: 'accounts/views/sign-up.njk', context: { title: 'Create an account', minLength: PASSWORD_MIN_LENGTH } }, SignUpForm, request.body, async (form) => {
      await accounts.signUp(form, requestContext(request));
      return reply.page('accounts/views/check-email.njk', {
        title: 'Check your email',
        email: form.email,
        message: 'We have sent you an email with a link to confirm your address. The link works for 24 hours.',
      });
    }),
  );

  r.get('/verify-email', { schema: { ...hide, querystring: TokenQuery } }, async (request, reply) => {
    await accounts.verifyEmail(request.query.token, requestContext(request));
    return reply.page('accounts/views/message.njk', {
      title: 'Email address confirmed',
      panel: 'Email address confirmed',
      body: 'You can now sign in to Trellis.',
      link: { href: '/sign-in', text: 'Sign in' },
    });
  });

  // Sign in and out

  r.get('/sign-in', { schema: hide }, async (request, reply) =>
    reply.page('accounts/views/sign-in.njk', { title: 'Sign in', values: { returnTo: (request.query as { returnTo?: string }).returnTo } }),
  );

  r.post('/sign-in', { schema: hide, config: limit('sign-in', 10, 15) }, async (request, reply) =>
    handleForm(reply, { template: 'accounts/views/sign-in.njk', context: { title: 'Sign in' } }, SignInForm, request.body, async (form) => {
      const context = requestContext(request);
      const user = await accounts.authenticate(form.email, form.password, context);
      // A new session id at every sign-in, and the old one (if any) ended: no session fixation.
      if (request.sessionId) await accounts.signOut(request.sessionId, request.actor, context);
      const session = await accounts.startSession(user, context, 'sign-in.success');
      return reply.startSession(session).redirect(safeReturnTo(form.returnTo), 303);
    }),
  );

  r.post('/sign-out', { schema: hide }, async (request, reply) => {
    if (request.sessionId) await accounts.signOut(request.sessionId, request.actor, requestContext(request));
    return reply.endSession().redirect('/signed-out', 303);
  });

  r.get('/signed-out', { schema: hide }, async (_request, reply) =>
    reply.page('accounts/views/message.njk', { title: 'You have signed out', panel: 'You have signed out', body: 'Thank you for using Trellis.', link: { href: '/sign-in', text: 'Sign in again' } }),
  );

  // Forgotten password

  r.get('/forgot-password', { schema: hide }, async (_request, reply) => reply.page('accounts/views/forgot-password.njk', { title: 'Reset your password' }));

  r.post('/forgot-password', { schema: hide, config: limit('reset', 5, 60) }, async (request, reply) =>
    handleForm(reply, { template: 'accounts/views/forgot-password.njk', context: { title: 'Reset your password' } }, EmailForm, request.body, async (form) => {
      await accounts.requestPasswordReset(form.email, requestContext(request));
      return reply.page('accounts/views/check-email.njk', {
        title: 'Check your email',
        email: form.email,
        message: 'If that address has a Trellis account, we have sent it a link to reset the password. The link works for 1 hour.',
      });
    }),
  );

  r.get('/reset-password', { schema: { ...hide, querystring: TokenQuery } }, async (request, reply) => {
    await accounts.checkResetToken(request.query.token);
    return reply.page('accounts/views/reset-password.njk', { title: 'Choose a new password', values: { token: request.query.token }, minLength: PASSWORD_MIN_LENGTH });
  });

  r.post('/reset-password', { schema: hide, config: limit('reset-password', 10, 60) }, async (request, reply) =>
    handleForm(reply, { template: 'accounts/views/reset-password.njk', context: { title: 'Choose a new password', minLength: PASSWORD_MIN_LENGTH } }, ResetPasswordForm, request.body, async (form) => {
      await accounts.resetPassword(form.token, form.password, form.passwordConfirm, requestContext(request));
      return reply.endSession().page('accounts/views/message.njk', {
        title: 'Password changed',
        panel: 'Password changed',
        body: 'Your password has been changed and you have been signed out everywhere.',
        link: { href: '/sign-in', text: 'Sign in' },
      });
    }),
  );

  // Account

  r.get('/account', { schema: hide }, async (request, reply) => {
    const user = requireSignedIn(request);
    return reply.page('accounts/views/account.njk', { title: 'Your account', user, kindLabel: organisationKindLabel, minLength: PASSWORD_MIN_LENGTH });
  });

  r.post('/account/password', { schema: hide, config: limit('change-password', 10, 15) }, async (request, reply) => {
    const user = requireSignedIn(request);
    return handleForm(
      reply,
      { template: 'accounts/views/account.njk', context: { title: 'Your account', user, kindLabel: organisationKindLabel, minLength: PASSWORD_MIN_LENGTH } },
      ChangePasswordForm,
      request.body,
      async (form) => {
        await accounts.changePassword(request.actor, request.sessionId!, form, requestContext(request));
        return reply.page('accounts/views/account.njk', { title: 'Your account', user, kindLabel: organisationKindLabel, minLength: PASSWORD_MIN_LENGTH, notice: 'Your password has been changed. You have been signed out on other devices.' });
      },
    );
  });

  r.get('/account/export', { schema: hide }, async (request, reply) => {
    requireSignedIn(request);
    const data = await accounts.exportData(request.actor);
    return reply.header('content-disposition', 'attachment; filename="trellis-my-data.json"').type('application/json; charset=utf-8').send(JSON.stringify(data, null, 2));
  });

  r.get('/account/delete', { schema: hide }, async (request, reply) => {
    const user = requireSignedIn(request);
    return reply.page('accounts/views/delete-account.njk', { title: 'Delete your account', user });
  });

  r.post('/account/delete', { schema: hide }, async (request, reply) => {
    const user = requireSignedIn(request);
    return handleForm(reply, { template: 'accounts/views/delete-account.njk', context: { title: 'Delete your account', user } }, DeleteAccountForm, request.body, async (form) => {
      await accounts.deleteAccount(request.actor, form.password, requestContext(request));
      return reply.endSession().page('accounts/views/message.njk', {
        title: 'Account deleted',
        panel: 'Account deleted',
        body: 'Your personal details have been removed. Anything you wrote stays, attributed to "former member".',
        link: { href: '/', text: 'Go to the home page' },
      });
    });
  });

  // Organisations

  const newOrganisationContext = async () => ({
    title: 'Add an organisation',
    kinds: ORGANISATION_KINDS,
    localAuthorities: await app.services.directory.localAuthorities(),
  });

  r.get('/organisations', { schema: hide }, async (request, reply) => {
    const user = requireSignedIn(request);
    return reply.page('accounts/views/organisations.njk', { title: 'Your organisations', user, kindLabel: organisationKindLabel });
  });

  r.get('/organisations/new', { schema: hide }, async (request, reply) => {
    requireSignedIn(request);
    const query = request.query as { urn?: string; trustUid?: string; kind?: string };
    return reply.page('accounts/views/new-organisation.njk', { ...(await newOrganisationContext()), values: query });
  });

  r.post('/organisations', { schema: hide }, async (request, reply) => {
    requireSignedIn(request);
    return handleForm(reply, { template: 'accounts/views/new-organisation.njk', context: await newOrganisationContext() }, NewOrganisationForm, request.body, async (form) => {
      const organisation = await organisations.create(request.actor, form, requestContext(request), hashOf(request.sessionId!));
      return reply.redirect(`/organisations/${organisation.id}`, 303);
    });
  });

  r.post('/organisations/switch', { schema: hide }, async (request, reply) => {
    requireSignedIn(request);
    const form = parseSmallForm(SwitchForm, request.body);
    await organisations.switchTo(request.actor, hashOf(request.sessionId!), form.organisationId);
    return reply.redirect(safeReturnTo(form.returnTo), 303);
  });

  const organisationPage = async (request: FastifyRequest, id: string) => {
    const view = await organisations.view(request.actor, id);
    return { title: view.organisation.name, ...view, kindLabel: organisationKindLabel, breadcrumbs: [{ text: 'Your organisations', href: '/organisations' }, { text: view.organisation.name }] };
  };

  r.get('/organisations/:id', { schema: { ...hide, params: OrganisationParams } }, async (request, reply) => {
    requireSignedIn(request);
    return reply.page('accounts/views/organisation.njk', await organisationPage(request, request.params.id));
  });

  r.post('/organisations/:id/invitations', { schema: { ...hide, params: OrganisationParams }, config: limit('invite', 30, 60) }, async (request, reply) => {
    requireSignedIn(request);
    const context = await organisationPage(request, request.params.id);
    return handleForm(reply, { template: 'accounts/views/organisation.njk', context }, InviteForm, request.body, async (form) => {
      await organisations.invite(request.actor, request.params.id, form, requestContext(request));
      return reply.page('accounts/views/organisation.njk', { ...(await organisationPage(request, request.params.id)), notice: `Invitation sent to ${form.email}.` });
    });
  });

  r.post('/organisations/:id/invitations/:invitationId/revoke', { schema: { ...hide, params: InvitationParams } }, async (request, reply) => {
    requireSignedIn(request);
    await organisations.revokeInvitation(request.actor, request.params.id, request.params.invitationId, requestContext(request));
    return reply.redirect(`/organisations/${request.params.id}`, 303);
  });

  r.post('/organisations/:id/members/:userId/role', { schema: { ...hide, params: MemberParams } }, async (request, reply) => {
    requireSignedIn(request);
    const form = parseSmallForm(RoleForm, request.body);
    await organisations.changeRole(request.actor, request.params.id, request.params.userId, form.role, requestContext(request));
    return reply.redirect(`/organisations/${request.params.id}`, 303);
  });

  r.post('/organisations/:id/members/:userId/remove', { schema: { ...hide, params: MemberParams } }, async (request, reply) => {
    const user = requireSignedIn(request);
    await organisations.removeMember(request.actor, request.params.id, request.params.userId, requestContext(request));
    return reply.redirect(request.params.userId === user.id ? '/organisations' : `/organisations/${request.params.id}`, 303);
  });

  // Invitations

  r.get('/invitations/:token', { schema: { ...hide, params: TokenParams } }, async (request, reply) => {
    const { invitation, organisation } = await organisations.invitation(request.params.token);
    return reply.page('accounts/views/invitation.njk', { title: `Join ${organisation.name}`, invitation, organisation, token: request.params.token, returnTo: request.url });
  });

  r.post('/invitations/:token', { schema: { ...hide, params: TokenParams }, config: limit('accept', 30, 60) }, async (request, reply) => {
    requireSignedIn(request);
    const organisation = await organisations.accept(request.actor, request.params.token, requestContext(request), hashOf(request.sessionId!));
    return reply.redirect(`/organisations/${organisation.id}`, 303);
  });

  // Audit log

  r.get('/admin/audit', { schema: { ...hide, querystring: AuditQuery } }, async (request, reply) => {
    requireSignedIn(request);
    if (!can(request.actor, 'audit:read', { type: 'platform' })) throw new ForbiddenError('Only platform admins can read the audit log.');
    const q = request.query;
    const pageSize = 50;
    const result = await accounts.accounts.auditEvents({
      event: q.event || undefined,
      email: q.email || undefined,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(new Date(q.to).getTime() + 86_400_000) : undefined,
      limit: pageSize,
      offset: (q.page - 1) * pageSize,
    });
    return reply.page('accounts/views/audit.njk', { title: 'Audit log', query: q, result, pages: Math.ceil(result.total / pageSize), events: AUDIT_EVENTS });
  });

  // Development outbox

  r.get('/dev/outbox', { schema: hide }, async (_request, reply) => {
    if (!app.devOutbox) throw new NotFoundError();
    return reply.page('accounts/views/outbox.njk', { title: 'Email outbox (development)', emails: await accounts.accounts.emails(100) });
  });
}


export const AUDIT_EVENTS = [
  'sign-in.success',
  'sign-in.failure',
  'sign-out',
  'account.created',
  'account.sign-up-existing',
  'account.email-verified',
  'account.deleted',
  'password-reset.requested',
  'password-reset.completed',
  'password-change.success',
  'password-change.failure',
  'organisation.created',
  'invitation.sent',
  'invitation.revoked',
  'invitation.accepted',
  'membership.role-changed',
  'membership.removed',
  'membership.left',
  'platform-role.changed',
  'rate-limit.exceeded',
];
