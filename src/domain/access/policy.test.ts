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
