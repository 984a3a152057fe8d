import { sql } from 'drizzle-orm';
import { can, type Actor, type Resource } from '../../domain/access/policy';
import { designationLabel, INTRODUCTION_WAIT_DAYS, REVIEW_INTERVAL_DAYS } from '../../domain/brokerage/catalogue';
import { MEASURE_BETTER, MEASURE_BRIGHT_SPOT, MEASURE_NONE, phaseFit, rankNeeds, scorePair, similarityScore, type Match, type NeedFacts, type OfferFacts, type PairEvidence } from '../../domain/brokerage/matching';
import { needColumns, offerColumns, passingGates, rankColumns, type OfferColumns } from '../../domain/brokerage/ranking';
import { formatMeasureValue, MEASURES, measureByCode } from '../../domain/measures/catalogue';
import { practicePhaseFromGias, themeLabel } from '../../domain/practice/themes';
import { formatAcademicYear } from '../../domain/schools/years';
import { explainSimilarity } from '../../domain/similarity/explain';
import type { SchoolInputs } from '../../domain/similarity/families';
import { defaultModelOf, INPUTS, MODEL_IDS, PRESET_MODELS, type ModelId, type PresetModel } from '../../domain/similarity/models';
import { brightSpots } from '../../domain/statistics/data-pack';
import type { Database } from '../../db/client';
import { AccountRepository } from '../../db/repositories/account.repository';
import { BrokerageRepository, type Contact, type Introduction, type ListFilter, type Need, type NeedForMatching, type Offer, type OfferCandidate, type Support, type Viewer } from '../../db/repositories/brokerage.repository';
import { CaseStudyRepository } from '../../db/repositories/case-study.repository';
import { EstablishmentRepository } from '../../db/repositories/establishment.repository';
import { FamilyRepository } from '../../db/repositories/family.repository';
import { ImportRunRepository } from '../../db/repositories/import-run.repository';
import { MeasureRepository } from '../../db/repositories/measure.repository';
import { ConflictError, ForbiddenError, FormError, NotFoundError, SignInRequiredError } from '../../web/errors';
import type { Mailer } from '../accounts/mailer';
import type { AcceptForm, CloseForm, DeclineForm, IntroductionForm, NeedForm, OfferForm, ReviewForm } from './brokerage.schema';

export const needResource = (n: Need): Resource => ({ type: 'need', organisationId: n.organisationId, visibility: n.visibility, visibleTo: n.visibleTo, status: n.status });
export const offerResource = (o: Pick<Offer, 'organisationId' | 'visibility' | 'status'>): Resource => ({ type: 'offer', organisationId: o.organisationId, visibility: o.visibility, status: o.status });
const introductionResource = (i: Introduction): Resource => ({
  type: 'introduction',
  needOrganisationId: i.needOrganisationId,
  offerOrganisationId: i.offerOrganisationId,
  responderOrganisationId: i.requestedBy === 'need' ? i.offerOrganisationId : i.requestedBy === 'offer' ? i.needOrganisationId : i.offerOrganisationId,
  status: i.status,
});
const supportResource = (s: Support): Resource => ({ type: 'support', needOrganisationId: s.needOrganisationId, offerOrganisationId: s.offerOrganisationId, responderOrganisationId: null, status: s.status });

export interface MatchView {
  match: Match;
  offer?: OfferCandidate;
  need?: Need;
}

export interface MatchList {
  model: { id: ModelId; label: string } | null;
  modelNote: string | null;
  matches: MatchView[];
}

export interface CouldHelp {
  urn: number;
  name: string;
  measure: string;
  display: string;
  by: string;
}

type InputsByDataset = Record<'dfe-primary' | 'dfe-secondary' | 'merged', Map<number, SchoolInputs>>;
type LatestValues = Map<string, Map<number, { year: number; value: number | null }>>;

/**
 * The open offers, kept until an offer or the data change: the rows, grouped by theme (as indices), as columns for
 * the ranker, and what each offering school brings to a need (similar-school inputs per model, measure values per
 * measure, phase fit per phase), worked out once per version on first use rather than per request.
 */
interface OfferTable {
  offers: OfferCandidate[];
  columns: OfferColumns;
  /** Offer indices by theme (an offer listing a theme twice is in its group twice, as it always was). */
  byTheme: Map<string, Int32Array>;
  resources: Resource[];
  /** The offering school's URN, NaN when it has none; `school`: 1 when it is a school with a URN. */
  urn: Float64Array;
  school: Uint8Array;
  /** Per model: inputs in the model's order (row-major) and 1 where every input is a number. */
  inputs: Map<ModelId, Promise<{ values: Float64Array; complete: Uint8Array }>>;
  /** Per measure: the offering school's latest value and year (`has`: 1 when it has a non-null value). */
  measures: Map<string, { value: Float64Array; year: Float64Array; has: Uint8Array }>;
  /** Per need phase: the phase part. */
  phaseFit: Map<string, Float64Array>;
}

/** What does not depend on the offer when judging a need's pairs (see `needContext`). */
interface NeedContext {
  need: Need;
  needUrn: number | null;
  familyEdge: number;
  latest: LatestValues;
  brightSpotsByMeasure: Map<string, { urn: number; value: number; by: number }[]>;
  model: PresetModel | null;
  source: Map<number, SchoolInputs> | null;
  scales: readonly number[] | null;
  needInputs: SchoolInputs | undefined;
  needValues: (number | null | undefined)[];
  counts: Map<string, number>;
}

const userId = (actor: Actor) => (actor.kind === 'user' ? actor.userId : null);

/** Brokered support: needs, offers, matching, introductions, agreed supports and reviews. Every method checks the policy. */
export class BrokerageService {
  readonly repo: BrokerageRepository;
  private readonly accounts: AccountRepository;
  private readonly families: FamilyRepository;
  private readonly measures: MeasureRepository;
  private readonly importRuns: ImportRunRepository;
  private readonly studies: CaseStudyRepository;
  private readonly establishments: EstablishmentRepository;
  private inputsCache: { version: number; data: Promise<InputsByDataset> } | null = null;
  /** Each school's latest value of a measure, by measure code, kept until the data change. */
  /** Open offers by theme, kept until an offer or the data change. */
  private offerCache: { version: string; table: Promise<OfferTable> } | null = null;
  private measureCache: { version: number; byMeasure: Map<string, Promise<Map<number, { year: number; value: number | null }>>> } | null = null;

  constructor(
    private readonly database: Database,
    private readonly mailer: Mailer,
    private readonly publicUrl: string,
    private readonly onMailError: (error: unknown) => void = () => undefined,
  ) {
    this.repo = new BrokerageRepository(database);
    this.accounts = new AccountRepository(database);
    this.families = new FamilyRepository(database);
    this.measures = new MeasureRepository(database);
    this.importRuns = new ImportRunRepository(database);
    this.studies = new CaseStudyRepository(database);
    this.establishments = new EstablishmentRepository(database);
  }

  viewer(actor: Actor): Viewer {
    if (actor.kind !== 'user') return { signedIn: false, isFacilitator: false, organisationIds: [] };
    return { signedIn: true, isFacilitator: actor.isFacilitator, organisationIds: [...actor.memberships.keys()] };
  }

  /** The data version, read at most once a second (as the page cache does): every cache below is keyed by it. */
  private dataVersionRead: { at: number; value: Promise<number> } | null = null;
  private dataVersion(): Promise<number> {
    const now = Date.now();
    if (!this.dataVersionRead || now - this.dataVersionRead.at > 1000) this.dataVersionRead = { at: now, value: this.importRuns.dataVersion() };
    return this.dataVersionRead.value;
  }

  /** Every school's similar-school inputs by dataset, kept until the data change. */
  private async inputs(): Promise<InputsByDataset> {
    const version = await this.dataVersion();
    if (!this.inputsCache || this.inputsCache.version !== version) {
      const data = this.families.schoolInputs().then((d) => ({
        'dfe-primary': new Map(d['dfe-primary'].map((s) => [s.urn, s])),
        'dfe-secondary': new Map(d['dfe-secondary'].map((s) => [s.urn, s])),
        merged: new Map(d.merged.map((s) => [s.urn, s])),
      }));
      this.inputsCache = { version, data };
      data.catch(() => (this.inputsCache = null));
    }
    return this.inputsCache.data;
  }

  /**
   * Open offers (see `OfferTable`), from memory: read again only when an offer changes (one cheap query per call), so
   * ranking thousands of offers does not read thousands of rows.
   */
  private async offerTable(offersVersion?: string): Promise<OfferTable> {
    const version = `${offersVersion ?? (await this.repo.offersVersion())}|${await this.dataVersion()}`;
    if (!this.offerCache || this.offerCache.version !== version) {
      const table = this.repo.openOfferCandidates().then((offers) => {
        const groups = new Map<string, number[]>();
        offers.forEach((o, i) => {
          // An offer is ranked once for a theme, however often its row lists it.
          for (const t of new Set(o.themes)) (groups.get(t) ?? groups.set(t, []).get(t)!).push(i);
        });
        return {
          offers,
          columns: offerColumns(offers.map((o) => ({ ...this.offerFacts(o), designated: o.designations.length > 0 }))),
          byTheme: new Map([...groups].map(([t, list]) => [t, Int32Array.from(list)])),
          resources: offers.map(offerResource),
          urn: Float64Array.from(offers, (o) => (o.urn ? o.urn : Number.NaN)),
          school: Uint8Array.from(offers, (o) => (o.organisationKind === 'school' && o.urn ? 1 : 0)),
          inputs: new Map(),
          measures: new Map(),
          phaseFit: new Map(),
        } satisfies OfferTable;
      });
      this.offerCache = { version, table };
      table.catch(() => (this.offerCache = null));
    }
    return this.offerCache.table;
  }

  /** Each offering school's inputs under a model, in the model's order, and whether all are numbers. */
  private tableInputs(table: OfferTable, model: PresetModel, source: Map<number, SchoolInputs>): Promise<{ values: Float64Array; complete: Uint8Array }> {
    let found = table.inputs.get(model.id);
    if (!found) {
      const m = model.inputs.length;
      const values = new Float64Array(table.offers.length * m);
      const complete = new Uint8Array(table.offers.length);
      table.offers.forEach((o, i) => {
        const other = table.school[i] ? source.get(o.urn!) : undefined;
        if (!other) return;
        let ok = 1;
        for (let j = 0; j < m; j++) {
          const b = other.values[model.inputs[j]!];
          if (typeof b !== 'number') ok = 0;
          else values[i * m + j] = b;
        }
        complete[i] = ok;
      });
      found = Promise.resolve({ values, complete });
      table.inputs.set(model.id, found);
    }
    return found;
  }

  /** Each offering organisation's latest value of a measure (by its URN, as the pair evidence reads it). */
  private tableMeasure(table: OfferTable, code: string, values: Map<number, { year: number; value: number | null }> | undefined) {
    let found = table.measures.get(code);
    if (!found) {
      const n = table.offers.length;
      found = { value: new Float64Array(n), year: new Float64Array(n), has: new Uint8Array(n) };
      for (let i = 0; i < n; i++) {
        const urn = table.offers[i]!.urn;
        const theirs = urn ? values?.get(urn) : undefined;
        if (!theirs || theirs.value === null) continue;
        found.value[i] = theirs.value;
        found.year[i] = theirs.year;
        found.has[i] = 1;
      }
      table.measures.set(code, found);
    }
    return found;
  }

  private tablePhaseFit(table: OfferTable, phase: string): Float64Array {
    let found = table.phaseFit.get(phase);
    if (!found) {
      found = Float64Array.from(table.offers, (o) => phaseFit(phase, o.phases));
      table.phaseFit.set(phase, found);
    }
    return found;
  }

  /** Every school's latest value of each measure (one query per measure, then memory). */
  private async latestValues(codes: readonly string[]): Promise<LatestValues> {
    const version = await this.dataVersion();
    if (!this.measureCache || this.measureCache.version !== version) this.measureCache = { version, byMeasure: new Map() };
    const cache = this.measureCache.byMeasure;
    const out = new Map<string, Map<number, { year: number; value: number | null }>>();
    for (const code of codes) {
      let values = cache.get(code);
      if (!values) {
        values = this.database
          .rows<{ urn: string; year: number; value: number | null }>(sql`
            select distinct on (entity_code) entity_code as urn, year::int as year, value from measure_values
            where entity_type = 'school' and measure = ${code} order by entity_code, year desc`)
          .then((rows) => new Map(rows.map((r) => [Number(r.urn), { year: r.year, value: r.value }])));
        values.catch(() => cache.delete(code));
        cache.set(code, values);
      }
      out.set(code, await values);
    }
    return out;
  }

  // Needs and offers

  /** A school's phase as needs and offers name it, from GIAS. */
  async phaseOf(urn: number): Promise<string | undefined> {
    return practicePhaseFromGias((await this.establishments.byUrn(urn))?.phaseName) ?? undefined;
  }

  /** The measures a school has data for, latest year first: what a need can concern. */
  async measuresWithData(urn: number | null): Promise<{ code: string; label: string; display: string; yearLabel: string }[]> {
    if (!urn) return [];
    const values = await this.measures.latestForSchools([urn], MEASURES.filter((m) => m.direction !== 'none').map((m) => m.code));
    return values
      .filter((v) => v.value !== null)
      .map((v) => {
        const def = measureByCode(v.measure)!;
        return { code: v.measure, label: def.label, display: formatMeasureValue(def, v.value!), yearLabel: formatAcademicYear(v.year) };
      })
      .sort((a, b) => a.label.localeCompare(b.label));
  }

  private async postingOrganisation(actor: Actor, organisationId: string | undefined) {
    if (actor.kind !== 'user') throw new SignInRequiredError();
    if (!organisationId || !can(actor, 'brokerage:post', { type: 'organisation', id: organisationId })) {
      throw new ForbiddenError('You can post needs and offers for organisations you belong to.');
    }
    return (await this.accounts.organisation(organisationId))!;
  }

  async createNeed(actor: Actor, form: NeedForm, demonstration = false): Promise<string> {
    const organisation = await this.postingOrganisation(actor, form.organisationId);
    await this.checkNeedForm(organisation, form);
    return this.repo.createNeed({
      organisationId: organisation.id,
      createdBy: userId(actor),
      title: form.title,
      description: form.description,
      theme: form.theme,
      measures: form.measures,
      phase: form.phase,
      kinds: form.kinds,
      timeFrame: form.timeFrame,
      urgency: form.urgency,
      visibility: form.visibility,
      visibleTo: form.visibility === 'named' ? form.visibleTo : [],
      demonstration,
    });
  }

  /** The measures must be ones the school has data for; named organisations must exist. */
  private async checkNeedForm(organisation: { name: string; urn: number | null }, form: NeedForm): Promise<void> {
    const withData = new Set((await this.measuresWithData(organisation.urn)).map((m) => m.code));
    const missing = form.measures.filter((m) => !withData.has(m));
    if (missing.length) {
      throw new FormError([
        {
          field: 'measures',
          message: organisation.urn
            ? `${organisation.name} has no data for ${missing.map((m) => measureByCode(m)?.label.toLowerCase() ?? m).join(', ')}: choose measures from its data pack`
            : `${organisation.name} is not a school with data in Trellis: leave the measures empty`,
        },
      ]);
    }
    if (form.visibility === 'named') {
      for (const id of form.visibleTo) {
        if (!(await this.accounts.organisation(id))) throw new FormError([{ field: 'visibleTo', message: 'One of the named organisations does not exist' }]);
      }
    }
  }

  async updateNeed(actor: Actor, id: string, form: NeedForm): Promise<void> {
    const need = await this.readNeed(actor, id);
    if (!can(actor, 'need:manage', needResource(need))) throw new ForbiddenError('Only members of the organisation that posted this need can change it.');
    await this.checkNeedForm({ name: need.organisationName, urn: need.organisationKind === 'school' ? need.urn : null }, form);
    await this.repo.updateNeed(id, { ...form, visibleTo: form.visibility === 'named' ? form.visibleTo : [] });
  }

  async updateOffer(actor: Actor, id: string, form: OfferForm): Promise<void> {
    const offer = await this.readOffer(actor, id);
    if (!can(actor, 'offer:manage', offerResource(offer))) throw new ForbiddenError('Only members of the organisation that posted this offer can change it.');
    const saved = await this.repo.updateOffer(id, { ...form, radiusKm: form.mode === 'remote' ? null : form.radiusKm });
    if (!saved) {
      const current = (await this.repo.offer(id))!;
      throw new FormError([{ field: 'capacity', message: `${current.placesTaken} ${current.placesTaken === 1 ? "place is" : "places are"} taken by agreed supports: the number of places cannot be below that` }]);
    }
  }

  async createOffer(actor: Actor, form: OfferForm, demonstration = false): Promise<string> {
    const organisation = await this.postingOrganisation(actor, form.organisationId);
    return this.repo.createOffer({
      organisationId: organisation.id,
      createdBy: userId(actor),
      title: form.title,
      description: form.description,
      themes: form.themes,
      kinds: form.kinds,
      phases: form.phases,
      capacity: form.capacity,
      mode: form.mode,
      radiusKm: form.mode === 'remote' ? null : form.radiusKm,
      cost: form.cost,
      visibility: form.visibility,
      demonstration,
    });
  }

  /** A need the actor may see; anything else is "not found", so hidden needs are invisible, not merely locked. */
  async readNeed(actor: Actor, id: string): Promise<Need> {
    const need = await this.repo.need(id);
    if (!need || !can(actor, 'need:read', needResource(need))) throw new NotFoundError('There is no such need.');
    return need;
  }

  async readOffer(actor: Actor, id: string): Promise<Offer> {
    const offer = await this.repo.offer(id);
    if (!offer || !can(actor, 'offer:read', offerResource(offer))) throw new NotFoundError('There is no such offer.');
    return offer;
  }

  async closeNeed(actor: Actor, id: string): Promise<void> {
    const need = await this.readNeed(actor, id);
    if (!can(actor, 'need:manage', needResource(need))) throw new ForbiddenError('Only members of the organisation that posted this need can close it.');
    await this.repo.setNeedStatus(id, 'closed');
  }

  async closeOffer(actor: Actor, id: string): Promise<void> {
    const offer = await this.readOffer(actor, id);
    if (!can(actor, 'offer:manage', offerResource(offer))) throw new ForbiddenError('Only members of the organisation that posted this offer can close it.');
    await this.repo.setOfferStatus(id, 'closed');
  }

  async needs(actor: Actor, filter: ListFilter = {}): Promise<Need[]> {
    return this.repo.needs(this.viewer(actor), filter);
  }

  async offers(actor: Actor, filter: ListFilter = {}): Promise<Offer[]> {
    return this.repo.offers(this.viewer(actor), filter);
  }

  canManageNeed = (actor: Actor, n: Need) => can(actor, 'need:manage', needResource(n));
  canManageOffer = (actor: Actor, o: Offer) => can(actor, 'offer:manage', offerResource(o));
  canSeeNeedMatches = (actor: Actor, n: Need) => can(actor, 'need:matches', needResource(n));
  canSeeOfferMatches = (actor: Actor, o: Offer) => can(actor, 'offer:matches', offerResource(o));

  // Matching

  private needFacts(n: Need): NeedFacts {
    return { id: n.id, organisationId: n.organisationId, organisationName: n.organisationName, theme: n.theme, kinds: n.kinds, phase: n.phase, location: n.easting != null && n.northing != null ? { easting: n.easting, northing: n.northing } : null };
  }

  private offerFacts(o: OfferCandidate): OfferFacts {
    return {
      id: o.id,
      organisationId: o.organisationId,
      organisationName: o.organisationName,
      themes: o.themes,
      kinds: o.kinds,
      phases: o.phases,
      placesLeft: o.placesLeft,
      mode: o.mode,
      radiusKm: o.radiusKm,
      location: o.easting != null && o.northing != null ? { easting: o.easting, northing: o.northing } : null,
    };
  }

  /** The model a need's school is compared under: the one asked for if the school has a family under it, else its default. */
  private async modelFor(urn: number | null, requested?: ModelId, availableModels?: readonly string[]): Promise<ModelId | null> {
    if (!urn) return null;
    const available = availableModels ?? (await this.families.modelsFor(urn));
    if (requested && available.includes(requested)) return requested;
    return defaultModelOf(available);
  }

  /** What judging a need's pairs needs that does not depend on the offer: its family, the measures' values, its inputs. */
  private async needContext(need: Need, modelId: ModelId | null, withCounts: boolean, read?: NeedForMatching): Promise<NeedContext> {
    const needUrn = need.organisationKind === 'school' ? need.urn : null;
    const family = modelId && needUrn ? (read ? (read.families.get(modelId)?.members ?? []) : await this.families.members(modelId, needUrn)) : [];
    const familyEdge = family.length ? Math.max(...family.map((f) => f.distance)) : 0;
    const memberUrns = family.map((f) => f.memberUrn);
    const latest: LatestValues = needUrn && need.measures.length ? await this.latestValues(need.measures) : new Map();
    const valueOf = (urn: number, code: string) => latest.get(code)?.get(urn);
    const brightSpotsByMeasure = new Map<string, { urn: number; value: number; by: number }[]>();
    for (const code of need.measures) {
      const def = measureByCode(code);
      const own = needUrn ? valueOf(needUrn, code) : undefined;
      if (!def || !own || own.value === null) continue;
      const members = memberUrns.map((urn) => {
        const v = valueOf(urn, code);
        return { urn, value: v && v.year === own.year ? v.value : null };
      });
      brightSpotsByMeasure.set(code, brightSpots(own.value, members, { direction: def.direction, meaningfulDifference: def.meaningfulDifference ?? Infinity }));
    }
    const model = modelId ? PRESET_MODELS[modelId] : null;
    const inputs = model ? await this.inputs() : null;
    const source = model && inputs ? (model.dataset === 'fbit' ? inputs.merged : inputs[model.dataset]) : null;
    let scales: readonly number[] | null = model?.publishedScales ?? null;
    if (model && !scales) {
      const stored = read ? read.families.get(model.id)?.scales : (await this.families.build(model.id))?.scales;
      const byGroup = stored ? (JSON.parse(stored) as Record<string, number[]>) : {};
      const phase = source?.get(needUrn ?? -1)?.phase ?? 'Not recorded';
      scales = byGroup[phase] ?? null;
    }
    const needInputs = needUrn ? source?.get(needUrn) : undefined;
    const needValues = model && needInputs ? model.inputs.map((name) => needInputs.values[name]) : [];
    const counts = !withCounts ? new Map<string, number>() : read ? read.caseStudyCounts : await this.repo.caseStudyCounts(need.theme);
    return { need, needUrn, familyEdge, latest, brightSpotsByMeasure, model, source, scales, needInputs, needValues, counts };
  }

  /** The facts about one (need, offer) pair that the matcher judges, and the similarity sentence (made when asked). */
  private pairEvidence(ctx: NeedContext, o: OfferCandidate): { evidence: PairEvidence; sentence?: () => string } {
    const { need, needUrn, model, scales, needInputs, familyEdge, needValues } = ctx;
    const valueOf = (urn: number, code: string) => ctx.latest.get(code)?.get(urn);
    let similarity: PairEvidence['similarity'] = null;
    let similarityAbsent: string | undefined;
    let sentence: (() => string) | undefined;
    if (!needUrn) similarityAbsent = `${need.organisationName} is not a school`;
    else if (o.organisationKind !== 'school' || !o.urn) similarityAbsent = `${o.organisationName} is not a school`;
    else if (!model || !scales || !needInputs || !familyEdge) similarityAbsent = `${need.organisationName} has no family under a similar-schools model`;
    else {
      const other = ctx.source!.get(o.urn);
      let total = other ? 0 : Number.NaN;
      for (let j = 0; other && j < model.inputs.length; j++) {
        const a = needValues[j];
        const b = other.values[model.inputs[j]!];
        if (typeof a !== 'number' || typeof b !== 'number') {
          total = Number.NaN;
          break;
        }
        const s = scales[j]!;
        if (s > 0) total += model.weights[j]! * ((a - b) / s) ** 2;
      }
      if (Number.isNaN(total)) {
        similarityAbsent = `${o.organisationName} is not in the ${model.shortLabel} model's population`;
      } else {
        sentence = () => {
          const terms = model.inputs.map((name, j) => (scales[j]! > 0 ? model.weights[j]! * (((needValues[j] as number) - (other!.values[name] as number)) / scales[j]!) ** 2 : 0));
          return explainSimilarity(model.inputs.map((name, j) => ({ input: INPUTS[name]!, school: needValues[j] as number, member: other!.values[name] as number, scale: scales[j]!, share: total > 0 ? terms[j]! / total : 0 })));
        };
        similarity = { distance: Math.sqrt(total), familyEdge, sentence: '' };
      }
    }
    let measure: PairEvidence['measure'] = null;
    for (const code of need.measures) {
      const def = measureByCode(code);
      const own = needUrn ? valueOf(needUrn, code) : undefined;
      const theirs = o.urn ? valueOf(o.urn, code) : undefined;
      if (!def || !own || !theirs || own.value === null || theirs.value === null || own.year !== theirs.year || def.direction === 'none') continue;
      const better = def.direction === 'higher' ? theirs.value - own.value : own.value - theirs.value;
      measure = {
        label: def.shortLabel,
        better,
        unitWord: def.unit === 'percent' || def.unit === 'score' ? 'points' : '',
        offerDisplay: formatMeasureValue(def, theirs.value),
        needDisplay: formatMeasureValue(def, own.value),
        yearLabel: formatAcademicYear(own.year),
        meaningfulDifference: def.meaningfulDifference ?? Infinity,
        brightSpot: (ctx.brightSpotsByMeasure.get(code) ?? []).some((b) => b.urn === o.urn),
      };
      break;
    }
    const evidence: PairEvidence = {
      similarity,
      ...(similarityAbsent ? { similarityAbsent } : {}),
      measure,
      caseStudiesOnTheme: ctx.counts.get(o.organisationId) ?? 0,
      themeLabel: themeLabel(need.theme),
      designations: o.designations.map(designationLabel),
    };
    return sentence ? { evidence, sentence } : { evidence };
  }

  /** The pair's evidence with the similarity sentence in words: for the matches shown. */
  private wordedEvidence(ctx: NeedContext, o: OfferCandidate): PairEvidence {
    const { evidence, sentence } = this.pairEvidence(ctx, o);
    return sentence && evidence.similarity ? { ...evidence, similarity: { ...evidence.similarity, sentence: sentence() } } : evidence;
  }

  /**
   * Ranks the open offers on a need's theme that it may be shown, by columns (see ranking.ts): the same evidence as
   * `pairEvidence` reduced to numbers, computed in plain loops over the offer table. Returns the offer indices, best first.
   */
  private async rankTable(actor: Actor, ctx: NeedContext, table: OfferTable): Promise<Int32Array> {
    const { need, needUrn, model, scales, needInputs, familyEdge, needValues } = ctx;
    const facts = this.needFacts(need);
    const needCols = needColumns(table.columns, facts);
    const gated = passingGates(needCols, table.columns, table.byTheme.get(need.theme) ?? new Int32Array(0));
    let count = 0;
    for (let c = 0; c < gated.length; c++) if (can(actor, 'offer:read', table.resources[gated[c]!]!)) gated[count++] = gated[c]!;
    const passing = gated.subarray(0, count);
    const n = passing.length;
    const columns = { similarity: new Float64Array(n).fill(Number.NaN), measure: new Uint8Array(n), caseStudies: new Uint8Array(n), phase: new Float64Array(n) };

    // Similarity: present only when both are schools, the need's school has a family, and every input is a number.
    if (needUrn && model && scales && needInputs && familyEdge && needValues.every((v) => typeof v === 'number')) {
      const m = model.inputs.length;
      const { values, complete } = await this.tableInputs(table, model, ctx.source!);
      for (let c = 0; c < n; c++) {
        const i = passing[c]!;
        if (!complete[i]) continue;
        let total = 0;
        for (let j = 0; j < m; j++) {
          const s = scales[j]!;
          if (s > 0) total += model.weights[j]! * (((needValues[j] as number) - values[i * m + j]!) / s) ** 2;
        }
        columns.similarity[c] = similarityScore(Math.sqrt(total), familyEdge);
      }
    }

    // Evidence on the need's first measure that both schools have for the same year.
    const measures = [];
    for (const code of need.measures) {
      const def = measureByCode(code);
      const own = needUrn ? ctx.latest.get(code)?.get(needUrn) : undefined;
      if (!def || !own || own.value === null || def.direction === 'none') continue;
      measures.push({
        theirs: this.tableMeasure(table, code, ctx.latest.get(code)),
        own: own.value,
        year: own.year,
        higher: def.direction === 'higher',
        meaningfulDifference: def.meaningfulDifference ?? Infinity,
        brightSpots: new Set((ctx.brightSpotsByMeasure.get(code) ?? []).map((b) => b.urn)),
      });
    }
    if (measures.length) {
      for (let c = 0; c < n; c++) {
        const i = passing[c]!;
        for (const m of measures) {
          if (!m.theirs.has[i] || m.theirs.year[i] !== m.year) continue;
          const better = m.higher ? m.theirs.value[i]! - m.own : m.own - m.theirs.value[i]!;
          columns.measure[c] = m.brightSpots.has(table.urn[i]!) ? MEASURE_BRIGHT_SPOT : better > m.meaningfulDifference ? MEASURE_BETTER : MEASURE_NONE;
          break;
        }
      }
    }

    const withStudies = new Uint8Array(table.columns.organisationIndex.size);
    for (const [organisationId, studies] of ctx.counts) {
      const k = table.columns.organisationIndex.get(organisationId);
      if (k !== undefined && studies > 0) withStudies[k] = 1;
    }
    const phase = this.tablePhaseFit(table, need.phase);
    for (let c = 0; c < n; c++) {
      const i = passing[c]!;
      columns.caseStudies[c] = withStudies[table.columns.organisation[i]!]!;
      columns.phase[c] = phase[i]!;
    }

    const { order } = rankColumns(needCols, table.columns, passing, columns);
    return Int32Array.from(order, (c) => passing[c]!);
  }

  /** The facts about each (need, offer) pair that the matcher judges: similarity, the measure, case studies, designations. */
  private async evidence(
    need: Need,
    offers: readonly OfferCandidate[],
    modelId: ModelId | null,
  ): Promise<{ pairs: Map<string, PairEvidence>; brightSpotsByMeasure: Map<string, { urn: number; value: number; by: number }[]>; sentences: Map<string, () => string> }> {
    const ctx = await this.needContext(need, modelId, offers.length > 0);
    const pairs = new Map<string, PairEvidence>();
    const sentences = new Map<string, () => string>();
    for (const o of offers) {
      const { evidence, sentence } = this.pairEvidence(ctx, o);
      pairs.set(o.id, evidence);
      if (sentence) sentences.set(o.id, sentence);
    }
    return { pairs, brightSpotsByMeasure: ctx.brightSpotsByMeasure, sentences };
  }

  /** Offers for a need, ranked, with reasons. The need's organisation and facilitators see this. */
  async matchesForNeed(actor: Actor, id: string, requestedModel?: ModelId, limit = MATCH_LIMIT): Promise<MatchList & { need: Need; total: number }> {
    // One round trip: the need, the versions of what is kept in memory, case-study counts and its school's families.
    const read = await this.repo.needForMatching(id);
    if (!read || !can(actor, 'need:read', needResource(read.need))) throw new NotFoundError('There is no such need.');
    const need = read.need;
    if (!can(actor, 'need:matches', needResource(need))) throw new ForbiddenError('Only the organisation that posted this need, and facilitators, see its matches.');
    this.dataVersionRead = { at: Date.now(), value: Promise.resolve(read.dataVersion) };
    const facts = this.needFacts(need);
    const table = await this.offerTable(read.offersVersion);
    const modelId = await this.modelFor(need.organisationKind === 'school' ? need.urn : null, requestedModel, [...read.families.keys()]);
    const ctx = await this.needContext(need, modelId, true, read);
    // Every offer that fits is ranked by numbers; only the matches shown are built as objects, with their words.
    const ranked = await this.rankTable(actor, ctx, table);
    const shown = [...ranked.subarray(0, Math.min(limit, ranked.length))].map((i) => table.offers[i]!);
    const matches = shown.map((o) => scorePair(facts, this.offerFacts(o), this.wordedEvidence(ctx, o), 'need')!);
    return {
      need,
      model: modelId ? { id: modelId, label: PRESET_MODELS[modelId].label } : null,
      modelNote: modelId ? null : `${need.organisationName} has no family under a similar-schools model, so no match has a similarity part.`,
      matches: matches.map((m, k) => ({ match: m, offer: shown[k]! })),
      total: ranked.length,
    };
  }

  /** Needs for an offer, ranked, with reasons: only needs the actor may see. */
  async matchesForOffer(actor: Actor, id: string): Promise<MatchList & { offer: Offer }> {
    const offer = await this.readOffer(actor, id);
    if (!can(actor, 'offer:matches', offerResource(offer))) throw new ForbiddenError('Only the organisation that posted this offer, and facilitators, see its matches.');
    const needs = await this.repo.openNeedsFor(this.viewer(actor), offer.themes, offer.kinds);
    const candidates: { need: NeedFacts; evidence: PairEvidence }[] = [];
    for (const need of needs) {
      const modelId = await this.modelFor(need.organisationKind === 'school' ? need.urn : null);
      const { pairs, sentences } = await this.evidence(need, [offer], modelId);
      const evidence = pairs.get(offer.id)!;
      const sentence = sentences.get(offer.id);
      candidates.push({ need: this.needFacts(need), evidence: sentence && evidence.similarity ? { ...evidence, similarity: { ...evidence.similarity, sentence: sentence() } } : evidence });
    }
    const byId = new Map(needs.map((n) => [n.id, n]));
    return { offer, model: null, modelNote: "Each need's school is compared under its own default similar-schools model.", matches: rankNeeds(this.offerFacts(offer), candidates).map((m) => ({ match: m, need: byId.get(m.needId)! })) };
  }

  /** Bright spots on the need's measures in its school's family that have not offered help on the theme: for facilitators to approach. */
  async couldHelp(actor: Actor, need: Need): Promise<CouldHelp[]> {
    if (!can(actor, 'brokerage:facilitate', { type: 'platform' }) || !need.urn || need.measures.length === 0) return [];
    const modelId = await this.modelFor(need.urn);
    const { brightSpotsByMeasure } = await this.evidence(need, [], modelId);
    const offering = await this.repo.organisationsOffering(need.theme);
    const urns = [...new Set([...brightSpotsByMeasure.values()].flat().map((b) => b.urn))].filter((u) => !offering.has(u));
    const details = await this.families.details(urns);
    const result: CouldHelp[] = [];
    for (const [code, spots] of brightSpotsByMeasure) {
      const def = measureByCode(code)!;
      for (const b of spots) {
        if (offering.has(b.urn)) continue;
        result.push({ urn: b.urn, name: details.get(b.urn)?.name ?? `URN ${b.urn}`, measure: def.shortLabel, display: formatMeasureValue(def, b.value), by: `${b.by.toFixed(def.decimals)} ${def.unit === 'percent' ? 'points' : ''} better`.replace(/ +/g, ' ') });
      }
    }
    return result;
  }

  // Introductions

  async requestIntroduction(actor: Actor, form: IntroductionForm, demonstration = false): Promise<string> {
    if (actor.kind !== 'user') throw new SignInRequiredError();
    const need = await this.readNeed(actor, form.needId);
    const offer = await this.readOffer(actor, form.offerId);
    if (need.status !== 'open' || offer.status !== 'open') throw new ConflictError('That need or offer is closed.');
    if (need.organisationId === offer.organisationId) throw new ConflictError('A need and an offer of the same organisation cannot be introduced.');
    const side = actor.memberships.has(need.organisationId) ? 'need' : actor.memberships.has(offer.organisationId) ? 'offer' : actor.isFacilitator ? 'facilitator' : null;
    if (!side) throw new ForbiddenError('Only the two organisations, or a facilitator, can ask for this introduction.');
    if (offer.placesLeft <= 0) throw new ConflictError(`${offer.organisationName} has no places left on this offer.`);
    const id = await this.repo.createIntroduction({ needId: need.id, offerId: offer.id, requestedBy: side, requestedByUser: actor.userId, message: form.message, demonstration });
    if (!id) throw new ConflictError('An introduction between this need and this offer has already been asked for.');
    // The side that did not ask answers; for a facilitator's proposal, the offering organisation (it gives the place).
    const responder = side === 'offer' ? need : offer;
    const requester = side === 'need' ? need.organisationName : side === 'offer' ? offer.organisationName : 'A Trellis facilitator';
    await this.tell(
      responder.organisationId,
      responder.createdBy,
      `${requester} asks for an introduction: “${need.title}” and “${offer.title}”`,
      `/support/introductions/${id}`,
      `${requester} would like an introduction through Trellis.\n\nNeed: ${need.title} (${need.organisationName})\nOffer: ${offer.title} (${offer.organisationName})\n\nMessage:\n${form.message}\n\nAccept or decline`,
    );
    if (side === 'facilitator') {
      await this.tell(need.organisationId, need.createdBy, `A facilitator has proposed ${offer.organisationName} for your need “${need.title}”`, `/support/introductions/${id}`, `A Trellis facilitator has proposed an introduction to ${offer.organisationName} for your need “${need.title}”. ${offer.organisationName} has been asked to accept. See it`);
    }
    return id;
  }

  /** Emails and inbox notes to an organisation's admins and the person who posted. */
  private async tell(organisationId: string, postedBy: string | null, subject: string, link: string, body: string): Promise<void> {
    const people = await this.repo.recipients(organisationId, postedBy);
    await this.repo.notify(people.map((p) => p.id), subject, link);
    // The change is already saved: a mail server's failure must not turn it into an error page (the inbox has it).
    for (const p of people) {
      await this.mailer.send({ to: p.email, subject, text: `${body}: ${this.publicUrl}${link}\n` }).catch((error: unknown) => this.onMailError(error));
    }
  }

  async readIntroduction(actor: Actor, id: string): Promise<{ introduction: Introduction; canRespond: boolean }> {
    const introduction = await this.repo.introduction(id);
    if (!introduction || !can(actor, 'introduction:read', introductionResource(introduction))) throw new NotFoundError('There is no such introduction.');
    return { introduction, canRespond: can(actor, 'introduction:respond', introductionResource(introduction)) };
  }

  async accept(actor: Actor, id: string, form: AcceptForm): Promise<string> {
    if (actor.kind !== 'user') throw new SignInRequiredError();
    const { introduction } = await this.readIntroduction(actor, id);
    if (introduction.status !== 'requested') throw new ConflictError(`This introduction has already been ${introduction.status}.`);
    if (!can(actor, 'introduction:respond', introductionResource(introduction))) throw new ForbiddenError('Only the organisation asked can accept this introduction.');
    const me = (await this.accounts.userById(actor.userId))!;
    const requester = introduction.requestedByUser ? await this.accounts.userById(introduction.requestedByUser) : null;
    const mySide: Contact['side'] = actor.memberships.has(introduction.offerOrganisationId) ? 'offer' : 'need';
    const contacts: Contact[] = [{ side: mySide, userId: me.id, name: me.displayName, email: me.email }];
    if (requester && !requester.deletedAt && introduction.requestedBy !== 'facilitator') {
      contacts.push({ side: introduction.requestedBy as Contact['side'], userId: requester.id, name: requester.displayName, email: requester.email });
    } else if (introduction.requestedBy === 'facilitator') {
      // A facilitator proposed it: the needing side's contact is the person who posted the need.
      const need = await this.repo.need(introduction.needId);
      const poster = need?.createdBy ? await this.accounts.userById(need.createdBy) : null;
      if (poster && !poster.deletedAt) contacts.push({ side: 'need', userId: poster.id, name: poster.displayName, email: poster.email });
    }
    const result = await this.repo.accept({ introductionId: id, userId: actor.userId, objectives: form.objectives, startsOn: form.startsOn, endsOn: form.endsOn, contacts });
    if ('failed' in result) {
      throw new ConflictError(
        result.failed === 'no-capacity'
          ? `${introduction.offerOrganisationName} has no places left on this offer: the introduction stays open; decline it, or ask again when a place frees up.`
          : result.failed === 'closed'
            ? 'The need or the offer has been closed since this introduction was asked for: decline it instead.'
            : 'This introduction has already been answered.',
      );
    }
    const text = `Support agreed: “${introduction.needTitle}” with ${introduction.offerOrganisationName}`;
    const need = (await this.repo.need(introduction.needId))!;
    const offer = (await this.repo.offer(introduction.offerId))!;
    await this.tell(need.organisationId, need.createdBy, text, `/support/agreements/${result.supportId}`, `${text}. Contacts, objectives and dates`);
    await this.tell(offer.organisationId, offer.createdBy, text, `/support/agreements/${result.supportId}`, `${text}. Contacts, objectives and dates`);
    return result.supportId;
  }

  async decline(actor: Actor, id: string, form: DeclineForm): Promise<void> {
    if (actor.kind !== 'user') throw new SignInRequiredError();
    const { introduction } = await this.readIntroduction(actor, id);
    if (introduction.status !== 'requested') throw new ConflictError(`This introduction has already been ${introduction.status}.`);
    if (!can(actor, 'introduction:respond', introductionResource(introduction))) throw new ForbiddenError('Only the organisation asked can decline this introduction.');
    if (!(await this.repo.decline(id, actor.userId, form.reason, form.note))) throw new ConflictError('This introduction has already been answered.');
    const asker = introduction.requestedBy === 'offer' ? (await this.repo.offer(introduction.offerId))! : (await this.repo.need(introduction.needId))!;
    await this.tell(asker.organisationId, asker.createdBy, `Introduction declined: “${introduction.needTitle}” and “${introduction.offerTitle}”`, `/support/introductions/${id}`, 'The introduction you asked for was declined, with a reason');
  }

  async introductionsFor(actor: Actor): Promise<Introduction[]> {
    if (actor.kind !== 'user') throw new SignInRequiredError();
    return this.repo.introductionsFor([...actor.memberships.keys()]);
  }

  // Supports

  async readSupport(actor: Actor, id: string) {
    const support = await this.repo.support(id);
    if (!support || !can(actor, 'introduction:read', supportResource(support))) throw new NotFoundError('There is no such support.');
    const reviews = await this.repo.reviews(id);
    return { support, reviews, canReview: can(actor, 'support:review', supportResource(support)), canClose: can(actor, 'support:close', supportResource(support)) };
  }

  async addReview(actor: Actor, id: string, form: ReviewForm): Promise<void> {
    const { support } = await this.readSupport(actor, id);
    if (!can(actor, 'support:review', supportResource(support))) throw new ForbiddenError(support.status === 'closed' ? 'This support is closed.' : 'Only the two sides and facilitators can review this support.');
    await this.repo.addReview({ supportId: id, term: form.term, rating: form.rating, notes: form.notes, createdBy: userId(actor) });
    if (form.rating === 'red') {
      const facilitators = await this.database.rows<{ id: string }>(sql`select id from users where is_facilitator and deleted_at is null`);
      await this.repo.notify(facilitators.map((f) => f.id), `Support rated red: “${support.needTitle}” with ${support.offerOrganisationName}`, `/support/agreements/${id}`);
    }
  }

  async close(actor: Actor, id: string, form: CloseForm): Promise<void> {
    const { support } = await this.readSupport(actor, id);
    if (!can(actor, 'support:close', supportResource(support))) throw new ForbiddenError(support.status === 'closed' ? 'This support is already closed.' : 'Only the two sides can close this support.');
    if (!(await this.repo.close(id, form.reflection))) throw new ConflictError('This support is already closed.');
  }

  /** A case-study draft from a closed support's reflection, written by the person asking (they stay the author). */
  async draftCaseStudy(actor: Actor, id: string): Promise<string> {
    if (actor.kind !== 'user') throw new SignInRequiredError();
    const { support } = await this.readSupport(actor, id);
    if (support.status !== 'closed' || !support.reflection) throw new ConflictError('Close the support with a reflection first.');
    const organisationId = actor.memberships.has(support.needOrganisationId) ? support.needOrganisationId : actor.memberships.has(support.offerOrganisationId) ? support.offerOrganisationId : null;
    if (!organisationId) throw new ForbiddenError('Only the two sides can turn a support into a case study.');
    const need = (await this.repo.need(support.needId))!;
    const organisation = (await this.accounts.organisation(organisationId))!;
    return this.studies.create({
      title: need.title,
      summary: '',
      context: {},
      contextNotes: '',
      challenge: need.description,
      approach: support.objectives.map((o) => `- ${o.text}`).join('\n'),
      impact: support.reflection,
      impactMeasures: support.objectives.map((o) => o.measure).filter((m): m is string => !!m),
      applicability: '',
      partners: organisationId === support.needOrganisationId ? support.offerOrganisationName : support.needOrganisationName,
      themes: [need.theme],
      phases: [need.phase],
      contactPreference: 'introductions',
      visibility: 'public',
      organisationId,
      authorId: actor.userId,
      urn: organisation.urn,
    });
  }

  async supportsFor(actor: Actor): Promise<Support[]> {
    if (actor.kind !== 'user') throw new SignInRequiredError();
    return this.repo.supportsFor([...actor.memberships.keys()]);
  }

  /** What needs a facilitator's attention. */
  async facilitatorView(actor: Actor, filter: ListFilter) {
    if (!can(actor, 'brokerage:facilitate', { type: 'platform' })) throw new ForbiddenError('The brokerage overview is for facilitators.');
    const inArea = (x: { laCode: string | null }) => !filter.laCode || x.laCode === filter.laCode;
    const [unmatched, waiting, atCapacity, due] = await Promise.all([
      this.repo.unmatchedNeeds(filter),
      this.repo.introductionsWaitingLongerThan(INTRODUCTION_WAIT_DAYS),
      this.repo.offersAtCapacity(filter),
      this.repo.supportsDueForReview(REVIEW_INTERVAL_DAYS),
    ]);
    const needs = new Map((await this.repo.needs({ signedIn: true, isFacilitator: true, organisationIds: [] }, { ...filter, status: 'all' }, 100_000)).map((n) => [n.id, n]));
    return {
      unmatched: unmatched.filter(inArea),
      waiting: waiting.filter((i) => needs.has(i.needId)),
      atCapacity,
      due: due.filter((s) => needs.has(s.needId)),
    };
  }

  /** Agreed and closed supports the actor may see, for the CSV export. */
  async supportsVisibleTo(actor: Actor): Promise<Support[]> {
    if (actor.kind !== 'user') return [];
    return actor.isFacilitator ? this.repo.supportsFor('all') : this.repo.supportsFor([...actor.memberships.keys()]);
  }

  async inbox(actor: Actor) {
    if (actor.kind !== 'user') throw new SignInRequiredError();
    return this.repo.inbox(actor.userId);
  }

  async markRead(actor: Actor): Promise<void> {
    if (actor.kind !== 'user') throw new SignInRequiredError();
    await this.repo.markRead(actor.userId);
  }
}

export const MATCH_MODELS = MODEL_IDS;
/** Matches shown on a page or returned by the API, best first. */
export const MATCH_LIMIT = 50;
