import { can, type Actor, type Resource } from '../../domain/access/policy';
import { checkUpload } from '../../domain/networks/uploads';
import type { Database } from '../../db/client';
import { AccountRepository } from '../../db/repositories/account.repository';
import { CaseStudyRepository } from '../../db/repositories/case-study.repository';
import { NetworkRepository, type Network, type NetworkMember } from '../../db/repositories/network.repository';
import { ConflictError, ForbiddenError, FormError, NotFoundError, SignInRequiredError } from '../../web/errors';
import type { Mailer } from '../accounts/mailer';
import type { ActionForm, LearningForm, MeetingForm, NetworkForm } from './networks.schema';

const resourceOf = (n: Network, members: readonly NetworkMember[]): Resource => ({ type: 'network', memberOrganisationIds: members.map((m) => m.organisationId), facilitatorId: n.facilitatorId });

/** Networks: facilitated groups with meetings, actions, shared resources and what they learned. Private to members. */
export class NetworksService {
  readonly repo: NetworkRepository;
  private readonly accounts: AccountRepository;
  private readonly studies: CaseStudyRepository;

  constructor(
    database: Database,
    private readonly mailer: Mailer,
    private readonly publicUrl: string,
  ) {
    this.repo = new NetworkRepository(database);
    this.accounts = new AccountRepository(database);
    this.studies = new CaseStudyRepository(database);
  }

  async mine(actor: Actor): Promise<Network[]> {
    if (actor.kind !== 'user') throw new SignInRequiredError();
    return this.repo.forPerson(actor.userId, [...actor.memberships.keys()]);
  }

  canCreate = (actor: Actor) => can(actor, 'network:create', { type: 'platform' });

  async create(actor: Actor, form: NetworkForm): Promise<string> {
    if (actor.kind !== 'user') throw new SignInRequiredError();
    if (!this.canCreate(actor)) throw new ForbiddenError('Networks are started by facilitators.');
    return this.repo.create({ ...form, facilitatorId: actor.userId });
  }

  /** A network the actor belongs to or facilitates; anything else is "not found", so private networks stay unseen. */
  async read(actor: Actor, id: string) {
    if (actor.kind !== 'user') throw new NotFoundError('There is no such network.');
    const network = await this.repo.get(id);
    if (!network) throw new NotFoundError('There is no such network.');
    const members = await this.repo.members(id);
    if (!can(actor, 'network:read', resourceOf(network, members))) throw new NotFoundError('There is no such network.');
    return { network, members, canManage: can(actor, 'network:manage', resourceOf(network, members)) };
  }

  async page(actor: Actor, id: string) {
    const view = await this.read(actor, id);
    const [meetings, actions, resources, learning] = await Promise.all([this.repo.meetings(id), this.repo.actions(id), this.repo.resources(id), this.repo.learning(id)]);
    return { ...view, meetings, actions, resources, learning };
  }

  private async manage(actor: Actor, id: string) {
    const view = await this.read(actor, id);
    if (!view.canManage) throw new ForbiddenError('Only the network’s facilitator can do this.');
    return view;
  }

  async addMember(actor: Actor, id: string, organisationId: string): Promise<void> {
    await this.manage(actor, id);
    if (!(await this.accounts.organisation(organisationId))) throw new FormError([{ field: 'organisationId', message: 'Choose an organisation from the list' }]);
    if (!(await this.repo.addMember(id, organisationId))) throw new FormError([{ field: 'organisationId', message: 'That organisation is already a member' }]);
  }

  async addMeeting(actor: Actor, id: string, form: MeetingForm): Promise<void> {
    const { members } = await this.manage(actor, id);
    if (form.attendance.some((o) => !members.some((m) => m.organisationId === o))) throw new FormError([{ field: 'attendance', message: 'Attendance lists member organisations only' }]);
    await this.repo.addMeeting(id, { ...form, createdBy: (actor as { userId: string }).userId });
  }

  async addAction(actor: Actor, id: string, form: ActionForm): Promise<void> {
    const { network, members } = await this.read(actor, id);
    let ownerId: string | null = (actor as { userId: string }).userId;
    if (form.ownerEmail) {
      const owner = await this.accounts.userByEmail(form.ownerEmail);
      const theirs = owner ? await this.accounts.membershipsOf(owner.id) : [];
      if (!owner || !(owner.id === network.facilitatorId || theirs.some((m) => members.some((x) => x.organisationId === m.organisation.id)))) {
        throw new FormError([{ field: 'ownerEmail', message: `${form.ownerEmail} is not in this network: the owner must belong to a member organisation` }]);
      }
      ownerId = owner.id;
    }
    await this.repo.addAction(id, { description: form.description, ownerId, dueOn: form.dueOn, createdBy: (actor as { userId: string }).userId });
  }

  async completeAction(actor: Actor, id: string, actionId: string): Promise<void> {
    await this.read(actor, id);
    if (!(await this.repo.completeAction(id, actionId))) throw new ConflictError('That action is already done, or is not in this network.');
  }

  async addLink(actor: Actor, id: string, title: string, url: string): Promise<void> {
    await this.read(actor, id);
    await this.repo.addResource(id, { title, url, fileName: null, contentType: null, content: null, createdBy: (actor as { userId: string }).userId });
  }

  /** Stores a document after checking its size and that its contents match its name; nothing is stored otherwise. */
  async addDocument(actor: Actor, id: string, title: string, fileName: string, content: Buffer, truncated: boolean): Promise<void> {
    await this.read(actor, id);
    const checked = checkUpload(fileName, content, truncated);
    if ('error' in checked) throw new FormError([{ field: 'file', message: checked.error }]);
    await this.repo.addResource(id, { title: title || fileName, url: null, fileName, contentType: checked.contentType, content, createdBy: (actor as { userId: string }).userId });
  }

  async file(actor: Actor, id: string, resourceId: string) {
    await this.read(actor, id);
    const file = await this.repo.resourceFile(id, resourceId);
    if (!file) throw new NotFoundError('There is no such document.');
    return file;
  }

  async addLearning(actor: Actor, id: string, form: LearningForm): Promise<void> {
    const { members } = await this.read(actor, id);
    const organisationId = actor.kind === 'user' ? (members.find((m) => actor.memberships.has(m.organisationId))?.organisationId ?? null) : null;
    await this.repo.addLearning(id, { text: form.text, organisationId, createdBy: (actor as { userId: string }).userId });
  }

  /**
   * A case-study draft seeded from a "what we learned" entry. The leader who wrote it is the author; when their
   * network's facilitator drafts it on their behalf it is marked "drafted with" the facilitator, and the leader
   * edits and approves it before it is submitted (only authors can submit).
   */
  async draftCaseStudy(actor: Actor, id: string, entryId: string): Promise<{ studyId: string; byFacilitator: boolean }> {
    const { network, canManage } = await this.read(actor, id);
    const entry = (await this.repo.learning(id)).find((e) => e.id === entryId);
    if (!entry) throw new NotFoundError('There is no such entry.');
    if (!entry.organisationId || !entry.createdBy) throw new ConflictError('This entry was not written for a member organisation, so it cannot start a case study.');
    const me = (actor as { userId: string }).userId;
    const byFacilitator = canManage && me !== entry.createdBy;
    if (!byFacilitator && me !== entry.createdBy) throw new ForbiddenError('Only the person who wrote it, or the network’s facilitator on their behalf, can start a case study from it.');
    const organisation = (await this.accounts.organisation(entry.organisationId))!;
    const studyId = await this.studies.create({
      title: `What we learned in ${network.name}`,
      summary: '',
      context: {},
      contextNotes: '',
      challenge: '',
      approach: entry.text,
      impact: '',
      impactMeasures: [],
      applicability: '',
      partners: network.name,
      themes: network.themes.slice(0, 5),
      phases: [],
      contactPreference: 'introductions',
      visibility: 'public',
      organisationId: entry.organisationId,
      authorId: entry.createdBy,
      urn: organisation.urn,
      draftedWith: byFacilitator ? me : null,
    });
    if (byFacilitator) {
      const leader = await this.accounts.userById(entry.createdBy);
      if (leader && !leader.deletedAt) {
        await this.mailer.send({ to: leader.email, subject: `A case study draft for you to check: ${network.name}`, text: `Your network's facilitator has drafted a case study from what you shared. You are its author: edit it and submit it when you are happy: ${this.publicUrl}/practice/${studyId}/edit\n` });
      }
    }
    return { studyId, byFacilitator };
  }

  /**
   * Emails each owner of an open action due within three days, once (the reminder job runs this). Each reminder is
   * claimed before it is sent; one that cannot be sent is released, so the next run tries it again.
   */
  async sendReminders(): Promise<number> {
    const due = await this.repo.claimDueReminders(3);
    let sent = 0;
    for (const a of due) {
      try {
        await this.mailer.send({ to: a.email, subject: `Action due ${a.dueOn}: ${a.networkName}`, text: `A reminder of your action in ${a.networkName}, due ${a.dueOn}:\n\n${a.description}\n\n${this.publicUrl}/networks/${a.networkId}#section-actions\n` });
        sent++;
      } catch {
        await this.repo.releaseReminder(a.id);
      }
    }
    return sent;
  }
}
