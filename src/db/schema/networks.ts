import { sql } from 'drizzle-orm';
import { boolean, customType, date, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations, users } from './accounts';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
const created = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/**
 * Networks: facilitated groups of leaders (mutual-support groups, collaborative learning communities, peer-review
 * clusters). Everything in a network is private to its members' people and to facilitators.
 */
export const networks = pgTable('networks', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  purpose: text('purpose').notNull().default(''),
  /** mutual-support, learning-community, peer-review. */
  kind: text('kind').notNull(),
  themes: text('themes').array().notNull().default(sql`'{}'::text[]`),
  facilitatorId: uuid('facilitator_id').references(() => users.id),
  demonstration: boolean('demonstration').notNull().default(false),
  createdAt: created(),
});

export const networkMembers = pgTable(
  'network_members',
  {
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    joinedAt: created(),
  },
  (t) => [primaryKey({ columns: [t.networkId, t.organisationId] }), index('network_members_organisation').on(t.organisationId)],
);

export const networkMeetings = pgTable(
  'network_meetings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    heldOn: date('held_on').notNull(),
    agenda: text('agenda').notNull().default(''),
    notes: text('notes').notNull().default(''),
    /** Member organisations present. */
    attendance: uuid('attendance').array().notNull().default(sql`'{}'::uuid[]`),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: created(),
  },
  (t) => [index('network_meetings_network').on(t.networkId, t.heldOn)],
);

export const networkActions = pgTable(
  'network_actions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    description: text('description').notNull(),
    ownerId: uuid('owner_id').references(() => users.id),
    dueOn: date('due_on').notNull(),
    /** open, done. */
    status: text('status').notNull().default('open'),
    /** When the reminder email went (the reminder job sends one per action). */
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: created(),
  },
  (t) => [index('network_actions_due').on(t.status, t.dueOn)],
);

/** Shared resources: a link, or a document stored in the database (size and type checked on upload). */
export const networkResources = pgTable(
  'network_resources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    url: text('url'),
    fileName: text('file_name'),
    contentType: text('content_type'),
    size: integer('size'),
    content: bytea('content'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: created(),
  },
  (t) => [index('network_resources_network').on(t.networkId)],
);

/** "What we learned": short entries that can seed case-study drafts. */
export const networkLearning = pgTable(
  'network_learning',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    organisationId: uuid('organisation_id').references(() => organisations.id),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: created(),
  },
  (t) => [index('network_learning_network').on(t.networkId, t.createdAt)],
);
