import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const created = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** People. A deleted account keeps its row (content stays attributed to "former member") with personal data removed. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    /** Lower-cased email: the unique key people sign in with. */
    emailKey: text('email_key').notNull(),
    displayName: text('display_name').notNull(),
    /** argon2id hash; null for people who only sign in with OpenID Connect. */
    passwordHash: text('password_hash'),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    isFacilitator: boolean('is_facilitator').notNull().default(false),
    isPlatformAdmin: boolean('is_platform_admin').notNull().default(false),
    /** OpenID Connect issuer and subject, when the person has signed in that way. */
    oidcIssuer: text('oidc_issuer'),
    oidcSubject: text('oidc_subject'),
    createdAt: created(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.emailKey),
    uniqueIndex('users_oidc').on(t.oidcIssuer, t.oidcSubject).where(sql`${t.oidcSubject} is not null`),
  ],
);

/** Organisations: schools and trusts (linked to the directory) and partners of every kind. */
export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    /** The school's URN, for kind `school`. */
    urn: integer('urn'),
    /** The trust's GIAS group UID, for kind `trust`. */
    trustUid: text('trust_uid'),
    /** The DfE's 3-digit LA number, for kind `local-authority`. */
    laCode: text('la_code'),
    postcode: text('postcode'),
    easting: integer('easting'),
    northing: integer('northing'),
    /** Designations (Teaching School Hub, National Leader of Education, …): evidence in offers. */
    designations: text('designations').array().notNull().default(sql`'{}'::text[]`),
    createdBy: uuid('created_by'),
    createdAt: created(),
  },
  (t) => [
    uniqueIndex('organisations_school').on(t.urn).where(sql`${t.urn} is not null`),
    uniqueIndex('organisations_trust').on(t.trustUid).where(sql`${t.trustUid} is not null`),
  ],
);

/** A person's role in an organisation: `member` or `admin`. */
export const memberships = pgTable(
  'memberships',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    createdAt: created(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.organisationId] }), index('memberships_organisation').on(t.organisationId)],
);

/** Invitations by email: single use, expiring; only a hash of the token is stored. */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    emailKey: text('email_key').notNull(),
    role: text('role').notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by'),
    createdAt: created(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedBy: uuid('accepted_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('invitations_token').on(t.tokenHash), index('invitations_email').on(t.emailKey)],
);

/** Single-use tokens sent by email: `verify-email` and `reset-password`. Only a hash is stored. */
export const emailTokens = pgTable(
  'email_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    purpose: text('purpose').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: created(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('email_tokens_user').on(t.userId)],
);

/** Sessions in the database, so any app server can serve any request. The cookie holds the id; this holds its hash. */
export const sessions = pgTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    activeOrganisationId: uuid('active_organisation_id'),
    createdAt: created(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** OpenID Connect state during a sign-in round trip is not stored here: see oidc_states. */
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

/** OpenID Connect sign-ins in flight: state, nonce and PKCE verifier, keyed by a hash of the state. */
export const oidcStates = pgTable('oidc_states', {
  stateHash: text('state_hash').primaryKey(),
  nonce: text('nonce').notNull(),
  codeVerifier: text('code_verifier').notNull(),
  returnTo: text('return_to'),
  createdAt: created(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/** Every email Trellis sends. With no SMTP server configured, this is the outbox shown at /dev/outbox. */
export const emails = pgTable('emails', {
  id: uuid('id').primaryKey().defaultRandom(),
  to: text('to').notNull(),
  subject: text('subject').notNull(),
  text: text('text').notNull(),
  createdAt: created(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  transport: text('transport').notNull(),
});

/** Security-relevant events, for platform admins. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    event: text('event').notNull(),
    actorUserId: uuid('actor_user_id'),
    /** The email given, for events without a known user (a failed sign-in for an unknown address). */
    subjectEmail: text('subject_email'),
    organisationId: uuid('organisation_id'),
    targetUserId: uuid('target_user_id'),
    ip: text('ip'),
    detail: jsonb('detail'),
  },
  (t) => [index('audit_events_at').on(t.at), index('audit_events_event').on(t.event, t.at)],
);

/** Fixed-window counters for rate limits, shared by every app server. */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
  resetAt: timestamp('reset_at', { withTimezone: true }).notNull(),
});
