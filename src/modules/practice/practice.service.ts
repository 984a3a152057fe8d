import { diffWords } from 'diff';
import { can, type Actor } from '../../domain/access/policy';
import { formatMeasureValue, measureByCode } from '../../domain/measures/catalogue';
import { formatAcademicYear } from '../../domain/schools/years';
import type { Database } from '../../db/client';
import { CaseStudyRepository, type CaseStudy, type CaseStudyContent, type CaseStudySummary } from '../../db/repositories/case-study.repository';
import { EstablishmentRepository } from '../../db/repositories/establishment.repository';
import { FamilyRepository } from '../../db/repositories/family.repository';
import { MeasureRepository } from '../../db/repositories/measure.repository';
import { AccountRepository } from '../../db/repositories/account.repository';
import { BrokerageRepository } from '../../db/repositories/brokerage.repository';
import { ConflictError, ForbiddenError, FormError, NotFoundError, SignInRequiredError } from '../../web/errors';
import type { Mailer } from '../accounts/mailer';
import { contextFromForm, type CaseStudyForm, type PracticeQuery } from './practice.schema';

const PAGE_SIZE = 20;

const resourceOf = (s: CaseStudy) => ({
  type: 'case-study' as const,
  organisationId: s.organisationId,
  authorIds: s.authorIds,
  status: s.status,
  visibility: s.visibility,
});

const contentOf = (s: CaseStudy): CaseStudyContent => ({
  title: s.title,
  summary: s.summary,
  context: s.context,
  contextNotes: s.contextNotes,
  challenge: s.challenge,
  approach: s.approach,
  impact: s.impact,
  impactMeasures: s.impactMeasures,
  applicability: s.applicability,
  partners: s.partners,
  themes: s.themes,
  phases: s.phases,
  contactPreference: s.contactPreference,
  visibility: s.visibility,
});

export interface ImpactFigure {
  code: string;
  label: string;
  years: { yearLabel: string; display: string }[];
  source: string;
}

/** The practice library: write, review, publish, find and reuse case studies. Every method checks the policy. */
export class PracticeService {
  private readonly studies: CaseStudyRepository;
  private readonly establishments: EstablishmentRepository;
  private readonly measures: MeasureRepository;
  private readonly families: FamilyRepository;
  private readonly accounts: AccountRepository;
  private readonly brokerage: BrokerageRepository;

  constructor(
    database: Database,
    private readonly mailer: Mailer,
    private readonly publicUrl: string,
  ) {
    this.studies = new CaseStudyRepository(database);
    this.establishments = new EstablishmentRepository(database);
    this.measures = new MeasureRepository(database);
    this.families = new FamilyRepository(database);
    this.accounts = new AccountRepository(database);
    this.brokerage = new BrokerageRepository(database);
  }

  /** The school's context from the data, to start a study with (the author can edit it, never retypes it). */
  async contextFor(urn: number | null): Promise<Record<string, string>> {
    if (!urn) return {};
    const school = await this.establishments.byUrn(urn);
    if (!school) return {};
    const inputs = (await this.families.schoolInputs([urn])).merged[0]?.values ?? {};
    const pct = (v: unknown) => (typeof v === 'number' ? `${v.toFixed(1)}%` : '');
    return Object.fromEntries(
      Object.entries({
        phase: school.phaseName ?? '',
        pupils: school.pupils != null ? String(school.pupils) : '',
        disadvantage: pct(inputs.PPPerc),
        eal: pct(inputs.PercentEAL),
        sen: pct(typeof inputs.SENTotal === 'number' ? inputs.SENTotal : null),
        region: school.regionName ?? '',
        localAuthority: school.laName ?? '',
      }).filter(([, v]) => v !== ''),
    );
  }

  private async load(id: string): Promise<CaseStudy> {
    const study = await this.studies.get(id);
    if (!study) throw new NotFoundError('There is no such case study.');
    return study;
  }

  /** A study the actor may read; anything else is "not found", so restricted studies are invisible, not merely locked. */
  async read(actor: Actor, id: string): Promise<CaseStudy> {
    const study = await this.load(id);
    if (!can(actor, 'case-study:read', resourceOf(study))) throw new NotFoundError('There is no such case study.');
    return study;
  }

  async create(actor: Actor, form: CaseStudyForm): Promise<string> {
    if (actor.kind !== 'user') throw new SignInRequiredError();
    if (form.onBehalfOfEmail) return this.draftFor(actor, form, form.onBehalfOfEmail);
    const organisationId = form.organisationId;
    if (!organisationId || !can(actor, 'case-study:create', { type: 'organisation', id: organisationId })) {
      throw new ForbiddenError('You can write case studies for organisations you belong to.');
    }
    const organisation = (await this.accounts.organisation(organisationId))!;
    const id = await this.studies.create({
      ...this.content(form, await this.contextFor(organisation.urn)),
      organisationId,
      authorId: actor.userId,
      urn: organisation.urn,
    });
    await this.studies.addEvent(id, 'created', actor.userId);
    return id;
  }

  /**
   * A facilitator drafts a study from a visit or a conversation on a leader's behalf: the leader is its author (for
   * their organisation, the one they act for first), it is marked "drafted with" the facilitator, and the leader is
   * emailed to edit and submit it. Only facilitators may; the facilitator cannot edit it afterwards.
   */
  private async draftFor(actor: Extract<Actor, { kind: 'user' }>, form: CaseStudyForm, email: string): Promise<string> {
    if (!actor.isFacilitator) throw new ForbiddenError('Only facilitators draft case studies on a leader’s behalf.');
    const leader = await this.accounts.userByEmail(email);
    const memberships = leader ? await this.accounts.membershipsOf(leader.id) : [];
    const organisation = memberships.find((m) => m.organisation.id === form.organisationId)?.organisation ?? memberships[0]?.organisation;
    if (!leader || !organisation) throw new FormError([{ field: 'onBehalfOfEmail', message: `${email} is not a member of an organisation on Trellis: invite them first` }]);
    const id = await this.studies.create({ ...this.content(form, await this.contextFor(organisation.urn)), organisationId: organisation.id, authorId: leader.id, urn: organisation.urn, draftedWith: actor.userId });
    await this.studies.addEvent(id, 'created', actor.userId, 'Drafted by a facilitator on the author’s behalf');
    await this.mailer.send({ to: leader.email, subject: `A case study draft for you to check: ${form.title}`, text: `A Trellis facilitator has drafted a case study from your conversation. You are its author: edit it and submit it when it says what you want: ${this.publicUrl}/practice/${id}/edit\n` });
    return id;
  }

  private content(form: CaseStudyForm, context: Record<string, string>): CaseStudyContent {
    return {
      title: form.title,
      summary: form.summary,
      context,
      contextNotes: form.contextNotes,
      challenge: form.challenge,
      approach: form.approach,
      impact: form.impact,
      impactMeasures: form.impactMeasures,
      applicability: form.applicability,
      partners: form.partners,
      themes: form.themes,
      phases: form.phases,
      contactPreference: form.contactPreference,
      visibility: form.visibility,
    };
  }

  /** Saves the author's changes; editing a published study makes a new version and keeps the old one. */
  async update(actor: Actor, id: string, form: CaseStudyForm): Promise<void> {
    const study = await this.read(actor, id);
    if (!can(actor, 'case-study:edit', resourceOf(study))) throw new ForbiddenError('Only the authors and their organisation’s admins can edit this case study.');
    const content = this.content(form, contextFromForm(form) ?? study.context);
    if (study.status === 'published') {
      const version = study.version + 1;
      await this.studies.update(id, content, version);
      await this.studies.saveVersion(id, version, content, actor.kind === 'user' ? actor.userId : null);
      await this.studies.addEvent(id, 'new-version', actor.kind === 'user' ? actor.userId : null, `Version ${version}`);
    } else {
      await this.studies.update(id, content, study.version);
    }
  }

  /**
   * Adds a co-author: a colleague in the study's organisation or in a partner organisation — one it has worked with
   * through an agreed support in Trellis. Co-authors can edit and submit, and receive learn-more requests.
   */
  async addCoAuthor(actor: Actor, id: string, email: string): Promise<void> {
    const study = await this.read(actor, id);
    if (!can(actor, 'case-study:edit', resourceOf(study))) throw new ForbiddenError();
    const person = await this.accounts.userByEmail(email);
    const organisations = [study.organisationId, ...(await this.brokerage.partnerOrganisations(study.organisationId))];
    const memberships = person ? await this.accounts.membershipsOf(person.id) : [];
    if (!person || !memberships.some((m) => organisations.includes(m.organisation.id))) {
      throw new FormError([
        { field: 'coAuthorEmail', message: `${email} is not a member of ${study.organisationName} or of an organisation it works with through Trellis: invite them to the organisation first` },
      ]);
    }
    await this.studies.addAuthor(id, person.id);
    await this.studies.addEvent(id, 'co-author-added', actor.kind === 'user' ? actor.userId : null, person.displayName);
  }

  async submit(actor: Actor, id: string): Promise<void> {
    const study = await this.read(actor, id);
    if (!can(actor, 'case-study:edit', resourceOf(study))) throw new ForbiddenError();
    if (study.status !== 'draft' && study.status !== 'returned') throw new ConflictError('Only a draft or a returned case study can be submitted.');
    await this.studies.setStatus(id, 'submitted');
    await this.studies.addEvent(id, 'submitted', actor.kind === 'user' ? actor.userId : null);
  }

  async returnToAuthor(actor: Actor, id: string, comment: string): Promise<void> {
    const study = await this.read(actor, id);
    if (!can(actor, 'case-study:moderate', resourceOf(study))) throw new ForbiddenError('Only a facilitator can return a submitted case study.');
    await this.studies.setStatus(id, 'returned');
    await this.studies.addEvent(id, 'returned', actor.kind === 'user' ? actor.userId : null, comment);
    const author = study.authorId ? await this.accounts.userById(study.authorId) : null;
    if (author && !author.deletedAt) {
      await this.mailer.send({
        to: author.email,
        subject: `Your case study “${study.title}” has comments`,
        text: `A facilitator has returned your case study with comments:\n\n${comment}\n\nRead them and revise: ${this.publicUrl}/practice/${id}`,
      });
    }
  }

  async publish(actor: Actor, id: string): Promise<void> {
    const study = await this.read(actor, id);
    if (!can(actor, 'case-study:moderate', resourceOf(study))) throw new ForbiddenError('Only a facilitator can publish a submitted case study.');
    await this.studies.setStatus(id, 'published');
    await this.studies.saveVersion(id, study.version, contentOf(study), study.authorId);
    await this.studies.addEvent(id, 'published', actor.kind === 'user' ? actor.userId : null);
  }

  async withdraw(actor: Actor, id: string): Promise<void> {
    const study = await this.read(actor, id);
    if (!can(actor, 'case-study:edit', resourceOf(study))) throw new ForbiddenError();
    await this.studies.setStatus(id, 'withdrawn');
    await this.studies.addEvent(id, 'withdrawn', actor.kind === 'user' ? actor.userId : null);
  }

  /** The figures a study's impact refers to, from the school's own data: never retyped. */
  async impactFigures(study: CaseStudy): Promise<ImpactFigure[]> {
    if (!study.urn || study.impactMeasures.length === 0) return [];
    const values = await this.measures.valuesFor([{ type: 'school', code: String(study.urn) }]);
    return study.impactMeasures.flatMap((code) => {
      const def = measureByCode(code);
      if (!def) return [];
      const rows = values.filter((v) => v.measure === code).sort((a, b) => a.year - b.year);
      return [{ code, label: def.label, source: def.source, years: rows.map((r) => ({ yearLabel: formatAcademicYear(r.year), display: r.value === null ? (r.status ?? 'Not published') : formatMeasureValue(def, r.value) })) }];
    });
  }

  async page(actor: Actor, id: string) {
    const study = await this.read(actor, id);
    const resource = resourceOf(study);
    const [events, related, impact, versions, saved, authors] = await Promise.all([
      can(actor, 'case-study:edit', resource) || actor.kind === 'user' && (actor.isFacilitator || actor.isPlatformAdmin) ? this.studies.events(id) : Promise.resolve([]),
      this.studies.related(id, study.themes, actor.kind === 'user'),
      this.impactFigures(study),
      this.studies.versions(id),
      actor.kind === 'user' ? this.studies.isSaved(actor.userId, id) : Promise.resolve(false),
      this.studies.authors(id),
    ]);
    return {
      study,
      events,
      related,
      impact,
      versions: versions.map((v) => ({ version: v.version, createdAt: v.createdAt, authorName: v.authorName })),
      saved,
      authors,
      canEdit: can(actor, 'case-study:edit', resource),
      canModerate: can(actor, 'case-study:moderate', resource),
      canLearnMore: can(actor, 'case-study:learn-more', resource) && study.contactPreference === 'introductions',
    };
  }

  /** What changed between two versions, field by field, as word-level additions and removals. */
  async diff(actor: Actor, id: string, from: number, to: number) {
    const study = await this.read(actor, id);
    const versions = await this.studies.versions(id);
    const a = versions.find((v) => v.version === from);
    const b = versions.find((v) => v.version === to);
    if (!a || !b) throw new NotFoundError('There is no such version.');
    const fields: [keyof CaseStudyContent, string][] = [
      ['title', 'Title'],
      ['summary', 'Summary'],
      ['contextNotes', 'Context'],
      ['challenge', 'The challenge'],
      ['approach', 'What we did'],
      ['impact', 'Evidence of impact'],
      ['applicability', 'What others could apply'],
      ['partners', 'Partners involved'],
    ];
    return {
      study,
      from,
      to,
      fields: fields
        .map(([key, label]) => ({ label, parts: diffWords(String(a.snapshot[key] ?? ''), String(b.snapshot[key] ?? '')) }))
        .filter((f) => f.parts.some((p) => p.added || p.removed)),
    };
  }

  async search(actor: Actor, query: PracticeQuery, readerUrn: number | null) {
    let likeUrns: number[] | null = null;
    if (query.order === 'like-mine' && readerUrn) {
      const model = (await this.families.modelsFor(readerUrn))[0];
      likeUrns = model ? [readerUrn, ...(await this.families.family(model, readerUrn)).map((r) => r.memberUrn)] : [readerUrn];
    }
    const result = await this.studies.search({
      query: query.q,
      themes: query.theme,
      phases: query.phase,
      regions: query.region,
      organisationKinds: query.kind,
      year: query.year ?? null,
      includeMembersOnly: actor.kind === 'user',
      likeUrns,
      order: query.order === 'like-mine' && !likeUrns ? 'relevance' : query.order,
      limit: PAGE_SIZE,
      offset: (query.page - 1) * PAGE_SIZE,
    });
    return { ...result, pageSize: PAGE_SIZE, likeMineAvailable: Boolean(readerUrn) };
  }

  async learnMore(actor: Actor, id: string, message: string, fromOrganisationId: string | null): Promise<void> {
    const study = await this.read(actor, id);
    if (actor.kind !== 'user') throw new SignInRequiredError();
    if (!can(actor, 'case-study:learn-more', resourceOf(study)) || study.contactPreference !== 'introductions') {
      throw new ForbiddenError('You cannot ask about this case study.');
    }
    await this.studies.addLearnMore({ caseStudyId: id, fromUserId: actor.userId, fromOrganisationId, message });
    const author = study.authorId ? await this.accounts.userById(study.authorId) : null;
    if (author && !author.deletedAt) {
      await this.mailer.send({
        to: author.email,
        subject: `Someone would like to learn more about “${study.title}”`,
        text: `Someone has asked to learn more about your case study. Read their message and reply through Trellis: ${this.publicUrl}/practice/requests`,
      });
    }
  }

  async requests(actor: Actor) {
    if (actor.kind !== 'user') throw new SignInRequiredError();
    return { received: await this.studies.learnMoreFor(actor.userId), sent: await this.studies.sentRequests(actor.userId) };
  }

  /** The author answers a request; the reader is told by email and sees the reply in Trellis. */
  async reply(actor: Actor, requestId: string, reply: string): Promise<void> {
    if (actor.kind !== 'user') throw new SignInRequiredError();
    const answered = await this.studies.reply(requestId, actor.userId, reply);
    if (!answered) throw new NotFoundError('There is no unanswered request of yours with that number.');
    const reader = await this.accounts.userById(answered.fromUserId);
    if (reader && !reader.deletedAt) {
      await this.mailer.send({ to: reader.email, subject: `A reply about “${answered.title}”`, text: `The author has replied to your request:\n\n${reply}\n\nSee it in Trellis: ${this.publicUrl}/practice/requests` });
    }
  }

  async workingOn(actor: Actor): Promise<{ mine: CaseStudySummary[]; awaitingReview: CaseStudySummary[] }> {
    if (actor.kind !== 'user') throw new SignInRequiredError();
    const adminOf = [...actor.memberships].filter(([, role]) => role === 'admin').map(([id]) => id);
    return {
      mine: await this.studies.workingOn(actor.userId, adminOf),
      awaitingReview: actor.isFacilitator ? await this.studies.awaitingReview() : [],
    };
  }

  async save(actor: Actor, id: string, saved: boolean): Promise<void> {
    await this.read(actor, id);
    if (actor.kind !== 'user') throw new SignInRequiredError();
    if (saved) await this.studies.save(actor.userId, id);
    else await this.studies.unsave(actor.userId, id);
  }

  async readingList(actor: Actor) {
    if (actor.kind !== 'user') throw new SignInRequiredError();
    return this.studies.readingList(actor.userId, true);
  }

  /** Published studies for the feed and exports: public ones for anonymous readers, members-only too when signed in. */
  async published(actor: Actor, limit: number) {
    return this.studies.search({ query: '', themes: [], phases: [], regions: [], organisationKinds: [], year: null, includeMembersOnly: actor.kind === 'user', likeUrns: null, order: 'newest', limit, offset: 0 });
  }

  /** Case studies by bright-spot schools on a theme: the data pack links to them. */
  publishedBySchools(urns: readonly number[], theme: string | null, actor: Actor) {
    return this.studies.publishedBySchools(urns, theme, actor.kind === 'user');
  }
}
