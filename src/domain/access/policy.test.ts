import { describe, expect, it } from 'vitest';
import { ANONYMOUS, can, type Action, type Actor, type Resource } from './policy';

const user = (overrides: Partial<Extract<Actor, { kind: 'user' }>> = {}): Actor => ({
  kind: 'user',
  userId: 'u1',
  emailVerified: true,
  isFacilitator: false,
  isPlatformAdmin: false,
  memberships: new Map(),
  ...overrides,
});

const A: Resource = { type: 'organisation', id: 'org-a' };
const PLATFORM: Resource = { type: 'platform' };

// Expected answers written out by hand, one row per case.
const CASES: [string, Actor, Action, Resource, boolean][] = [
  ['anonymous cannot create an organisation', ANONYMOUS, 'organisation:create', PLATFORM, false],
  ['a verified person can create an organisation', user(), 'organisation:create', PLATFORM, true],
  ['an unverified person cannot create an organisation', user({ emailVerified: false }), 'organisation:create', PLATFORM, false],
  ['a member sees the members of their organisation', user({ memberships: new Map([['org-a', 'member']]) }), 'organisation:view-members', A, true],
  ['a member of another organisation does not', user({ memberships: new Map([['org-b', 'admin']]) }), 'organisation:view-members', A, false],
  ['a facilitator sees members of any organisation', user({ isFacilitator: true }), 'organisation:view-members', A, true],
  ['a platform admin sees members of any organisation', user({ isPlatformAdmin: true }), 'organisation:view-members', A, true],
  ['anonymous does not see members', ANONYMOUS, 'organisation:view-members', A, false],
  ['a member cannot manage members', user({ memberships: new Map([['org-a', 'member']]) }), 'organisation:manage-members', A, false],
  ['an organisation admin manages members', user({ memberships: new Map([['org-a', 'admin']]) }), 'organisation:manage-members', A, true],
  ['an admin of another organisation cannot', user({ memberships: new Map([['org-b', 'admin']]) }), 'organisation:manage-members', A, false],
  ['a facilitator cannot manage members', user({ isFacilitator: true }), 'organisation:manage-members', A, false],
  ['a platform admin can manage members', user({ isPlatformAdmin: true }), 'organisation:manage-members', A, true],
  ['a member can leave', user({ memberships: new Map([['org-a', 'member']]) }), 'organisation:leave', A, true],
  ['a non-member cannot leave', user(), 'organisation:leave', A, false],
  ['only platform admins read the audit log', user({ isFacilitator: true }), 'audit:read', PLATFORM, false],
  ['a platform admin reads the audit log', user({ isPlatformAdmin: true }), 'audit:read', PLATFORM, true],
  ['audit:read needs the platform resource', user({ isPlatformAdmin: true }), 'audit:read', A, false],
  ['a person manages their own account', user(), 'account:manage', { type: 'account', userId: 'u1' }, true],
  ["not someone else's, even as platform admin", user({ isPlatformAdmin: true }), 'account:manage', { type: 'account', userId: 'u2' }, false],
  ['a platform admin manages platform roles', user({ isPlatformAdmin: true }), 'platform:manage-roles', PLATFORM, true],
  ['a facilitator does not', user({ isFacilitator: true }), 'platform:manage-roles', PLATFORM, false],
  // Brokerage
  ...((): [string, Actor, Action, Resource, boolean][] => {
    const need = (visibility: 'facilitators' | 'named' | 'members' | 'public', status: 'open' | 'closed' = 'open'): Resource => ({ type: 'need', organisationId: 'org-a', visibility, visibleTo: ['org-c'], status });
    const offer = (visibility: 'public' | 'members', status: 'open' | 'closed' = 'open'): Resource => ({ type: 'offer', organisationId: 'org-b', visibility, status });
    const intro: Resource = { type: 'introduction', needOrganisationId: 'org-a', offerOrganisationId: 'org-b', responderOrganisationId: 'org-b', status: 'requested' };
    const support = (status: string): Resource => ({ type: 'support', needOrganisationId: 'org-a', offerOrganisationId: 'org-b', responderOrganisationId: null, status });
    const inA = user({ memberships: new Map([['org-a', 'member']]) });
    const inB = user({ memberships: new Map([['org-b', 'member']]) });
    const inC = user({ memberships: new Map([['org-c', 'member']]) });
    const facilitator = user({ isFacilitator: true });
    const platformAdmin = user({ isPlatformAdmin: true });
    return [
      ['anyone reads an open public need', ANONYMOUS, 'need:read', need('public'), true],
      ['anonymous does not read a members need', ANONYMOUS, 'need:read', need('members'), false],
      ['a signed-in member of any organisation reads a members need', inB, 'need:read', need('members'), true],
      ['a facilitators-only need is hidden from other organisations', inB, 'need:read', need('facilitators'), false],
      ['… and from platform admins who are not facilitators', platformAdmin, 'need:read', need('facilitators'), false],
      ['… but not from facilitators', facilitator, 'need:read', need('facilitators'), true],
      ['… nor from its own organisation', inA, 'need:read', need('facilitators'), true],
      ['a named organisation reads a named need', inC, 'need:read', need('named'), true],
      ['an organisation not named does not', inB, 'need:read', need('named'), false],
      ['a closed public need is hidden from others', inB, 'need:read', need('public', 'closed'), false],
      ['a closed need stays visible to its organisation', inA, 'need:read', need('public', 'closed'), true],
      ['its organisation manages a need', inA, 'need:manage', need('facilitators'), true],
      ['a facilitator does not close it', facilitator, 'need:manage', need('facilitators'), false],
      ['a facilitator sees its matches', facilitator, 'need:matches', need('facilitators'), true],
      ['another organisation does not see its matches, even if public', inB, 'need:matches', need('public'), false],
      ['anyone reads an open public offer', ANONYMOUS, 'offer:read', offer('public'), true],
      ['anonymous does not read a members offer', ANONYMOUS, 'offer:read', offer('members'), false],
      ['a signed-in person reads a members offer', inA, 'offer:read', offer('members'), true],
      ['a closed offer is hidden from others', inA, 'offer:read', offer('public', 'closed'), false],
      ['its organisation manages an offer', inB, 'offer:manage', offer('public'), true],
      ['another organisation does not', inA, 'offer:manage', offer('public'), false],
      ['a verified member posts for their organisation', inA, 'brokerage:post', A, true],
      ['an unverified member does not', user({ emailVerified: false, memberships: new Map([['org-a', 'member']]) }), 'brokerage:post', A, false],
      ['a non-member does not', inB, 'brokerage:post', A, false],
      ['both sides read an introduction', inA, 'introduction:read', intro, true],
      ['the other side too', inB, 'introduction:read', intro, true],
      ['a facilitator reads it', facilitator, 'introduction:read', intro, true],
      ['a third organisation does not', inC, 'introduction:read', intro, false],
      ['a platform admin does not', platformAdmin, 'introduction:read', intro, false],
      ['the side asked answers it', inB, 'introduction:respond', intro, true],
      ['the side that asked does not', inA, 'introduction:respond', intro, false],
      ['a facilitator does not answer for a school', facilitator, 'introduction:respond', intro, false],
      ['nobody answers twice', inB, 'introduction:respond', { ...intro, status: 'accepted' } as Resource, false],
      ['either side reviews an agreed support', inA, 'support:review', support('agreed'), true],
      ['a facilitator reviews it', facilitator, 'support:review', support('agreed'), true],
      ['nobody reviews a closed support', inA, 'support:review', support('closed'), false],
      ['either side closes it', inB, 'support:close', support('agreed'), true],
      ['a facilitator does not close it', facilitator, 'support:close', support('agreed'), false],
      ['only facilitators facilitate', facilitator, 'brokerage:facilitate', PLATFORM, true],
      ['platform admins do not', platformAdmin, 'brokerage:facilitate', PLATFORM, false],
    ];
  })(),
  // Networks: private to members' people and their own facilitator
  ...((): [string, Actor, Action, Resource, boolean][] => {
    const network: Resource = { type: 'network', memberOrganisationIds: ['org-a'], facilitatorId: 'fac-1' };
    const ownFacilitator = user({ userId: 'fac-1', isFacilitator: true });
    const otherFacilitator = user({ userId: 'fac-2', isFacilitator: true });
    return [
      ['a member reads the network', user({ memberships: new Map([['org-a', 'member']]) }), 'network:read', network, true],
      ['another organisation does not', user({ memberships: new Map([['org-b', 'admin']]) }), 'network:read', network, false],
      ['anonymous does not', ANONYMOUS, 'network:read', network, false],
      ['its facilitator reads it', ownFacilitator, 'network:read', network, true],
      ['another facilitator does not', otherFacilitator, 'network:read', network, false],
      ['a platform admin does not', user({ isPlatformAdmin: true }), 'network:read', network, false],
      ['its facilitator manages it', ownFacilitator, 'network:manage', network, true],
      ['a member does not manage it', user({ memberships: new Map([['org-a', 'admin']]) }), 'network:manage', network, false],
      ['a facilitator starts networks', otherFacilitator, 'network:create', PLATFORM, true],
      ['a member does not', user({ memberships: new Map([['org-a', 'admin']]) }), 'network:create', PLATFORM, false],
    ];
  })(),
];

describe('can', () => {
  it.each(CASES)('%s', (_name, actor, action, resource, expected) => {
    expect(can(actor, action, resource)).toBe(expected);
  });
});

describe('can: case studies', () => {
  const study = (status: 'draft' | 'submitted' | 'returned' | 'published' | 'withdrawn', visibility: 'public' | 'members' = 'public') => ({
    type: 'case-study' as const,
    organisationId: 'org-a',
    authorIds: ['author'],
    status,
    visibility,
  });
  const author = user({ userId: 'author', memberships: new Map([['org-a', 'member']]) });
  const orgAdmin = user({ userId: 'boss', memberships: new Map([['org-a', 'admin']]) });
  const colleague = user({ userId: 'colleague', memberships: new Map([['org-a', 'member']]) });
  const facilitator = user({ userId: 'fac', isFacilitator: true });
  const stranger = user({ userId: 'stranger' });
  const ROWS: [string, Actor, Action, Resource, boolean][] = [
    ['anyone reads a public published study', ANONYMOUS, 'case-study:read', study('published'), true],
    ['anonymous cannot read a members-only study', ANONYMOUS, 'case-study:read', study('published', 'members'), false],
    ['any signed-in person reads a members-only study', stranger, 'case-study:read', study('published', 'members'), true],
    ['nobody outside reads a draft', stranger, 'case-study:read', study('draft'), false],
    ['a colleague (not an author) cannot read a draft', colleague, 'case-study:read', study('draft'), false],
    ['the author reads their draft', author, 'case-study:read', study('draft'), true],
    ["the organisation's admin reads it", orgAdmin, 'case-study:read', study('draft'), true],
    ['a facilitator reads a submitted study', facilitator, 'case-study:read', study('submitted'), true],
    ['the author edits', author, 'case-study:edit', study('returned'), true],
    ['a colleague does not edit', colleague, 'case-study:edit', study('draft'), false],
    ['a facilitator does not edit', facilitator, 'case-study:edit', study('draft'), false],
    ['a facilitator publishes a submitted study', facilitator, 'case-study:moderate', study('submitted'), true],
    ['a facilitator cannot publish a draft', facilitator, 'case-study:moderate', study('draft'), false],
    ['an author cannot publish', author, 'case-study:moderate', study('submitted'), false],
    ['a reader asks to learn more', stranger, 'case-study:learn-more', study('published'), true],
    ['an author does not ask about their own study', author, 'case-study:learn-more', study('published'), false],
    ['a member writes for their organisation', colleague, 'case-study:create', A, true],
    ['a stranger cannot write for it', stranger, 'case-study:create', A, false],
  ];
  it.each(ROWS)('%s', (_name, actor, action, resource, expected) => expect(can(actor, action, resource)).toBe(expected));
});
