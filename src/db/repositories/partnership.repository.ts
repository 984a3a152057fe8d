import { sql, type SQL } from 'drizzle-orm';
import type { Database, Db } from '../client';

export interface Partnership {
  id: string;
  name: string;
  purpose: string;
  type: string;
  stage: 'pilot' | 'alliance' | 'integration';
  visibility: 'public' | 'private';
  themes: string[];
  startedOn: string;
  demonstration: boolean;
  createdAt: Date;
  memberCount: number;
  /** Local authorities of member schools (names), for the directory. */
  areas: string[];
}

export interface Member {
  organisationId: string;
  name: string;
  kind: string;
  urn: number | null;
  role: string;
  joinedOn: string;
  laCode: string | null;
  laName: string | null;
  easting: number | null;
  northing: number | null;
  latitude: number | null;
  longitude: number | null;
}

export interface StageDecision {
  fromStage: string | null;
  stage: string;
  decidedOn: string;
  reason: string;
  recordedByName: string | null;
  recordedAt: Date;
}

export interface Aim {
  id: string;
  theme: string;
  measure: string;
  urn: number;
  schoolName: string;
  baselineYear: number;
  recordedAfterwards: boolean;
  description: string;
  createdAt: Date;
}

export interface Activity {
  id: string;
  happenedOn: string;
  kind: string;
  participants: string;
  pupilsReached: number | null;
  staffHours: number | null;
  resourcesShared: string;
  costPounds: number | null;
  notes: string;
}

export interface Benefit {
  id: string;
  kind: string;
  description: string;
  evidence: string;
  organisationName: string | null;
  createdAt: Date;
}

export interface DirectoryFilter {
  q?: string | undefined;
  type?: string | undefined;
  stage?: string | undefined;
  theme?: string | undefined;
  laCode?: string | undefined;
  /** Private partnerships these organisations belong to are listed too; all of them for facilitators. */
  memberOf: readonly string[] | 'all';
}

const SELECT = sql`
  p.id, p.name, p.purpose, p.type, p.stage, p.visibility, p.themes, p.started_on::text as "startedOn", p.demonstration, p.created_at as "createdAt",
  (select count(*)::int from partnership_members m where m.partnership_id = p.id) as "memberCount",
  coalesce((select array_agg(distinct e.la_name order by e.la_name) from partnership_members m join organisations o on o.id = m.organisation_id
            join establishments e on e.urn = o.urn where m.partnership_id = p.id and e.la_name is not null), '{}') as areas`;

const ids = (xs: readonly string[]) => sql`${sql.param([...xs])}::uuid[]`;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Partnerships: members, stage decisions, aims, activities and benefits. */
export class PartnershipRepository {
  constructor(private readonly database: Database) {}

  transaction<T>(work: (repo: PartnershipRepository) => Promise<T>): Promise<T> {
    return this.database.db.transaction((tx) =>
      work(new PartnershipRepository({ ...this.database, db: tx as unknown as Db, rows: async (q) => ((await tx.execute(q)) as unknown as { rows: never[] }).rows })),
    );
  }

  /** Creates the partnership, its lead member and its first stage decision in one transaction. */
  async create(input: { name: string; purpose: string; type: string; visibility: string; themes: string[]; startedOn: string; leadOrganisationId: string; createdBy: string | null; demonstration?: boolean; stage?: string }): Promise<string> {
    return this.transaction(async (repo) => {
      const stage = input.stage ?? 'pilot';
      const [row] = await repo.database.rows<{ id: string }>(sql`
        insert into partnerships (name, purpose, type, stage, visibility, themes, started_on, created_by, demonstration)
        values (${input.name}, ${input.purpose}, ${input.type}, ${stage}, ${input.visibility}, ${sql.param(input.themes)}::text[], ${input.startedOn}, ${input.createdBy}, ${input.demonstration ?? false})
        returning id`);
      await repo.database.rows(sql`insert into partnership_members (partnership_id, organisation_id, role, joined_on) values (${row!.id}, ${input.leadOrganisationId}, 'lead', ${input.startedOn})`);
      await repo.database.rows(sql`
        insert into partnership_stages (partnership_id, from_stage, stage, decided_on, reason, recorded_by)
        values (${row!.id}, null, ${stage}, ${input.startedOn}, 'The partnership began.', ${input.createdBy})`);
      return row!.id;
    });
  }

  async get(id: string): Promise<Partnership | null> {
    const [row] = await this.database.rows<Partnership>(sql`select ${SELECT} from partnerships p where p.id = ${id}`);
    return row ? { ...row, createdAt: new Date(row.createdAt) } : null;
  }

  async directory(f: DirectoryFilter): Promise<Partnership[]> {
    const where: SQL[] = [];
    if (f.memberOf !== 'all') {
      where.push(
        f.memberOf.length
          ? sql`(p.visibility = 'public' or exists (select 1 from partnership_members m where m.partnership_id = p.id and m.organisation_id = any(${ids(f.memberOf)})))`
          : sql`p.visibility = 'public'`,
      );
    }
    if (f.q) where.push(sql`(p.name ilike ${`%${f.q}%`} or p.purpose ilike ${`%${f.q}%`})`);
    if (f.type) where.push(sql`p.type = ${f.type}`);
    if (f.stage) where.push(sql`p.stage = ${f.stage}`);
    if (f.theme) where.push(sql`${f.theme} = any(p.themes)`);
    if (f.laCode) {
      where.push(sql`exists (select 1 from partnership_members m join organisations o on o.id = m.organisation_id left join establishments e on e.urn = o.urn
                             where m.partnership_id = p.id and coalesce(e.la_code, o.la_code) = ${f.laCode})`);
    }
    const rows = await this.database.rows<Partnership>(sql`
      select ${SELECT} from partnerships p ${where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``} order by p.name, p.id limit 500`);
    return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
  }

  async members(id: string): Promise<Member[]> {
    return this.database.rows<Member>(sql`
      select m.organisation_id as "organisationId", o.name, o.kind, o.urn, m.role, m.joined_on::text as "joinedOn",
             coalesce(e.la_code, o.la_code) as "laCode", e.la_name as "laName",
             coalesce(e.easting, o.easting) as easting, coalesce(e.northing, o.northing) as northing, e.latitude, e.longitude
      from partnership_members m join organisations o on o.id = m.organisation_id left join establishments e on e.urn = o.urn
      where m.partnership_id = ${id}
      order by case m.role when 'lead' then 0 when 'partner' then 1 when 'agency' then 2 else 3 end, o.name`);
  }

  /** Adds a member; false when it already is one (nothing changes). */
  async addMember(id: string, organisationId: string, role: string): Promise<boolean> {
    const rows = await this.database.rows(sql`
      insert into partnership_members (partnership_id, organisation_id, role) values (${id}, ${organisationId}, ${role})
      on conflict do nothing returning organisation_id`);
    await this.touch(id);
    return rows.length === 1;
  }

  private async touch(id: string): Promise<void> {
    await this.database.rows(sql`update partnerships set updated_at = now() where id = ${id}`);
  }

  /** Records a stage decision and moves the partnership, in one transaction; false if the stage changed meanwhile. */
  async moveStage(id: string, input: { from: string; to: string; decidedOn: string; reason: string; recordedBy: string | null }): Promise<boolean> {
    return this.transaction(async (repo) => {
      const moved = await repo.database.rows(sql`update partnerships set stage = ${input.to}, updated_at = now() where id = ${id} and stage = ${input.from} returning id`);
      if (moved.length === 0) return false;
      await repo.database.rows(sql`
        insert into partnership_stages (partnership_id, from_stage, stage, decided_on, reason, recorded_by)
        values (${id}, ${input.from}, ${input.to}, ${input.decidedOn}, ${input.reason}, ${input.recordedBy})`);
      return true;
    });
  }

  async stages(id: string): Promise<StageDecision[]> {
    const rows = await this.database.rows<StageDecision>(sql`
      select s.from_stage as "fromStage", s.stage, s.decided_on::text as "decidedOn", s.reason, u.display_name as "recordedByName", s.recorded_at as "recordedAt"
      from partnership_stages s left join users u on u.id = s.recorded_by where s.partnership_id = ${id} order by s.recorded_at, s.id`);
    return rows.map((r) => ({ ...r, recordedAt: new Date(r.recordedAt) }));
  }

  async addAim(id: string, aim: { theme: string; measure: string; urn: number; baselineYear: number; recordedAfterwards: boolean; description: string; createdBy: string | null }): Promise<string> {
    const [row] = await this.database.rows<{ id: string }>(sql`
      insert into partnership_aims (partnership_id, theme, measure, urn, baseline_year, recorded_afterwards, description, created_by)
      values (${id}, ${aim.theme}, ${aim.measure}, ${aim.urn}, ${aim.baselineYear}, ${aim.recordedAfterwards}, ${aim.description}, ${aim.createdBy})
      returning id`);
    await this.touch(id);
    return row!.id;
  }

  async aims(id: string): Promise<Aim[]> {
    const rows = await this.database.rows<Aim>(sql`
      select a.id, a.theme, a.measure, a.urn, coalesce(e.name, 'URN ' || a.urn) as "schoolName", a.baseline_year as "baselineYear",
             a.recorded_afterwards as "recordedAfterwards", a.description, a.created_at as "createdAt"
      from partnership_aims a left join establishments e on e.urn = a.urn where a.partnership_id = ${id} order by e.name, a.measure, a.created_at`);
    return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
  }

  async addActivity(id: string, a: Omit<Activity, 'id'> & { createdBy: string | null }): Promise<void> {
    await this.database.rows(sql`
      insert into partnership_activities (partnership_id, happened_on, kind, participants, pupils_reached, staff_hours, resources_shared, cost_pounds, notes, created_by)
      values (${id}, ${a.happenedOn}, ${a.kind}, ${a.participants}, ${a.pupilsReached}, ${a.staffHours}, ${a.resourcesShared}, ${a.costPounds}, ${a.notes}, ${a.createdBy})`);
    await this.touch(id);
  }

  async activities(id: string): Promise<Activity[]> {
    const rows = await this.database.rows<Activity>(sql`
      select id, happened_on::text as "happenedOn", kind, participants, pupils_reached as "pupilsReached", staff_hours as "staffHours",
             resources_shared as "resourcesShared", cost_pounds as "costPounds", notes
      from partnership_activities where partnership_id = ${id} order by happened_on desc, created_at desc`);
    return rows.map((r) => ({ ...r, staffHours: num(r.staffHours), costPounds: num(r.costPounds) }));
  }

  async addBenefit(id: string, b: { kind: string; description: string; evidence: string; organisationId: string | null; createdBy: string | null }): Promise<void> {
    await this.database.rows(sql`
      insert into partnership_benefits (partnership_id, organisation_id, kind, description, evidence, created_by)
      values (${id}, ${b.organisationId}, ${b.kind}, ${b.description}, ${b.evidence}, ${b.createdBy})`);
    await this.touch(id);
  }

  async benefits(id: string): Promise<Benefit[]> {
    const rows = await this.database.rows<Benefit>(sql`
      select b.id, b.kind, b.description, b.evidence, o.name as "organisationName", b.created_at as "createdAt"
      from partnership_benefits b left join organisations o on o.id = b.organisation_id where b.partnership_id = ${id} order by b.kind, b.created_at`);
    return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
  }

  /** The predecessors of a school (GIAS links), most recent first: academy conversion gives a school a new URN. */
  async predecessors(urn: number): Promise<number[]> {
    const rows = await this.database.rows<{ urn: number }>(sql`
      select linked_urn as urn from establishment_links where urn = ${urn} and link_type like 'Predecessor%' order by established_date desc nulls last, linked_urn`);
    return rows.map((r) => r.urn);
  }

  async count(): Promise<number> {
    const [row] = await this.database.rows<{ n: number }>(sql`select count(*)::int as n from partnerships`);
    return row?.n ?? 0;
  }
}
