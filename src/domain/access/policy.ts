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
    }
  | {
      type: 'need';
      organisationId: string;
      visibility: 'facilitators' | 'named' | 'members' | 'public';
      /** For `named`: the organisations that may see it. */
      visibleTo: readonly string[];
      status: 'open' | 'closed';
    }
  | { type: 'offer'; organisationId: string; visibility: 'public' | 'members'; status: 'open' | 'closed' }
  | {
      type: 'partnership';
      visibility: 'public' | 'private';
      memberOrganisationIds: readonly string[];
      leadOrganisationIds: readonly string[];
    }
  | {
      /** A network: everything in it is private to its members' people and its facilitator. */
      type: 'network';
      memberOrganisationIds: readonly string[];
      facilitatorId: string | null;
    }
  | {
      /** An introduction or the support agreed from it: between the needing and the offering organisation. */
      type: 'introduction' | 'support';
      needOrganisationId: string;
      offerOrganisationId: string;
      /** For an introduction: the organisation that answers it (the side that did not ask; the offering side when a facilitator asked). */
      responderOrganisationId: string | null;
      status: string;
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
  | 'case-study:learn-more'
  /** Post a need or an offer for an organisation (resource: the organisation). */
  | 'brokerage:post'
  /** Read a need or an offer (by its visibility; its own organisation and facilitators always). */
  | 'need:read'
  | 'offer:read'
  /** Close a need or an offer, and see its matches: its organisation's members. Facilitators see matches too. */
  | 'need:manage'
  | 'offer:manage'
  | 'need:matches'
  | 'offer:matches'
  /** See an introduction or a support: the two sides and facilitators, nobody else. */
  | 'introduction:read'
  /** Accept or decline: members of the answering organisation, while it is requested. */
  | 'introduction:respond'
  /** Record a termly review: either side or a facilitator. Close with a reflection: either side. */
  | 'support:review'
  | 'support:close'
  /** The facilitator view, and introductions made on others' behalf. */
  | 'brokerage:facilitate'
  /** Start a partnership led by an organisation (resource: the organisation): its verified members. */
  | 'partnership:create'
  /** Read a partnership: public ones anyone; private ones its members' people and facilitators. */
  | 'partnership:read'
  /** Add members, set aims, move the stage: the lead organisations' people and facilitators. */
  | 'partnership:manage'
  /** Log activities and benefits: people of any member organisation, and facilitators. */
  | 'partnership:contribute'
  /** Start a network: facilitators (resource: the platform). */
  | 'network:create'
  /** See and add to a network (actions, resources, what we learned): its members' people and its facilitator. */
  | 'network:read'
  /** Add members and record meetings: its facilitator. */
  | 'network:manage';

export const ANONYMOUS: Actor = { kind: 'anonymous' };

export function can(actor: Actor, action: Action, resource: Resource): boolean {
  if (action === 'case-study:read' && resource.type === 'case-study' && resource.status === 'published') {
    return resource.visibility === 'public' || actor.kind === 'user';
  }
  if (action === 'need:read' && resource.type === 'need' && resource.status === 'open' && resource.visibility === 'public') return true;
  if (action === 'offer:read' && resource.type === 'offer' && resource.status === 'open' && resource.visibility === 'public') return true;
  if (action === 'partnership:read' && resource.type === 'partnership' && resource.visibility === 'public') return true;
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
    case 'brokerage:post':
      return resource.type === 'organisation' && actor.memberships.has(resource.id) && actor.emailVerified;
    case 'need:read':
      if (resource.type !== 'need') return false;
      if (actor.memberships.has(resource.organisationId) || actor.isFacilitator) return true;
      if (resource.status !== 'open') return false;
      return resource.visibility === 'members' || resource.visibility === 'public' || (resource.visibility === 'named' && resource.visibleTo.some((id) => actor.memberships.has(id)));
    case 'offer:read':
      if (resource.type !== 'offer') return false;
      return actor.memberships.has(resource.organisationId) || actor.isFacilitator || resource.status === 'open';
    case 'need:manage':
      return resource.type === 'need' && actor.memberships.has(resource.organisationId);
    case 'offer:manage':
      return resource.type === 'offer' && actor.memberships.has(resource.organisationId);
    case 'need:matches':
      return resource.type === 'need' && (actor.memberships.has(resource.organisationId) || actor.isFacilitator);
    case 'offer:matches':
      return resource.type === 'offer' && (actor.memberships.has(resource.organisationId) || actor.isFacilitator);
    case 'introduction:read':
      return (resource.type === 'introduction' || resource.type === 'support') && (isSide(actor, resource) || actor.isFacilitator);
    case 'introduction:respond':
      return resource.type === 'introduction' && resource.status === 'requested' && resource.responderOrganisationId !== null && actor.memberships.has(resource.responderOrganisationId);
    case 'support:review':
      return resource.type === 'support' && resource.status === 'agreed' && (isSide(actor, resource) || actor.isFacilitator);
    case 'support:close':
      return resource.type === 'support' && resource.status === 'agreed' && isSide(actor, resource);
    case 'brokerage:facilitate':
      return resource.type === 'platform' && actor.isFacilitator;
    case 'partnership:create':
      return resource.type === 'organisation' && actor.memberships.has(resource.id) && actor.emailVerified;
    case 'partnership:read':
    case 'partnership:contribute':
      return resource.type === 'partnership' && (resource.memberOrganisationIds.some((id) => actor.memberships.has(id)) || actor.isFacilitator);
    case 'network:create':
      return resource.type === 'platform' && actor.isFacilitator;
    case 'network:read':
      return resource.type === 'network' && (resource.facilitatorId === actor.userId || resource.memberOrganisationIds.some((id) => actor.memberships.has(id)));
    case 'network:manage':
      return resource.type === 'network' && resource.facilitatorId === actor.userId && actor.isFacilitator;
    case 'partnership:manage':
      return resource.type === 'partnership' && (resource.leadOrganisationIds.some((id) => actor.memberships.has(id)) || actor.isFacilitator);
  }
}

function isAuthorOrOrgAdmin(actor: Extract<Actor, { kind: 'user' }>, resource: Extract<Resource, { type: 'case-study' }>): boolean {
  return resource.authorIds.includes(actor.userId) || actor.memberships.get(resource.organisationId) === 'admin';
}

function isSide(actor: Extract<Actor, { kind: 'user' }>, resource: { needOrganisationId: string; offerOrganisationId: string }): boolean {
  return actor.memberships.has(resource.needOrganisationId) || actor.memberships.has(resource.offerOrganisationId);
}
