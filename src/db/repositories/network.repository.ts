import { sql } from 'drizzle-orm';
import type { Database } from '../client';

export interface Network {
  id: string;
  name: string;
  purpose: string;
  kind: string;
  themes: string[];
  facilitatorId: string | null;
  facilitatorName: string | null;
  demonstration: boolean;
  memberCount: number;
  createdAt: Date;
}

export interface NetworkMember {
  organisationId: string;
  name: string;
  kind: string;
  urn: number | null;
}

export interface Meeting {
  id: string;
  heldOn: string;
  agenda: string;
  notes: string;
  attendance: string[];
}

export interface Action {
  id: string;
  description: string;
  ownerId: string | null;
  ownerName: string | null;
  dueOn: string;
  status: 'open' | 'done';
}

export interface Resource {
  id: string;
  title: string;
  url: string | null;
  fileName: string | null;
  contentType: string | null;
  size: number | null;
  createdAt: Date;
}

export interface LearningEntry {
  id: string;
  text: string;
  organisationId: string | null;
  organisationName: string | null;
  createdBy: string | null;
  authorName: string | null;
  createdAt: Date;
}

const SELECT = sql`
  n.id, n.name, n.purpose, n.kind, n.themes, n.facilitator_id as "facilitatorId", u.display_name as "facilitatorName", n.demonstration,
  (select count(*)::int from network_members m where m.network_id = n.id) as "memberCount", n.created_at as "createdAt"`;
const dated = <T extends { createdAt: Date }>(r: T): T => ({ ...r, createdAt: new Date(r.createdAt) });

/** Networks and everything in them. */
export class NetworkRepository {
  constructor(private readonly database: Database) {}

  async create(input: { name: string; purpose: string; kind: string; themes: string[]; facilitatorId: string; demonstration?: boolean }): Promise<string> {
    const [row] = await this.database.rows<{ id: string }>(sql`
      insert into networks (name, purpose, kind, themes, facilitator_id, demonstration)
      values (${input.name}, ${input.purpose}, ${input.kind}, ${sql.param(input.themes)}::text[], ${input.facilitatorId}, ${input.demonstration ?? false}) returning id`);
    return row!.id;
  }

  async get(id: string): Promise<Network | null> {
    const [row] = await this.database.rows<Network>(sql`select ${SELECT} from networks n left join users u on u.id = n.facilitator_id where n.id = ${id}`);
    return row ? dated(row) : null;
  }

  /** Networks a person belongs to (through an organisation) or facilitates. */
  async forPerson(userId: string, organisationIds: readonly string[]): Promise<Network[]> {
    const rows = await this.database.rows<Network>(sql`
      select ${SELECT} from networks n left join users u on u.id = n.facilitator_id
      where n.facilitator_id = ${userId}
         ${organisationIds.length ? sql`or exists (select 1 from network_members m where m.network_id = n.id and m.organisation_id = any(${sql.param([...organisationIds])}::uuid[]))` : sql``}
      order by n.name, n.id`);
    return rows.map(dated);
  }

  async members(id: string): Promise<NetworkMember[]> {
    return this.database.rows<NetworkMember>(sql`
      select o.id as "organisationId", o.name, o.kind, o.urn from network_members m join organisations o on o.id = m.organisation_id
      where m.network_id = ${id} order by o.name`);
  }

  async addMember(id: string, organisationId: string): Promise<boolean> {
    const rows = await this.database.rows(sql`insert into network_members (network_id, organisation_id) values (${id}, ${organisationId}) on conflict do nothing returning network_id`);
    return rows.length === 1;
  }

  async addMeeting(id: string, m: { heldOn: string; agenda: string; notes: string; attendance: string[]; createdBy: string | null }): Promise<void> {
    await this.database.rows(sql`
      insert into network_meetings (network_id, held_on, agenda, notes, attendance, created_by)
      values (${id}, ${m.heldOn}, ${m.agenda}, ${m.notes}, ${sql.param(m.attendance)}::uuid[], ${m.createdBy})`);
  }

  async meetings(id: string): Promise<Meeting[]> {
    return this.database.rows<Meeting>(sql`
      select id, held_on::text as "heldOn", agenda, notes, attendance::text[] as attendance from network_meetings where network_id = ${id} order by held_on desc, created_at desc`);
  }

  async addAction(id: string, a: { description: string; ownerId: string | null; dueOn: string; createdBy: string | null }): Promise<void> {
    await this.database.rows(sql`
      insert into network_actions (network_id, description, owner_id, due_on, created_by) values (${id}, ${a.description}, ${a.ownerId}, ${a.dueOn}, ${a.createdBy})`);
  }

  async actions(id: string): Promise<Action[]> {
    return this.database.rows<Action>(sql`
      select a.id, a.description, a.owner_id as "ownerId", u.display_name as "ownerName", a.due_on::text as "dueOn", a.status
      from network_actions a left join users u on u.id = a.owner_id where a.network_id = ${id} order by a.status desc, a.due_on, a.created_at`);
  }

  async completeAction(id: string, actionId: string): Promise<boolean> {
    const rows = await this.database.rows(sql`update network_actions set status = 'done' where id = ${actionId} and network_id = ${id} and status = 'open' returning id`);
    return rows.length === 1;
  }

  /**
   * Open actions due within `days` whose owner has not been reminded: claimed (marked reminded) in the same statement,
   * so two workers never remind twice.
   */
  async claimDueReminders(days: number): Promise<{ id: string; description: string; dueOn: string; networkId: string; networkName: string; email: string; name: string }[]> {
    return this.database.rows(sql`
      with due as (
        update network_actions a set reminded_at = now()
        where a.status = 'open' and a.reminded_at is null and a.owner_id is not null and a.due_on <= current_date + ${days}::int
        returning a.id, a.description, a.due_on, a.network_id, a.owner_id
      )
      select due.id, due.description, due.due_on::text as "dueOn", due.network_id as "networkId", n.name as "networkName", u.email, u.display_name as name
      from due join networks n on n.id = due.network_id join users u on u.id = due.owner_id where u.deleted_at is null`);
  }

  async releaseReminder(actionId: string): Promise<void> {
    await this.database.rows(sql`update network_actions set reminded_at = null where id = ${actionId}`);
  }

  async addResource(id: string, r: { title: string; url: string | null; fileName: string | null; contentType: string | null; content: Buffer | null; createdBy: string | null }): Promise<void> {
    await this.database.rows(sql`
      insert into network_resources (network_id, title, url, file_name, content_type, size, content, created_by)
      values (${id}, ${r.title}, ${r.url}, ${r.fileName}, ${r.contentType}, ${r.content ? r.content.length : null}, ${r.content}, ${r.createdBy})`);
  }

  async resources(id: string): Promise<Resource[]> {
    const rows = await this.database.rows<Resource>(sql`
      select id, title, url, file_name as "fileName", content_type as "contentType", size, created_at as "createdAt" from network_resources where network_id = ${id} order by created_at desc`);
    return rows.map(dated);
  }

  async resourceFile(id: string, resourceId: string): Promise<{ fileName: string; contentType: string; content: Buffer } | null> {
    const [row] = await this.database.rows<{ fileName: string; contentType: string; content: Buffer | Uint8Array }>(sql`
      select file_name as "fileName", content_type as "contentType", content from network_resources where id = ${resourceId} and network_id = ${id} and content is not null`);
    return row ? { ...row, content: Buffer.from(row.content) } : null;
  }

  async addLearning(id: string, e: { text: string; organisationId: string | null; createdBy: string | null }): Promise<void> {
    await this.database.rows(sql`insert into network_learning (network_id, text, organisation_id, created_by) values (${id}, ${e.text}, ${e.organisationId}, ${e.createdBy})`);
  }

  async learning(id: string): Promise<LearningEntry[]> {
    const rows = await this.database.rows<LearningEntry>(sql`
      select l.id, l.text, l.organisation_id as "organisationId", o.name as "organisationName", l.created_by as "createdBy", u.display_name as "authorName", l.created_at as "createdAt"
      from network_learning l left join organisations o on o.id = l.organisation_id left join users u on u.id = l.created_by
      where l.network_id = ${id} order by l.created_at desc`);
    return rows.map(dated);
  }

  async count(): Promise<number> {
    const [row] = await this.database.rows<{ n: number }>(sql`select count(*)::int as n from networks`);
    return row?.n ?? 0;
  }
}
