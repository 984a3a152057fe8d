import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, numeric, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations, users } from './accounts';

const created = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** Organisations working together on aims, from pilot to alliance to integration. */
export const partnerships = pgTable(
  'partnerships',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    purpose: text('purpose').notNull().default(''),
    /** state-state, state-independent, multi-agency, area-based, trust-wide, other. */
    type: text('type').notNull(),
    /** pilot, alliance, integration: moved only by a recorded decision (partnership_stages). */
    stage: text('stage').notNull().default('pilot'),
    /** public (listed in the directory and the open API) or private (its members and facilitators). */
    visibility: text('visibility').notNull().default('public'),
    themes: text('themes').array().notNull().default(sql`'{}'::text[]`),
    startedOn: date('started_on').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    demonstration: boolean('demonstration').notNull().default(false),
    createdAt: created(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('partnerships_type').on(t.type, t.stage)],
);

export const partnershipMembers = pgTable(
  'partnership_members',
  {
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    /** lead, partner, agency, funder. */
    role: text('role').notNull(),
    joinedOn: date('joined_on').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.organisationId] }), index('partnership_members_organisation').on(t.organisationId)],
);

/** Every stage decision: the history is kept, the partnership row holds the current stage. */
export const partnershipStages = pgTable(
  'partnership_stages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id, { onDelete: 'cascade' }),
    fromStage: text('from_stage'),
    stage: text('stage').notNull(),
    decidedOn: date('decided_on').notNull(),
    reason: text('reason').notNull(),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('partnership_stages_partnership').on(t.partnershipId, t.recordedAt)],
);

/** An aim: a theme and a measure for one member school, with its baseline year fixed when the aim is set. */
export const partnershipAims = pgTable(
  'partnership_aims',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id, { onDelete: 'cascade' }),
    theme: text('theme').notNull(),
    measure: text('measure').notNull(),
    urn: integer('urn').notNull(),
    baselineYear: integer('baseline_year').notNull(),
    /** True when the baseline is the last year before the partnership began, set after it began (shown as such). */
    recordedAfterwards: boolean('recorded_afterwards').notNull().default(false),
    description: text('description').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: created(),
  },
  (t) => [index('partnership_aims_partnership').on(t.partnershipId)],
);

export const partnershipActivities = pgTable(
  'partnership_activities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id, { onDelete: 'cascade' }),
    happenedOn: date('happened_on').notNull(),
    kind: text('kind').notNull(),
    participants: text('participants').notNull().default(''),
    pupilsReached: integer('pupils_reached'),
    staffHours: numeric('staff_hours', { precision: 8, scale: 1 }),
    resourcesShared: text('resources_shared').notNull().default(''),
    costPounds: numeric('cost_pounds', { precision: 10, scale: 2 }),
    notes: text('notes').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: created(),
  },
  (t) => [index('partnership_activities_partnership').on(t.partnershipId, t.happenedOn)],
);

/** Collaborative advantage: benefits partners record, by kind, with evidence. */
export const partnershipBenefits = pgTable(
  'partnership_benefits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id').references(() => organisations.id),
    /** pupils, staff, organisation, community. */
    kind: text('kind').notNull(),
    description: text('description').notNull(),
    evidence: text('evidence').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: created(),
  },
  (t) => [index('partnership_benefits_partnership').on(t.partnershipId)],
);
