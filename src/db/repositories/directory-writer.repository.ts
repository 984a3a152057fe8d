import { eq, sql } from 'drizzle-orm';
import type { MeasureValue } from '../../domain/measures/outcomes';
import { MEASURES } from '../../domain/measures/catalogue';
import type { Database, Db } from '../client';
import { importRuns } from '../schema';
import { bulkUpsert, type BulkColumn } from './bulk';

/** An establishment as the importers produce it: one GIAS row, cleaned and typed. */
export interface EstablishmentRecord {
  urn: number;
  laestab: number | null;
  laCode: string;
  laName: string;
  establishmentNumber: string | null;
  name: string;
  typeCode: string | null;
  typeName: string | null;
  typeGroupCode: string | null;
  typeGroupName: string | null;
  statusCode: string | null;
  statusName: string | null;
  openDate: string | null;
  closeDate: string | null;
  phaseCode: string | null;
  phaseName: string | null;
  statutoryLowAge: number | null;
  statutoryHighAge: number | null;
  boardersName: string | null;
  nurseryName: string | null;
  sixthFormName: string | null;
  genderName: string | null;
  religiousCharacterName: string | null;
  admissionsPolicyName: string | null;
  capacity: number | null;
  pupils: number | null;
  boys: number | null;
  girls: number | null;
  percentageFsm: number | null;
  censusDate: string | null;
  trustUid: string | null;
  trustName: string | null;
  federationUid: string | null;
  federationName: string | null;
  ukprn: string | null;
  street: string | null;
  locality: string | null;
  address3: string | null;
  town: string | null;
  county: string | null;
  postcode: string | null;
  website: string | null;
  telephone: string | null;
  regionCode: string | null;
  regionName: string | null;
  districtCode: string | null;
  districtName: string | null;
  gssLaCode: string | null;
  urbanRuralCode: string | null;
  urbanRuralName: string | null;
  easting: number | null;
  northing: number | null;
  latitude: number | null;
  longitude: number | null;
  lastChangedDate: string | null;
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const col = <K extends keyof EstablishmentRecord>(key: K, type: BulkColumn<EstablishmentRecord>['type']): BulkColumn<EstablishmentRecord> => ({
  column: snake(key),
  type,
  get: (r) => r[key] as string | number | null,
});

/** Every establishment column, in one list: the writer upserts them and the directory reads them. */
export const ESTABLISHMENT_COLUMNS: BulkColumn<EstablishmentRecord>[] = [
  col('urn', 'int'),
  col('laestab', 'int'),
  col('laCode', 'text'),
  col('laName', 'text'),
  col('establishmentNumber', 'text'),
  col('name', 'text'),
  col('typeCode', 'text'),
  col('typeName', 'text'),
  col('typeGroupCode', 'text'),
  col('typeGroupName', 'text'),
  col('statusCode', 'text'),
  col('statusName', 'text'),
  col('openDate', 'date'),
  col('closeDate', 'date'),
  col('phaseCode', 'text'),
  col('phaseName', 'text'),
  col('statutoryLowAge', 'smallint'),
  col('statutoryHighAge', 'smallint'),
  col('boardersName', 'text'),
  col('nurseryName', 'text'),
  col('sixthFormName', 'text'),
  col('genderName', 'text'),
  col('religiousCharacterName', 'text'),
  col('admissionsPolicyName', 'text'),
  col('capacity', 'int'),
  col('pupils', 'int'),
  col('boys', 'int'),
  col('girls', 'int'),
  col('percentageFsm', 'float8'),
  col('censusDate', 'date'),
  col('trustUid', 'text'),
  col('trustName', 'text'),
  col('federationUid', 'text'),
  col('federationName', 'text'),
  col('ukprn', 'text'),
  col('street', 'text'),
  col('locality', 'text'),
  col('address3', 'text'),
  col('town', 'text'),
  col('county', 'text'),
  col('postcode', 'text'),
  col('website', 'text'),
  col('telephone', 'text'),
  col('regionCode', 'text'),
  col('regionName', 'text'),
  col('districtCode', 'text'),
  col('districtName', 'text'),
  col('gssLaCode', 'text'),
  col('urbanRuralCode', 'text'),
  col('urbanRuralName', 'text'),
  col('easting', 'int'),
  col('northing', 'int'),
  col('latitude', 'float8'),
  col('longitude', 'float8'),
  col('lastChangedDate', 'date'),
];

export interface GroupRecord {
  uid: string;
  groupId: string | null;
  name: string;
  typeCode: string | null;
  typeName: string | null;
  statusCode: string | null;
  statusName: string | null;
  companiesHouseNumber: string | null;
  openDate: string | null;
  closedDate: string | null;
  ukprn: string | null;
  town: string | null;
  postcode: string | null;
}

const GROUP_COLUMNS: BulkColumn<GroupRecord>[] = (
  [
    ['uid', 'text'],
    ['groupId', 'text'],
    ['name', 'text'],
    ['typeCode', 'text'],
    ['typeName', 'text'],
    ['statusCode', 'text'],
    ['statusName', 'text'],
    ['companiesHouseNumber', 'text'],
    ['openDate', 'date'],
    ['closedDate', 'date'],
    ['ukprn', 'text'],
    ['town', 'text'],
    ['postcode', 'text'],
  ] as const
).map(([key, type]) => ({ column: snake(key), type, get: (r: GroupRecord) => r[key] }));

export interface LinkRecord {
  urn: number;
  linkedUrn: number;
  linkName: string | null;
  linkType: string;
  establishedDate: string | null;
}

const LINK_COLUMNS: BulkColumn<LinkRecord>[] = (
  [
    ['urn', 'int'],
    ['linkedUrn', 'int'],
    ['linkName', 'text'],
    ['linkType', 'text'],
    ['establishedDate', 'date'],
  ] as const
).map(([key, type]) => ({ column: snake(key), type, get: (r: LinkRecord) => r[key] }));

export type MeasureValueRecord = MeasureValue;

const MEASURE_VALUE_COLUMNS: BulkColumn<MeasureValueRecord>[] = (
  [
    ['entityType', 'text'],
    ['entityCode', 'text'],
    ['measure', 'text'],
    ['breakdown', 'text'],
    ['year', 'smallint'],
    ['value', 'float8'],
    ['status', 'text'],
  ] as const
).map(([key, type]) => ({ column: snake(key), type, get: (r: MeasureValueRecord) => r[key] }));

export interface SimilarityInputRecord {
  dataset: string;
  urn: number;
  input: string;
  value: number | null;
}

export interface PublishedNeighbourRecord {
  dataset: string;
  urn: number;
  neighbourUrn: number;
  rank: number;
  distance: number;
}

/** Writes what the importers read. Static methods take a transaction so one import is one transaction. */
export class DirectoryWriter {
  constructor(private readonly database: Database) {}

  async startRun(kind: string, source: string): Promise<number> {
    const [row] = await this.database.db.insert(importRuns).values({ kind, source, status: 'running' }).returning({ id: importRuns.id });
    return row!.id;
  }

  async finishRun(id: number, status: 'succeeded' | 'failed', rows: number | null, message: string): Promise<void> {
    await this.database.db
      .update(importRuns)
      .set({ status, rows, message: message.slice(0, 20_000), finishedAt: new Date() })
      .where(eq(importRuns.id, id));
  }

  static upsertEstablishments(tx: Db, rows: readonly EstablishmentRecord[]): Promise<void> {
    return bulkUpsert(tx, rows, { table: 'establishments', columns: ESTABLISHMENT_COLUMNS, key: ['urn'], onConflict: 'update' });
  }

  static upsertGroups(tx: Db, rows: readonly GroupRecord[]): Promise<void> {
    return bulkUpsert(tx, rows, { table: 'groups', columns: GROUP_COLUMNS, key: ['uid'], onConflict: 'update' });
  }

  static upsertLinks(tx: Db, rows: readonly LinkRecord[]): Promise<void> {
    return bulkUpsert(tx, rows, { table: 'establishment_links', columns: LINK_COLUMNS, key: ['urn', 'linked_urn', 'link_type'], onConflict: 'update' });
  }

  /** The measure catalogue (labels, units, directions): written before any values, which refer to it. */
  static upsertMeasureCatalogue(tx: Db): Promise<void> {
    return bulkUpsert(tx, MEASURES, {
      table: 'measures',
      columns: [
        { column: 'code', type: 'text', get: (m) => m.code },
        { column: 'label', type: 'text', get: (m) => m.label },
        { column: 'short_label', type: 'text', get: (m) => m.shortLabel },
        { column: 'unit', type: 'text', get: (m) => m.unit },
        { column: 'direction', type: 'text', get: (m) => m.direction },
        { column: 'decimals', type: 'smallint', get: (m) => m.decimals },
        { column: 'source', type: 'text', get: (m) => m.source },
        { column: 'description', type: 'text', get: (m) => m.description },
      ],
      key: ['code'],
      onConflict: 'update',
    });
  }

  static upsertMeasureValues(tx: Db, rows: readonly MeasureValueRecord[]): Promise<void> {
    return bulkUpsert(tx, rows, {
      table: 'measure_values',
      columns: MEASURE_VALUE_COLUMNS,
      key: ['entity_type', 'entity_code', 'measure', 'breakdown', 'year'],
      onConflict: 'update',
      batchSize: 5000,
    });
  }

  static async replaceSimilarityInputs(tx: Db, dataset: string, rows: readonly SimilarityInputRecord[]): Promise<void> {
    await tx.execute(sql`delete from similarity_inputs where dataset = ${dataset}`);
    await bulkUpsert(tx, rows, {
      table: 'similarity_inputs',
      columns: [
        { column: 'dataset', type: 'text', get: (r) => r.dataset },
        { column: 'urn', type: 'int', get: (r) => r.urn },
        { column: 'input', type: 'text', get: (r) => r.input },
        { column: 'value', type: 'float8', get: (r) => r.value },
      ],
      key: ['dataset', 'urn', 'input'],
      onConflict: 'update',
      batchSize: 5000,
    });
  }

  static async replacePublishedNeighbours(tx: Db, dataset: string, rows: readonly PublishedNeighbourRecord[]): Promise<void> {
    await tx.execute(sql`delete from published_neighbours where dataset = ${dataset}`);
    await bulkUpsert(tx, rows, {
      table: 'published_neighbours',
      columns: [
        { column: 'dataset', type: 'text', get: (r) => r.dataset },
        { column: 'urn', type: 'int', get: (r) => r.urn },
        { column: 'neighbour_urn', type: 'int', get: (r) => r.neighbourUrn },
        { column: 'rank', type: 'smallint', get: (r) => r.rank },
        { column: 'distance', type: 'float8', get: (r) => r.distance },
      ],
      key: ['dataset', 'urn', 'neighbour_urn'],
      onConflict: 'update',
      batchSize: 5000,
    });
  }

  /**
   * Local authorities and trusts named in the establishments: refreshed after each GIAS import. An LA takes
   * the name, GSS code and region most of its open schools give; a trust seen only in the extract is added with
   * the name the extract gives (the GIAS groups file, when imported, adds its type, status and dates).
   */
  static async refreshDerivedFromEstablishments(tx: Db): Promise<void> {
    await tx.execute(sql`
      insert into local_authorities (code, name, gss_code, region_code, region_name)
      select la_code,
             mode() within group (order by la_name),
             mode() within group (order by gss_la_code),
             mode() within group (order by region_code),
             mode() within group (order by region_name)
      from establishments where la_code is not null
      group by la_code
      on conflict (code) do update set name = excluded.name, gss_code = excluded.gss_code,
        region_code = excluded.region_code, region_name = excluded.region_name`);
    await tx.execute(sql`
      insert into groups (uid, name, type_name)
      select trust_uid, mode() within group (order by trust_name), 'Trust'
      from establishments where trust_uid is not null and trust_name is not null
      group by trust_uid
      on conflict (uid) do nothing`);
  }
}
