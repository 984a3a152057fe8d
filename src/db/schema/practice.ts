import { sql, type SQL } from 'drizzle-orm';
import { boolean, check, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations, users } from './accounts';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * Case studies: leader-written accounts of practice. The row holds the current text; every saved change of a
 * published study also goes to case_study_versions, so history is kept and diffs can be shown.
 */
export const caseStudies = pgTable(
  'case_studies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    authorId: uuid('author_id').references(() => users.id),
    /** draft, submitted, returned, published, withdrawn. */
    status: text('status').notNull().default('draft'),
    /** public, or members (signed-in members of any organisation). */
    visibility: text('visibility').notNull().default('public'),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    /** The school's context as shown, taken from the data and editable: phase, size, disadvantage, EAL, SEN, region. */
    context: jsonb('context').notNull().default({}),
    contextNotes: text('context_notes').notNull().default(''),
    challenge: text('challenge').notNull().default(''),
    approach: text('approach').notNull().default(''),
    impact: text('impact').notNull().default(''),
    /** Measures from the school's data this study's impact refers to (codes). */
    impactMeasures: text('impact_measures').array().notNull().default(sql`'{}'::text[]`),
    applicability: text('applicability').notNull().default(''),
    partners: text('partners').notNull().default(''),
    themes: text('themes').array().notNull().default(sql`'{}'::text[]`),
    phases: text('phases').array().notNull().default(sql`'{}'::text[]`),
    contactPreference: text('contact_preference').notNull().default('introductions'),
    /** The URN of the school the study is about, when the organisation is a school. */
    urn: integer('urn'),
    demonstration: boolean('demonstration').notNull().default(false),
    /** A facilitator who drafted it on the leader's behalf (from a visit or a conversation); the leader stays the author. */
    draftedWith: uuid('drafted_with').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    /** Weighted full-text search: title A, summary B, the rest C (stored: ranking is 10–30× faster, PITFALLS.md). */
    search: tsvector('search').generatedAlwaysAs(
      (): SQL => sql`setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(summary, '')), 'B') || setweight(to_tsvector('english', coalesce(challenge, '') || ' ' || coalesce(approach, '') || ' ' || coalesce(impact, '') || ' ' || coalesce(applicability, '') || ' ' || coalesce(partners, '') || ' ' || coalesce(context_notes, '')), 'C')`,
    ),
  },
  (t) => [
    // fastupdate off: no pending list. With it on, every search scanned up to 4 MB of unsorted pending entries until a
    // vacuum merged them, and PGlite has no autovacuum. Case studies are written rarely, so inserts can pay instead.
    index('case_studies_search').using('gin', t.search).with({ fastupdate: false }),
    index('case_studies_status').on(t.status, t.publishedAt),
    index('case_studies_organisation').on(t.organisationId),
    index('case_studies_urn').on(t.urn),
    // max(updated_at) versions the page cache and the area view: one index probe, not a scan of every study.
    index('case_studies_updated').on(t.updatedAt),
    // Filters by theme and phase combine with the text index (bitmap AND) instead of scanning.
    index('case_studies_themes').using('gin', t.themes).with({ fastupdate: false }),
    index('case_studies_phases').using('gin', t.phases).with({ fastupdate: false }),
    // Search's walk by quarter of publication (case-study.repository.ts): each published study's words, themes,
    // phases and visibility as keys prefixed with its quarter, so a quarter's matches under every filter come from
    // entries holding only that quarter's studies. The functions are defined in migration 0012.
    index('case_studies_search_by_quarter')
      .using('gin', sql`case_study_search_keys(${t.search}, ${t.publishedAt}, ${t.themes}, ${t.phases}, ${t.visibility})`)
      .with({ fastupdate: false })
      .where(sql`${t.status} = 'published'`),
    // A published study has a date: search walks published studies by it.
    check('case_studies_published_dated', sql`${t.status} <> 'published' or ${t.publishedAt} is not null`),
  ],
);

export const caseStudyAuthors = pgTable(
  'case_study_authors',
  {
    caseStudyId: uuid('case_study_id')
      .notNull()
      .references(() => caseStudies.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.caseStudyId, t.userId] })],
);

export const caseStudyVersions = pgTable(
  'case_study_versions',
  {
    caseStudyId: uuid('case_study_id')
      .notNull()
      .references(() => caseStudies.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.caseStudyId, t.version] })],
);

/** The workflow's history: submitted, returned (with the facilitator's comment), published, withdrawn. */
export const caseStudyEvents = pgTable(
  'case_study_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseStudyId: uuid('case_study_id')
      .notNull()
      .references(() => caseStudies.id, { onDelete: 'cascade' }),
    event: text('event').notNull(),
    comment: text('comment'),
    actorId: uuid('actor_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('case_study_events_study').on(t.caseStudyId, t.at)],
);

/** "I'd like to learn more": a request to the author, through Trellis; no email address is shown. */
export const learnMoreRequests = pgTable(
  'learn_more_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseStudyId: uuid('case_study_id')
      .notNull()
      .references(() => caseStudies.id, { onDelete: 'cascade' }),
    fromUserId: uuid('from_user_id').notNull(),
    fromOrganisationId: uuid('from_organisation_id'),
    message: text('message').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    reply: text('reply'),
    repliedAt: timestamp('replied_at', { withTimezone: true }),
  },
  (t) => [index('learn_more_study').on(t.caseStudyId)],
);

export const readingList = pgTable(
  'reading_list',
  {
    userId: uuid('user_id').notNull(),
    caseStudyId: uuid('case_study_id')
      .notNull()
      .references(() => caseStudies.id, { onDelete: 'cascade' }),
    savedAt: timestamp('saved_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.caseStudyId] })],
);
