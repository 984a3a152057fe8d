import { sql } from 'drizzle-orm';
import {
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/** One row per GIAS establishment (open, closed or proposed), keyed by URN. */
export const establishments = pgTable(
  'establishments',
  {
    urn: integer('urn').primaryKey(),
    laestab: integer('laestab'),
    laCode: text('la_code'),
    laName: text('la_name'),
    establishmentNumber: text('establishment_number'),
    name: text('name').notNull(),
    typeCode: text('type_code'),
    typeName: text('type_name'),
    typeGroupCode: text('type_group_code'),
    typeGroupName: text('type_group_name'),
    statusCode: text('status_code'),
    statusName: text('status_name'),
    openDate: date('open_date'),
    closeDate: date('close_date'),
    phaseCode: text('phase_code'),
    phaseName: text('phase_name'),
    statutoryLowAge: smallint('statutory_low_age'),
    statutoryHighAge: smallint('statutory_high_age'),
    boardersName: text('boarders_name'),
    nurseryName: text('nursery_name'),
    sixthFormName: text('sixth_form_name'),
    genderName: text('gender_name'),
    religiousCharacterName: text('religious_character_name'),
    admissionsPolicyName: text('admissions_policy_name'),
    capacity: integer('capacity'),
    pupils: integer('pupils'),
    boys: integer('boys'),
    girls: integer('girls'),
    percentageFsm: doublePrecision('percentage_fsm'),
    censusDate: date('census_date'),
    trustUid: text('trust_uid'),
    trustName: text('trust_name'),
    federationUid: text('federation_uid'),
    federationName: text('federation_name'),
    ukprn: text('ukprn'),
    street: text('street'),
    locality: text('locality'),
    address3: text('address3'),
    town: text('town'),
    county: text('county'),
    postcode: text('postcode'),
    website: text('website'),
    telephone: text('telephone'),
    regionCode: text('region_code'),
    regionName: text('region_name'),
    districtCode: text('district_code'),
    districtName: text('district_name'),
    gssLaCode: text('gss_la_code'),
    urbanRuralCode: text('urban_rural_code'),
    urbanRuralName: text('urban_rural_name'),
    easting: integer('easting'),
    northing: integer('northing'),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    lastChangedDate: date('last_changed_date'),
    /** Postcode without spaces, upper case: the key postcode search matches on. */
    postcodeKey: text('postcode_key').generatedAlwaysAs(sql`upper(replace(postcode, ' ', ''))`),
    /** Lower-cased name for trigram (typo-tolerant) search. */
    nameKey: text('name_key').generatedAlwaysAs(sql`lower(name)`),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('establishments_name_trgm').using('gin', sql`${t.nameKey} gin_trgm_ops`),
    index('establishments_town_trgm').using('gin', sql`lower(${t.town}) gin_trgm_ops`),
    index('establishments_postcode_key').on(t.postcodeKey),
    index('establishments_laestab').on(t.laestab),
    index('establishments_la_code').on(t.laCode),
    index('establishments_trust_uid').on(t.trustUid),
    index('establishments_region_code').on(t.regionCode),
  ],
);

/** Local authorities as GIAS names them, refreshed from the establishments after each GIAS import. */
export const localAuthorities = pgTable('local_authorities', {
  /** The DfE's 3-digit LA number, e.g. `202`. */
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  /** ONS GSS code of the upper-tier authority, e.g. `E09000007`. */
  gssCode: text('gss_code'),
  regionCode: text('region_code'),
  regionName: text('region_name'),
});

/** GIAS groups: trusts, federations, sponsors. */
export const groups = pgTable('groups', {
  uid: text('uid').primaryKey(),
  groupId: text('group_id'),
  name: text('name').notNull(),
  typeCode: text('type_code'),
  typeName: text('type_name'),
  statusCode: text('status_code'),
  statusName: text('status_name'),
  companiesHouseNumber: text('companies_house_number'),
  openDate: date('open_date'),
  closedDate: date('closed_date'),
  ukprn: text('ukprn'),
  town: text('town'),
  postcode: text('postcode'),
});

/** GIAS links between establishments (predecessor, successor, sixth-form centre …). */
export const establishmentLinks = pgTable(
  'establishment_links',
  {
    urn: integer('urn').notNull(),
    linkedUrn: integer('linked_urn').notNull(),
    linkName: text('link_name'),
    linkType: text('link_type').notNull(),
    establishedDate: date('established_date'),
  },
  (t) => [primaryKey({ columns: [t.urn, t.linkedUrn, t.linkType] }), index('establishment_links_linked').on(t.linkedUrn)],
);

/** The catalogue of measures: what each code means, its unit, which way is better, where it comes from. */
export const measures = pgTable('measures', {
  code: text('code').primaryKey(),
  label: text('label').notNull(),
  shortLabel: text('short_label').notNull(),
  unit: text('unit').notNull(),
  direction: text('direction').notNull(),
  decimals: smallint('decimals').notNull(),
  source: text('source').notNull(),
  description: text('description').notNull(),
});

/**
 * Measure values in long format. entity_type is `school` (code = URN), `la` (code = 3-digit LA number) or
 * `england` (code = `E92000001`). breakdown is `all`, or a phase for LA and England figures published by phase.
 * A missing value keeps the publisher's reason (suppressed, not published …) in `status`, never a zero.
 */
export const measureValues = pgTable(
  'measure_values',
  {
    entityType: text('entity_type').notNull(),
    entityCode: text('entity_code').notNull(),
    measure: text('measure')
      .notNull()
      .references(() => measures.code),
    breakdown: text('breakdown').notNull().default('all'),
    /** Academic year by its first calendar year: 2023 means 2023/24. */
    year: smallint('year').notNull(),
    value: doublePrecision('value'),
    status: text('status'),
  },
  (t) => [
    primaryKey({ columns: [t.entityType, t.entityCode, t.measure, t.breakdown, t.year] }),
    index('measure_values_measure_year').on(t.measure, t.year, t.entityType),
  ],
);

/** Inputs of the DfE similar-schools models, by model, exactly as published. */
export const similarityInputs = pgTable(
  'similarity_inputs',
  {
    dataset: text('dataset').notNull(),
    urn: integer('urn').notNull(),
    input: text('input').notNull(),
    value: doublePrecision('value'),
  },
  (t) => [primaryKey({ columns: [t.dataset, t.urn, t.input] })],
);

/** The DfE's own published similar-school groups, kept to check our families against. */
export const publishedNeighbours = pgTable(
  'published_neighbours',
  {
    dataset: text('dataset').notNull(),
    urn: integer('urn').notNull(),
    neighbourUrn: integer('neighbour_urn').notNull(),
    rank: smallint('rank').notNull(),
    distance: doublePrecision('distance').notNull(),
  },
  (t) => [primaryKey({ columns: [t.dataset, t.urn, t.neighbourUrn] })],
);

/** One row per import run: what was read, how many rows, and how it ended. */
export const importRuns = pgTable('import_runs', {
  id: serial('id').primaryKey(),
  kind: text('kind').notNull(),
  source: text('source').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  rows: integer('rows'),
  status: text('status').notNull(),
  message: text('message'),
});
