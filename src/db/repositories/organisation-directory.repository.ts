import { sql } from 'drizzle-orm';
import type { Database } from '../client';

export interface Group {
  uid: string;
  groupId: string | null;
  name: string;
  typeName: string | null;
  statusName: string | null;
  companiesHouseNumber: string | null;
  openDate: string | null;
  closedDate: string | null;
  town: string | null;
  postcode: string | null;
}

export interface LocalAuthority {
  code: string;
  name: string;
  gssCode: string | null;
  regionCode: string | null;
  regionName: string | null;
  schools: number;
  openSchools: number;
}

/** Reads GIAS groups (trusts) and local authorities. */
export class OrganisationDirectoryRepository {
  constructor(private readonly database: Database) {}

  async group(uid: string): Promise<Group | null> {
    const [row] = await this.database.rows<Group>(sql`
      select uid, group_id as "groupId", name, type_name as "typeName", status_name as "statusName",
             companies_house_number as "companiesHouseNumber", to_char(open_date, 'YYYY-MM-DD') as "openDate",
             to_char(closed_date, 'YYYY-MM-DD') as "closedDate", town, postcode
      from groups where uid = ${uid}`);
    return row ?? null;
  }

  async localAuthority(code: string): Promise<LocalAuthority | null> {
    const [row] = await this.database.rows<LocalAuthority>(sql`${LA_SELECT} where la.code = ${code} group by la.code`);
    return row ?? null;
  }

  async localAuthorities(): Promise<LocalAuthority[]> {
    return this.database.rows<LocalAuthority>(sql`${LA_SELECT} group by la.code order by la.name`);
  }
}

const LA_SELECT = sql`
  select la.code, la.name, la.gss_code as "gssCode", la.region_code as "regionCode", la.region_name as "regionName",
         count(e.urn)::int as schools, count(e.urn) filter (where e.status_name like 'Open%')::int as "openSchools"
  from local_authorities la left join establishments e on e.la_code = la.code`;
