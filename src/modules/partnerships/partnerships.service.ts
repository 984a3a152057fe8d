import { can, type Actor, type Resource } from '../../domain/access/policy';
import { measureByCode, MEASURES } from '../../domain/measures/catalogue';
import { stageMove, type Stage } from '../../domain/partnerships/catalogue';
import { describeFlag, familyAdjustedImpact, rollUp, type Impact } from '../../domain/partnerships/impact';
import { defaultModelOf, PRESET_MODELS, type ModelId } from '../../domain/similarity/models';
import { formatAcademicYear } from '../../domain/schools/years';
import type { Database } from '../../db/client';
import { AccountRepository } from '../../db/repositories/account.repository';
import { FamilyRepository } from '../../db/repositories/family.repository';
import { MeasureRepository } from '../../db/repositories/measure.repository';
import { PartnershipRepository, type Member, type Partnership } from '../../db/repositories/partnership.repository';
import { ConflictError, ForbiddenError, FormError, NotFoundError, SignInRequiredError } from '../../web/errors';
import type { ActivityForm, AimForm, BenefitForm, MemberForm, PartnershipForm, StageForm } from './partnerships.schema';

export interface AimImpact {
  aimId: string;
  urn: number;
  schoolName: string;
  measure: string;
  measureLabel: string;
  direction: 'higher' | 'lower' | 'none';
  model: ModelId | null;
  familySize: number;
  baselineYear: number;
  recordedAfterwards: boolean;
  impact: Impact;
  flagTexts: string[];
}

const resourceOf = (p: Partnership, members: readonly Member[]): Resource => ({
  type: 'partnership',
  visibility: p.visibility,
  memberOrganisationIds: members.map((m) => m.organisationId),
  leadOrganisationIds: members.filter((m) => m.role === 'lead').map((m) => m.organisationId),
});

const today = () => new Date().toISOString().slice(0, 10);

/** Partnerships: from pilot to integration, with aims measured against each member school's family. */
export class PartnershipsService {
  readonly repo: PartnershipRepository;
  private readonly accounts: AccountRepository;
  private readonly families: FamilyRepository;
  private readonly measures: MeasureRepository;

  constructor(database: Database) {
    this.repo = new PartnershipRepository(database);
    this.accounts = new AccountRepository(database);
    this.families = new FamilyRepository(database);
    this.measures = new MeasureRepository(database);
  }

  async directory(actor: Actor, filter: { q?: string | undefined; type?: string | undefined; stage?: string | undefined; theme?: string | undefined; laCode?: string | undefined }) {
    const memberOf = actor.kind !== 'user' ? [] : actor.isFacilitator ? ('all' as const) : [...actor.memberships.keys()];
    return this.repo.directory({ ...filter, memberOf });
  }

  /** A partnership the actor may see, with its members; anything else is "not found". */
  async read(actor: Actor, id: string) {
    const partnership = await this.repo.get(id);
    if (!partnership) throw new NotFoundError('There is no such partnership.');
    const members = await this.repo.members(id);
    const resource = resourceOf(partnership, members);
    if (!can(actor, 'partnership:read', resource)) throw new NotFoundError('There is no such partnership.');
    return { partnership, members, canManage: can(actor, 'partnership:manage', resource), canContribute: can(actor, 'partnership:contribute', resource) };
  }

  private async require(actor: Actor, id: string, action: 'partnership:manage' | 'partnership:contribute') {
    if (actor.kind !== 'user') throw new SignInRequiredError();
    const view = await this.read(actor, id);
    if (!can(actor, action, resourceOf(view.partnership, view.members))) {
      throw new ForbiddenError(action === 'partnership:manage' ? 'Only the lead organisations and facilitators can change this partnership.' : 'Only members of the partnership’s organisations can record this.');
    }
    return view;
  }

  async create(actor: Actor, form: PartnershipForm, demonstration = false): Promise<string> {
    if (actor.kind !== 'user') throw new SignInRequiredError();
    if (!can(actor, 'partnership:create', { type: 'organisation', id: form.leadOrganisationId })) {
      throw new ForbiddenError('You can start partnerships led by organisations you belong to.');
    }
    if (form.startedOn > today()) throw new FormError([{ field: 'startedOn', message: 'The start date must be today or in the past' }]);
    return this.repo.create({ ...form, createdBy: actor.userId, demonstration });
  }

  async addMember(actor: Actor, id: string, form: MemberForm): Promise<void> {
    await this.require(actor, id, 'partnership:manage');
    let organisationId = form.organisationId;
    if (!organisationId) {
      // A partner not yet on Trellis: recorded as an organisation with no members, which it can claim later.
      const created = await this.accounts.createOrganisation({ kind: form.kind as never, name: form.name!, urn: null, trustUid: null, laCode: null, postcode: null, easting: null, northing: null, createdBy: (actor as { userId: string }).userId });
      organisationId = created.id;
    } else if (!(await this.accounts.organisation(organisationId))) {
      throw new FormError([{ field: 'organisationId', message: 'Choose an organisation from the list' }]);
    }
    if (!(await this.repo.addMember(id, organisationId, form.role))) throw new FormError([{ field: 'organisationId', message: 'That organisation is already a member' }]);
  }

  async moveStage(actor: Actor, id: string, form: StageForm): Promise<void> {
    const { partnership } = await this.require(actor, id, 'partnership:manage');
    const move = stageMove(partnership.stage as Stage, form.stage as Stage);
    if (move === 'same') throw new FormError([{ field: 'stage', message: `The partnership is already at the ${partnership.stage} stage` }]);
    if (!form.reason) {
      throw new FormError([{ field: 'reason', message: move === 'backward' ? `Say why the partnership is moving back to ${form.stage}` : 'Say why the partners decided to move on' }]);
    }
    if (form.decidedOn > today()) throw new FormError([{ field: 'decidedOn', message: 'The decision date must be today or in the past' }]);
    const moved = await this.repo.moveStage(id, { from: partnership.stage, to: form.stage, decidedOn: form.decidedOn, reason: form.reason, recordedBy: (actor as { userId: string }).userId });
    if (!moved) throw new ConflictError('Someone else moved the partnership at the same time: reload the page and try again.');
  }

  /**
   * Years with data for a school on a measure (its own or its predecessors'). The baseline is fixed when the aim is
   * set: the latest year with data, or — for a partnership that began before it was recorded here — the last year
   * before it began, marked as recorded afterwards.
   */
  async addAim(actor: Actor, id: string, form: AimForm): Promise<void> {
    const { partnership, members } = await this.require(actor, id, 'partnership:manage');
    const member = members.find((m) => m.urn === form.urn);
    if (!member) throw new FormError([{ field: 'urn', message: 'Choose a member school of this partnership' }]);
    const def = measureByCode(form.measure)!;
    const series = await this.series(form.urn, [form.measure]);
    const years = [...(series.get(form.measure) ?? new Map<number, number | null>())].filter(([, v]) => v !== null).map(([y]) => y).sort((a, b) => a - b);
    if (years.length === 0) throw new FormError([{ field: 'measure', message: `${member.name} has no data for ${def.label.toLowerCase()}: choose a measure from its data pack` }]);
    let baselineYear = years.at(-1)!;
    let recordedAfterwards = false;
    if (form.baseline === 'before-start') {
      const startYear = academicYearOf(partnership.startedOn);
      const before = years.filter((y) => y < startYear);
      if (before.length === 0) throw new FormError([{ field: 'baseline', message: `There is no ${def.label.toLowerCase()} for ${member.name} before the partnership began (${formatAcademicYear(startYear)})` }]);
      baselineYear = before.at(-1)!;
      recordedAfterwards = true;
    }
    await this.repo.addAim(id, { theme: form.theme, measure: form.measure, urn: form.urn, baselineYear, recordedAfterwards, description: form.aimDescription, createdBy: (actor as { userId: string }).userId });
  }

  async addActivity(actor: Actor, id: string, form: ActivityForm): Promise<void> {
    await this.require(actor, id, 'partnership:contribute');
    if (form.happenedOn > today()) throw new FormError([{ field: 'happenedOn', message: 'An activity must have happened: the date must be today or in the past' }]);
    const { activityKind, ...rest } = form;
    await this.repo.addActivity(id, { ...rest, kind: activityKind, createdBy: (actor as { userId: string }).userId });
  }

  async addBenefit(actor: Actor, id: string, form: BenefitForm): Promise<void> {
    const { members } = await this.require(actor, id, 'partnership:contribute');
    const organisationId = actor.kind === 'user' ? (members.find((m) => actor.memberships.has(m.organisationId))?.organisationId ?? null) : null;
    await this.repo.addBenefit(id, { kind: form.benefitKind, description: form.benefitDescription, evidence: form.benefitEvidence, organisationId, createdBy: (actor as { userId: string }).userId });
  }

  /** A school's values of the given measures by year, its predecessors' (GIAS links) filling the years it lacks. */
  private async series(urn: number, codes: readonly string[]): Promise<Map<string, Map<number, number | null>>> {
    const urns = [urn, ...(await this.repo.predecessors(urn))];
    const values = await this.measures.valuesFor(urns.map((u) => ({ type: 'school' as const, code: String(u) })));
    const out = new Map<string, Map<number, number | null>>();
    for (const u of urns) {
      for (const v of values) {
        if (v.entityCode !== String(u) || !codes.includes(v.measure)) continue;
        if (!out.has(v.measure)) out.set(v.measure, new Map());
        const series = out.get(v.measure)!;
        if (series.get(v.year) == null) series.set(v.year, v.value);
      }
    }
    return out;
  }

  /** Impact of every aim against the school's family, year by year, with flags and the partnership's roll-up. */
  async impact(actor: Actor, id: string, requestedModel?: ModelId) {
    const { partnership } = await this.read(actor, id);
    const aims = await this.repo.aims(id);
    const results: AimImpact[] = [];
    for (const aim of aims) {
      const def = measureByCode(aim.measure);
      if (!def) continue;
      const available = await this.families.modelsFor(aim.urn);
      const model = (requestedModel && available.includes(requestedModel) ? requestedModel : defaultModelOf(available)) ?? null;
      const family = model ? await this.families.family(model, aim.urn) : [];
      const predecessorUrns = await this.repo.predecessors(aim.urn);
      const urns = [aim.urn, ...predecessorUrns, ...family.map((f) => f.memberUrn)];
      const values = await this.measures.valuesFor(urns.map((u) => ({ type: 'school' as const, code: String(u) })));
      const byUrn = new Map<number, Map<number, number | null>>(urns.map((u) => [u, new Map()]));
      for (const v of values) if (v.measure === aim.measure) byUrn.get(Number(v.entityCode))?.set(v.year, v.value);
      const impact = familyAdjustedImpact({
        baselineYear: aim.baselineYear,
        school: byUrn.get(aim.urn)!,
        predecessors: predecessorUrns.map((u) => byUrn.get(u)!),
        family: family.map((f) => byUrn.get(f.memberUrn)!),
        direction: def.direction,
      });
      results.push({
        aimId: aim.id,
        urn: aim.urn,
        schoolName: aim.schoolName,
        measure: aim.measure,
        measureLabel: def.label,
        direction: def.direction,
        model,
        familySize: family.length,
        baselineYear: aim.baselineYear,
        recordedAfterwards: aim.recordedAfterwards,
        impact,
        flagTexts: impact.flags.map(describeFlag),
      });
    }
    const summary = rollUp(results.map((r) => ({ urn: r.urn, measure: r.measure, direction: r.direction, impact: r.impact })));
    return { partnership, model: requestedModel ?? null, aims: results, summary };
  }

  /** Everything the partnership page and the annual report show. */
  async page(actor: Actor, id: string, requestedModel?: ModelId) {
    const view = await this.read(actor, id);
    const [stages, activities, benefits, impact] = await Promise.all([this.repo.stages(id), this.repo.activities(id), this.repo.benefits(id), this.impact(actor, id, requestedModel)]);
    return { ...view, stages, activities, benefits, impact, models: Object.values(PRESET_MODELS), measures: MEASURES.filter((m) => m.direction !== 'none') };
  }
}

/** The academic year (start year) a date falls in: September to August. */
export function academicYearOf(isoDate: string): number {
  const [y, m] = isoDate.split('-').map(Number) as [number, number];
  return m >= 9 ? y : y - 1;
}
