import { sql, type SQL } from 'drizzle-orm';
import type { SearchTerm } from '../../domain/schools/search-query';
import type { Database } from '../client';
import { ESTABLISHMENT_COLUMNS, type EstablishmentRecord } from './directory-writer.repository';

/** Everything the directory holds about one establishment: the record as imported (its LA may be missing). */
export type School = Omit<EstablishmentRecord, 'laCode' | 'laName'> & { laCode: string | null; laName: string | null };

const SUMMARY_KEYS = [
  'urn', 'laestab', 'name', 'town', 'postcode', 'phaseName', 'typeName', 'typeGroupName', 'statusName', 'laCode', 'laName',
  'regionName', 'trustUid', 'trustName', 'pupils', 'capacity', 'statutoryLowAge', 'statutoryHighAge',
] as const;

/** A row of a school search result: enough to list, link and download. */
export type SchoolSummary = Pick<School, (typeof SUMMARY_KEYS)[number]>;

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The select list for the given fields (all by default), from the one column list the importer writes. */
function selectList(keys?: readonly string[]): SQL {
  const columns = ESTABLISHMENT_COLUMNS.filter((c) => !keys || keys.includes(camel(c.column)));
  return sql.raw(columns.map((c) => `${c.type === 'date' ? `to_char(${c.column}, 'YYYY-MM-DD')` : c.column} as "${camel(c.column)}"`).join(', '));
}

export interface SchoolLink {
  urn: number;
  linkedUrn: number;
  linkName: string | null;
  linkType: string;
  establishedDate: string | null;
  /** Whether the linked establishment is in the directory (links may point outside the sample). */
  inDirectory: boolean;
}

export type StatusFilter = 'open' | 'closed' | 'all';

export interface SchoolSearch {
  term: SearchTerm;
  phase?: string[] | undefined;
  typeGroup?: string[] | undefined;
  la?: string[] | undefined;
  region?: string[] | undefined;
  status: StatusFilter;
  limit: number;
  offset: number;
}

export interface SearchPage {
  total: number;
  rows: SchoolSummary[];
}

const SUMMARY_COLUMNS = selectList(SUMMARY_KEYS);
const ALL_COLUMNS = selectList();

/** GIAS statuses counted as open: "Open" and "Open, but proposed to close". */
const OPEN_STATUS = sql`status_name like 'Open%'`;

export class EstablishmentRepository {
  constructor(private readonly database: Database) {}

  async search(query: SchoolSearch): Promise<SearchPage> {
    const where: SQL[] = [];
    let order: SQL = sql`name, urn`;
    const term = query.term;
    switch (term.kind) {
      case 'urn':
        where.push(sql`urn = ${term.urn}`);
        break;
      case 'laestab':
        where.push(sql`laestab = ${term.laestab}`);
        break;
      case 'postcode':
        where.push(term.complete ? sql`postcode_key = ${term.key}` : sql`postcode_key like ${`${term.key}%`}`);
        order = sql`postcode_key, name, urn`;
        break;
      case 'text': {
        const q = term.text.toLowerCase();
        // Typo-tolerant (pg_trgm, GIN-indexed): the words typed resemble words of the name (`<%`), or the whole name
        // (`%`, for several misspelt words), or appear in it as typed; or the town matches.
        where.push(
          sql`(${q} <% name_key or name_key % ${q} or name_key like ${`%${escapeLike(q)}%`} or lower(town) = ${q} or lower(town) % ${q})`,
        );
        order = sql`(name_key = ${q}) desc, (name_key like ${`${escapeLike(q)}%`}) desc,
          greatest(word_similarity(${q}, name_key), similarity(name_key, ${q})) desc, (lower(town) = ${q}) desc, name, urn`;
        break;
      }
      case 'empty':
        break;
    }
    if (query.phase?.length) where.push(sql`phase_name in ${query.phase}`);
    if (query.typeGroup?.length) where.push(sql`type_group_name in ${query.typeGroup}`);
    if (query.la?.length) where.push(sql`la_code in ${query.la}`);
    if (query.region?.length) where.push(sql`region_code in ${query.region}`);
    if (query.status === 'open') where.push(OPEN_STATUS);
    if (query.status === 'closed') where.push(sql`not (${OPEN_STATUS})`);
    const whereSql = where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``;
    const rows = await this.database.rows<SchoolSummary & { total: number }>(sql`
      select ${SUMMARY_COLUMNS}, count(*) over ()::int as total
      from establishments ${whereSql}
      order by ${order}
      limit ${query.limit} offset ${query.offset}`);
    let total = rows[0]?.total ?? 0;
    if (rows.length === 0 && query.offset > 0) {
      const [count] = await this.database.rows<{ total: number }>(sql`select count(*)::int as total from establishments ${whereSql}`);
      total = count?.total ?? 0;
    }
    return { total, rows: rows.map(({ total: _t, ...r }) => r) };
  }

  async byUrn(urn: number): Promise<School | null> {
    const [row] = await this.database.rows<School>(sql`select ${ALL_COLUMNS} from establishments where urn = ${urn}`);
    return row ?? null;
  }

  async byTrust(uid: string): Promise<SchoolSummary[]> {
    return this.database.rows<SchoolSummary>(sql`
      select ${SUMMARY_COLUMNS} from establishments where trust_uid = ${uid} order by ${OPEN_STATUS} desc, name, urn`);
  }

  async byLocalAuthority(code: string): Promise<SchoolSummary[]> {
    return this.database.rows<SchoolSummary>(sql`
      select ${SUMMARY_COLUMNS} from establishments where la_code = ${code} order by ${OPEN_STATUS} desc, name, urn`);
  }

  async links(urn: number): Promise<SchoolLink[]> {
    return this.database.rows<SchoolLink>(sql`
      select l.urn, l.linked_urn as "linkedUrn", coalesce(e.name, l.link_name) as "linkName", l.link_type as "linkType",
             to_char(l.established_date, 'YYYY-MM-DD') as "establishedDate", (e.urn is not null) as "inDirectory"
      from establishment_links l left join establishments e on e.urn = l.linked_urn
      where l.urn = ${urn}
      order by l.established_date desc nulls last, l.linked_urn`);
  }

  async count(): Promise<number> {
    const [row] = await this.database.rows<{ n: number }>(sql`select count(*)::int as n from establishments`);
    return row?.n ?? 0;
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
