import { can, type Actor } from '../../domain/access/policy';
import { organisationKindLabel, type MembershipRole, type OrganisationKind } from '../../domain/accounts/organisation-kinds';
import type { AccountRepository, Invitation, Member, Organisation } from '../../db/repositories/account.repository';
import type { EstablishmentRepository } from '../../db/repositories/establishment.repository';
import type { OrganisationDirectoryRepository } from '../../db/repositories/organisation-directory.repository';
import { ConflictError, ForbiddenError, FormError, GoneError, NotFoundError, SignInRequiredError } from '../../web/errors';
import type { Mailer } from './mailer';
import type { RequestContext } from './accounts.service';
import { hashToken, newToken } from './tokens';

const INVITATION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

export interface NewOrganisationInput {
  kind: OrganisationKind;
  /** For schools. */
  urn?: number | undefined;
  /** For trusts. */
  trustUid?: string | undefined;
  /** For local authorities. */
  laCode?: string | undefined;
  /** For every other kind. */
  name?: string | undefined;
  postcode?: string | undefined;
}

function requireUser(actor: Actor): Extract<Actor, { kind: 'user' }> {
  if (actor.kind !== 'user') throw new SignInRequiredError();
  return actor;
}

/** Organisations, memberships and invitations. Every method checks the policy first. */
export class OrganisationsService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly establishments: EstablishmentRepository,
    private readonly directory: OrganisationDirectoryRepository,
    private readonly mailer: Mailer,
    private readonly publicUrl: string,
  ) {}

  /**
   * Creates an organisation with its creator as admin. Schools and trusts come from the directory (one
   * organisation each); local authorities from the DfE's list; others by name.
   */
  async create(actor: Actor, input: NewOrganisationInput, context: RequestContext, sessionIdHash?: string): Promise<Organisation> {
    const user = requireUser(actor);
    if (!can(user, 'organisation:create', { type: 'platform' })) throw new ForbiddenError('Confirm your email address before creating an organisation.');
    let fields: Omit<Organisation, 'id' | 'createdAt'>;
    const base = { urn: null, trustUid: null, laCode: null, postcode: null, easting: null, northing: null };
    switch (input.kind) {
      case 'school': {
        const school = input.urn ? await this.establishments.byUrn(input.urn) : null;
        if (!school) throw new FormError([{ field: 'urn', message: 'Enter the URN of a school in the directory (six digits)' }]);
        if (await this.accounts.organisationBySchool(school.urn)) {
          throw new FormError([{ field: 'urn', message: `${school.name} is already on Trellis: ask its organisation admin to invite you` }]);
        }
        fields = { ...base, kind: 'school', name: school.name, urn: school.urn, laCode: school.laCode, postcode: school.postcode, easting: school.easting, northing: school.northing };
        break;
      }
      case 'trust': {
        const trust = input.trustUid ? await this.directory.group(input.trustUid) : null;
        if (!trust) throw new FormError([{ field: 'trustUid', message: 'Enter the GIAS group UID of a trust in the directory' }]);
        if (await this.accounts.organisationByTrust(trust.uid)) {
          throw new FormError([{ field: 'trustUid', message: `${trust.name} is already on Trellis: ask its organisation admin to invite you` }]);
        }
        fields = { ...base, kind: 'trust', name: trust.name, trustUid: trust.uid, postcode: trust.postcode };
        break;
      }
      case 'local-authority': {
        const la = input.laCode ? await this.directory.localAuthority(input.laCode) : null;
        if (!la) throw new FormError([{ field: 'laCode', message: 'Choose a local authority from the list' }]);
        fields = { ...base, kind: 'local-authority', name: `${la.name} Council`, laCode: la.code };
        break;
      }
      default: {
        const name = input.name?.trim();
        if (!name) throw new FormError([{ field: 'name', message: `Enter the name of the ${organisationKindLabel(input.kind).toLowerCase()}` }]);
        fields = { ...base, kind: input.kind, name, postcode: input.postcode?.trim().toUpperCase() || null };
      }
    }
    return this.accounts.transaction(async (repo) => {
      const organisation = await repo.createOrganisation({ ...fields, createdBy: user.userId });
      await repo.addMembership(user.userId, organisation.id, 'admin');
      await repo.audit({ event: 'organisation.created', actorUserId: user.userId, organisationId: organisation.id, ip: context.ip, detail: { kind: organisation.kind } });
      // The new organisation becomes the one the person is acting for.
      if (sessionIdHash) await repo.setActiveOrganisation(sessionIdHash, organisation.id);
      return organisation;
    });
  }

  async view(actor: Actor, organisationId: string): Promise<{ organisation: Organisation; members: Member[]; invitations: Invitation[]; canManage: boolean }> {
    const user = requireUser(actor);
    const organisation = await this.accounts.organisation(organisationId);
    if (!organisation) throw new NotFoundError('There is no such organisation.');
    if (!can(user, 'organisation:view-members', { type: 'organisation', id: organisationId })) throw new ForbiddenError('Only members of this organisation can see its members.');
    const canManage = can(user, 'organisation:manage-members', { type: 'organisation', id: organisationId });
    const [members, invitations] = await Promise.all([
      this.accounts.members(organisationId),
      canManage ? this.accounts.pendingInvitations(organisationId, new Date()) : Promise.resolve([]),
    ]);
    return { organisation, members, invitations, canManage };
  }

  private async manageable(actor: Actor, organisationId: string): Promise<{ user: Extract<Actor, { kind: 'user' }>; organisation: Organisation }> {
    const user = requireUser(actor);
    const organisation = await this.accounts.organisation(organisationId);
    if (!organisation) throw new NotFoundError('There is no such organisation.');
    if (!can(user, 'organisation:manage-members', { type: 'organisation', id: organisationId })) throw new ForbiddenError('Only an admin of this organisation can do that.');
    return { user, organisation };
  }

  /** Emails a single-use invitation link that expires in 14 days. */
  async invite(actor: Actor, organisationId: string, input: { email: string; role: MembershipRole }, context: RequestContext): Promise<void> {
    const { user, organisation } = await this.manageable(actor, organisationId);
    const existing = await this.accounts.userByEmail(input.email);
    if (existing && (await this.accounts.members(organisationId)).some((m) => m.userId === existing.id)) {
      throw new FormError([{ field: 'email', message: `${input.email} is already a member of ${organisation.name}` }]);
    }
    const token = newToken();
    const inviter = await this.accounts.userById(user.userId);
    await this.accounts.createInvitation({
      organisationId,
      emailKey: input.email.trim().toLowerCase(),
      role: input.role,
      tokenHash: hashToken(token),
      invitedBy: user.userId,
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    });
    await this.mailer.send({
      to: input.email.trim(),
      subject: `You are invited to join ${organisation.name} on Trellis`,
      text: `${inviter?.displayName ?? 'A colleague'} has invited you to join ${organisation.name} on Trellis as ${input.role === 'admin' ? 'an organisation admin' : 'a member'}.\n\nAccept the invitation:\n\n${this.publicUrl}/invitations/${token}\n\nThe link works once, for 14 days. You will need to sign in or create an account with this email address.`,
    });
    await this.accounts.audit({ event: 'invitation.sent', actorUserId: user.userId, organisationId, subjectEmail: input.email, ip: context.ip, detail: { role: input.role } });
  }

  async revokeInvitation(actor: Actor, organisationId: string, invitationId: string, context: RequestContext): Promise<void> {
    const { user } = await this.manageable(actor, organisationId);
    if (!(await this.accounts.revokeInvitation(invitationId, organisationId))) throw new NotFoundError('There is no such invitation.');
    await this.accounts.audit({ event: 'invitation.revoked', actorUserId: user.userId, organisationId, ip: context.ip, detail: { invitationId } });
  }

  /** What an invitation link is for, before it is accepted. */
  async invitation(token: string): Promise<{ invitation: Invitation; organisation: Organisation }> {
    const invitation = await this.accounts.invitationByToken(hashToken(token));
    if (!invitation) throw new NotFoundError('That invitation link is not valid. Check you copied all of it.');
    if (invitation.acceptedAt) throw new GoneError('That invitation has already been accepted. Each invitation link works once.');
    if (invitation.revokedAt) throw new GoneError('That invitation was withdrawn. Ask the organisation admin for a new one.');
    if (invitation.expiresAt <= new Date()) throw new GoneError('That invitation has expired. Ask the organisation admin for a new one.');
    const organisation = (await this.accounts.organisation(invitation.organisationId))!;
    return { invitation, organisation };
  }

  /** Accepts an invitation for the signed-in person, whose email must be the one invited. Single use. */
  async accept(actor: Actor, token: string, context: RequestContext, sessionIdHash?: string): Promise<Organisation> {
    const user = requireUser(actor);
    const { invitation, organisation } = await this.invitation(token);
    const person = (await this.accounts.userById(user.userId))!;
    if (person.email.toLowerCase() !== invitation.emailKey) {
      throw new ForbiddenError(`This invitation was sent to a different email address. Sign in with ${invitation.emailKey} to accept it.`);
    }
    await this.accounts.transaction(async (repo) => {
      if (!(await repo.consumeInvitation(invitation.id, user.userId, new Date()))) {
        throw new ConflictError('That invitation has already been used.');
      }
      await repo.addMembership(user.userId, invitation.organisationId, invitation.role);
      await repo.audit({ event: 'invitation.accepted', actorUserId: user.userId, organisationId: invitation.organisationId, ip: context.ip, detail: { role: invitation.role } });
      if (sessionIdHash) await repo.setActiveOrganisation(sessionIdHash, invitation.organisationId);
    });
    return organisation;
  }

  /** Accepts every pending invitation for this person's (verified) email: used after single sign-on. */
  async acceptAllFor(userId: string, email: string, context: RequestContext): Promise<number> {
    let accepted = 0;
    for (const invitation of await this.accounts.pendingInvitationsForEmail(email, new Date())) {
      await this.accounts.transaction(async (repo) => {
        if (await repo.consumeInvitation(invitation.id, userId, new Date())) {
          await repo.addMembership(userId, invitation.organisationId, invitation.role);
          await repo.audit({ event: 'invitation.accepted', actorUserId: userId, organisationId: invitation.organisationId, ip: context.ip, detail: { role: invitation.role, via: 'single sign-on' } });
          accepted += 1;
        }
      });
    }
    return accepted;
  }

  async changeRole(actor: Actor, organisationId: string, memberId: string, role: MembershipRole, context: RequestContext): Promise<void> {
    const { user } = await this.manageable(actor, organisationId);
    await this.accounts.transaction(async (repo) => {
      const members = await repo.members(organisationId);
      const member = members.find((m) => m.userId === memberId);
      if (!member) throw new NotFoundError('That person is not a member of this organisation.');
      if (member.role === 'admin' && role !== 'admin' && members.filter((m) => m.role === 'admin').length === 1) {
        throw new ConflictError('An organisation needs at least one admin: make someone else an admin first.');
      }
      await repo.setRole(memberId, organisationId, role);
      await repo.audit({ event: 'membership.role-changed', actorUserId: user.userId, organisationId, targetUserId: memberId, ip: context.ip, detail: { from: member.role, to: role } });
    });
  }

  async removeMember(actor: Actor, organisationId: string, memberId: string, context: RequestContext): Promise<void> {
    const user = requireUser(actor);
    const leaving = memberId === user.userId;
    if (leaving ? !can(user, 'organisation:leave', { type: 'organisation', id: organisationId }) : false) throw new ForbiddenError();
    if (!leaving) await this.manageable(actor, organisationId);
    await this.accounts.transaction(async (repo) => {
      const members = await repo.members(organisationId);
      const member = members.find((m) => m.userId === memberId);
      if (!member) throw new NotFoundError('That person is not a member of this organisation.');
      if (member.role === 'admin' && members.filter((m) => m.role === 'admin').length === 1 && members.length > 1) {
        throw new ConflictError('An organisation needs at least one admin: make someone else an admin first.');
      }
      await repo.removeMembership(memberId, organisationId);
      await repo.audit({ event: leaving ? 'membership.left' : 'membership.removed', actorUserId: user.userId, organisationId, targetUserId: memberId, ip: context.ip });
    });
  }

  async mine(actor: Actor) {
    const user = requireUser(actor);
    return this.accounts.membershipsOf(user.userId);
  }

  async switchTo(actor: Actor, sessionIdHash: string, organisationId: string): Promise<void> {
    const user = requireUser(actor);
    if (!user.memberships.has(organisationId)) throw new ForbiddenError('You can only switch to an organisation you belong to.');
    await this.accounts.setActiveOrganisation(sessionIdHash, organisationId);
  }
}
