import { doublePrecision, index, integer, pgTable, primaryKey, smallint, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Every school's family under each preset model, recomputed from the stored inputs after each import
 * (`npm run trellis -- families rebuild`). Custom models are computed live and never stored.
 */
export const families = pgTable(
  'families',
  {
    model: text('model').notNull(),
    urn: integer('urn').notNull(),
    rank: smallint('rank').notNull(),
    memberUrn: integer('member_urn').notNull(),
    distance: doublePrecision('distance').notNull(),
    /** Each input's share of the squared distance, in the model's input order. */
    contributions: doublePrecision('contributions').array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.model, t.urn, t.rank] }), index('families_member').on(t.model, t.memberUrn)],
);

/** When each model's families were last rebuilt, and over how many schools. */
export const familyBuilds = pgTable('family_builds', {
  model: text('model').primaryKey(),
  builtAt: timestamp('built_at', { withTimezone: true }).notNull().defaultNow(),
  population: integer('population').notNull(),
  excluded: integer('excluded').notNull(),
  /** Scales used per phase group (FBIT) as JSON text, for the page's method note. */
  scales: text('scales').notNull(),
  milliseconds: integer('milliseconds').notNull(),
});
