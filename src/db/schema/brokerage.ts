import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations, users } from './accounts';

const created = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** What an organisation needs help with. Visible to facilitators only unless the organisation chooses wider. */
export const needs = pgTable(
  'needs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    createdBy: uuid('created_by').references(() => users.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    theme: text('theme').notNull(),
    /** Measure codes from the school's own data it concerns. */
    measures: text('measures').array().notNull().default(sql`'{}'::text[]`),
    phase: text('phase').notNull(),
    kinds: text('kinds').array().notNull(),
    timeFrame: text('time_frame').notNull().default(''),
    urgency: text('urgency').notNull().default('medium'),
    /** facilitators, named, members, public. */
    visibility: text('visibility').notNull().default('facilitators'),
    /** open, or closed (met or no longer needed). */
    status: text('status').notNull().default('open'),
    demonstration: boolean('demonstration').notNull().default(false),
    createdAt: created(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('needs_open').on(t.status, t.theme), index('needs_organisation').on(t.organisationId)],
);

/** For needs visible to named organisations. */
export const needVisibleTo = pgTable(
  'need_visible_to',
  {
    needId: uuid('need_id')
      .notNull()
      .references(() => needs.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.needId, t.organisationId] })],
);

/** What an organisation can give. Places are counted down as supports are agreed and up as they close. */
export const offers = pgTable(
  'offers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    createdBy: uuid('created_by').references(() => users.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    themes: text('themes').array().notNull(),
    kinds: text('kinds').array().notNull(),
    phases: text('phases').array().notNull(),
    capacity: integer('capacity').notNull(),
    placesTaken: integer('places_taken').notNull().default(0),
    /** in-person, remote, both. */
    mode: text('mode').notNull(),
    radiusKm: integer('radius_km'),
    cost: text('cost').notNull().default('free'),
    /** public, members. */
    visibility: text('visibility').notNull().default('public'),
    status: text('status').notNull().default('open'),
    demonstration: boolean('demonstration').notNull().default(false),
    createdAt: created(),
    /** clock_timestamp(), not now(): the matcher's cache version must move even when a long transaction commits late. */
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`clock_timestamp()`),
  },
  (t) => [
    index('offers_open').on(t.status),
    // max(updated_at) is the version of the matcher's in-memory offers: one index probe.
    index('offers_updated').on(t.updatedAt),
    index('offers_themes').using('gin', t.themes),
    index('offers_organisation').on(t.organisationId),
    // Capacity can never be overdrawn, whatever the application does (concurrent accepts: one wins).
    check('offers_places', sql`${t.placesTaken} >= 0 and ${t.placesTaken} <= ${t.capacity} and ${t.capacity} >= 0`),
  ],
);

/** A consented request to connect a need and an offer: requested → accepted (with an agreed support) or declined. */
export const introductions = pgTable(
  'introductions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    needId: uuid('need_id')
      .notNull()
      .references(() => needs.id),
    offerId: uuid('offer_id')
      .notNull()
      .references(() => offers.id),
    /** need (the needing organisation asked), offer (the offering one did), facilitator. */
    requestedBy: text('requested_by').notNull(),
    requestedByUser: uuid('requested_by_user').references(() => users.id),
    message: text('message').notNull().default(''),
    /** requested, accepted, declined, completed (its support has closed). */
    status: text('status').notNull().default('requested'),
    declineReason: text('decline_reason'),
    declineNote: text('decline_note'),
    respondedBy: uuid('responded_by').references(() => users.id),
    respondedAt: timestamp('responded_at', { withTimezone: true }),
    demonstration: boolean('demonstration').notNull().default(false),
    createdAt: created(),
  },
  (t) => [
    index('introductions_need').on(t.needId),
    index('introductions_offer').on(t.offerId),
    // One live request per pair: asking twice is refused, not duplicated.
    uniqueIndex('introductions_pair_open').on(t.needId, t.offerId).where(sql`${t.status} in ('requested', 'accepted')`),
  ],
);

/** Agreed support: objectives linked to measures, dates, named contacts; reviewed termly; closed with a reflection. */
export const supports = pgTable(
  'supports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    introductionId: uuid('introduction_id')
      .notNull()
      .references(() => introductions.id),
    needId: uuid('need_id')
      .notNull()
      .references(() => needs.id),
    offerId: uuid('offer_id')
      .notNull()
      .references(() => offers.id),
    /** [{ text, measure }] */
    objectives: jsonb('objectives').notNull().default([]),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    /** [{ side, userId, name, email }]: shown only to the two sides and facilitators. */
    contacts: jsonb('contacts').notNull().default([]),
    /** agreed, closed. */
    status: text('status').notNull().default('agreed'),
    reflection: text('reflection'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    demonstration: boolean('demonstration').notNull().default(false),
    createdAt: created(),
  },
  (t) => [uniqueIndex('supports_introduction').on(t.introductionId), index('supports_offer').on(t.offerId), index('supports_need').on(t.needId)],
);

export const supportReviews = pgTable(
  'support_reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    supportId: uuid('support_id')
      .notNull()
      .references(() => supports.id, { onDelete: 'cascade' }),
    term: text('term').notNull(),
    /** green, amber, red (defined meanings in the catalogue). */
    rating: text('rating').notNull(),
    notes: text('notes').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: created(),
  },
  (t) => [index('support_reviews_support').on(t.supportId, t.createdAt)],
);

/** The in-app inbox: one row per person notified. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    link: text('link').notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: created(),
  },
  (t) => [index('notifications_user').on(t.userId, t.createdAt)],
);
