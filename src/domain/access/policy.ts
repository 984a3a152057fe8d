import type { MembershipRole } from '../accounts/organisation-kinds';

/**
 * Who may do what: one pure function that services call, never templates or handlers alone (STYLE.md §6).
 * Later features add their actions and resources here; each has a row in the route × role matrix test.
 */
export type Actor =
  | { kind: 'anonymous' }
  | {
      kind: 'user';
      userId: string;
      emailVerified: boolean;
      isFacilitator: boolean;
      isPlatformAdmin: boolean;
      /** Organisation id → role. */
      memberships: ReadonlyMap<string, MembershipRole>;
    };

export type Resource =
  | { type: 'platform' }
  | { type: 'organisation'; id: string }
  | { type: 'account'; userId: string }
  | {
      type: 'case-study';
      organisationId: string;
      /** The author and co-authors. */
      authorIds: readonly string[];
      status: 'draft' | 'submitted' | 'returned' | 'published' | 'withdrawn';
      visibility: 'public' | 'members';
    };

export type Action =
  /** Create an organisation (any signed-in person with a verified email). */
  | 'organisation:create'
  /** See an organisation's members and invitations. */
  | 'organisation:view-members'
  /** Invite, remove, change roles. */
  | 'organisation:manage-members'
  /** Leave an organisation one belongs to. */
  | 'organisation:leave'
  /** Read the audit log. */
  | 'audit:read'
  /** Grant or withdraw platform roles. */
  | 'platform:manage-roles'
  /** Change one's own password, download one's data, delete one's account. */
  | 'account:manage'
  /** Write a case study for an organisation (resource: the organisation). */
  | 'case-study:create'
  /** Read a case study (published: by its visibility; otherwise its authors, their organisation's admins, facilitators). */
  | 'case-study:read'
  /** Edit, submit or withdraw: the authors and their organisation's admins. */
  | 'case-study:edit'
  /** Publish, or return with comments: facilitators. */
  | 'case-study:moderate'
  /** Ask the author to tell you more: any signed-in reader who is not an author. */
  | 'case-study:learn-more';

export const ANONYMOUS: Actor = { kind: 'anonymous' };

export function can(actor: Actor, action: Action, resource: Resource): boolean {
  if (action === 'case-study:read' && resource.type === 'case-study' && resource.status === 'published') {
    return resource.visibility === 'public' || actor.kind === 'user';
  }
  if (actor.kind === 'anonymous') return false;
  switch (action) {
    case 'organisation:create':
      return resource.type === 'platform' && actor.emailVerified;
    case 'organisation:view-members':
      return resource.type === 'organisation' && (actor.memberships.has(resource.id) || actor.isFacilitator || actor.isPlatformAdmin);
    case 'organisation:manage-members':
      return resource.type === 'organisation' && (actor.memberships.get(resource.id) === 'admin' || actor.isPlatformAdmin);
    case 'organisation:leave':
      return resource.type === 'organisation' && actor.memberships.has(resource.id);
    case 'audit:read':
    case 'platform:manage-roles':
      return resource.type === 'platform' && actor.isPlatformAdmin;
    case 'account:manage':
      return resource.type === 'account' && resource.userId === actor.userId;
    case 'case-study:create':
      return resource.type === 'organisation' && actor.memberships.has(resource.id) && actor.emailVerified;
    case 'case-study:read':
      return resource.type === 'case-study' && (isAuthorOrOrgAdmin(actor, resource) || actor.isFacilitator || actor.isPlatformAdmin);
    case 'case-study:edit':
      return resource.type === 'case-study' && isAuthorOrOrgAdmin(actor, resource);
    case 'case-study:moderate':
      return resource.type === 'case-study' && actor.isFacilitator && resource.status === 'submitted';
    case 'case-study:learn-more':
      return resource.type === 'case-study' && resource.status === 'published' && !resource.authorIds.includes(actor.userId);
  }
}

function isAuthorOrOrgAdmin(actor: Extract<Actor, { kind: 'user' }>, resource: Extract<Resource, { type: 'case-study' }>): boolean {
  return resource.authorIds.includes(actor.userId) || actor.memberships.get(resource.organisationId) === 'admin';
}
