import { ENGLAND_CODE, MEASURES, measureByCode, type MeasureDefinition } from '../../domain/measures/catalogue';
import { buildAreaOutcomes, buildSchoolOutcomes, cellFor, type AreaSeries, type Cell, type OutcomeSeries } from '../../domain/measures/outcomes';
import { classifySearchTerm } from '../../domain/schools/search-query';
import { formatAcademicYear } from '../../domain/schools/years';
import type { Database } from '../../db/client';
import {
  EstablishmentRepository,
  type School,
  type SchoolLink,
  type SchoolSummary,
  type SearchPage,
} from '../../db/repositories/establishment.repository';
import { MeasureRepository } from '../../db/repositories/measure.repository';
import {
  OrganisationDirectoryRepository,
  type Group,
  type LocalAuthority,
} from '../../db/repositories/organisation-directory.repository';
import { NotFoundError } from '../../web/errors';
import { PAGE_SIZE, type SchoolSearchQuery } from './directory.schema';

/** Figures shown for every school in trust and local-authority tables (latest year each school has). */
export const KEY_MEASURES = ['absence.overall', 'absence.persistent', 'ks4.attainment8', 'workforce.pupil-teacher-ratio'] as const;

export interface KeyFigure {
  measure: MeasureDefinition;
  cell: Cell;
  yearLabel: string | null;
}

export interface SchoolWithFigures extends SchoolSummary {
  figures: KeyFigure[];
}

export interface SchoolProfile {
  school: School;
  trust: Group | null;
  links: SchoolLink[];
  outcomes: OutcomeSeries[];
}

export interface TrustProfile {
  trust: Group;
  schools: SchoolWithFigures[];
  pupils: number;
}

export interface LocalAuthorityProfile {
  la: LocalAuthority;
  schools: SchoolWithFigures[];
  outcomes: AreaSeries[];
}

/** The directory use cases: search, school, trust and local-authority profiles. Public data: no permissions. */
export class DirectoryService {
  private readonly establishments: EstablishmentRepository;
  private readonly measures: MeasureRepository;
  private readonly organisations: OrganisationDirectoryRepository;

  constructor(database: Database) {
    this.establishments = new EstablishmentRepository(database);
    this.measures = new MeasureRepository(database);
    this.organisations = new OrganisationDirectoryRepository(database);
  }

  search(query: SchoolSearchQuery, pageSize = PAGE_SIZE): Promise<SearchPage> {
    return this.establishments.search({
      term: classifySearchTerm(query.q),
      phase: query.phase,
      typeGroup: query.typeGroup,
      la: query.la,
      region: query.region,
      status: query.status,
      limit: pageSize,
      offset: (query.page - 1) * pageSize,
    });
  }

  /** Every row of a search, for CSV download (capped: a download is for a result, not the whole register). */
  searchAll(query: SchoolSearchQuery, cap = 50_000): Promise<SearchPage> {
    return this.search({ ...query, page: 1 }, cap);
  }

  async school(urn: number): Promise<SchoolProfile> {
    const school = await this.establishments.byUrn(urn);
    if (!school) throw new NotFoundError(`There is no school with URN ${urn} in Trellis.`);
    const [trust, links, values] = await Promise.all([
      school.trustUid ? this.organisations.group(school.trustUid) : Promise.resolve(null),
      this.establishments.links(urn),
      this.measures.valuesFor([
        { type: 'school', code: String(urn) },
        ...(school.laCode ? [{ type: 'la' as const, code: school.laCode }] : []),
        { type: 'england', code: ENGLAND_CODE },
      ]),
    ]);
    return { school, trust, links, outcomes: buildSchoolOutcomes(MEASURES, values, school.phaseName) };
  }

  async trust(uid: string): Promise<TrustProfile> {
    const trust = await this.organisations.group(uid);
    if (!trust) throw new NotFoundError(`There is no trust with the GIAS group UID ${uid} in Trellis.`);
    const schools = await this.withKeyFigures(await this.establishments.byTrust(uid));
    return { trust, schools, pupils: schools.reduce((sum, s) => sum + (s.pupils ?? 0), 0) };
  }

  async localAuthority(code: string): Promise<LocalAuthorityProfile> {
    const la = await this.organisations.localAuthority(code);
    if (!la) throw new NotFoundError(`There is no local authority with the number ${code} in Trellis.`);
    const [schools, values] = await Promise.all([
      this.establishments.byLocalAuthority(code).then((rows) => this.withKeyFigures(rows)),
      this.measures.valuesFor([
        { type: 'la', code },
        { type: 'england', code: ENGLAND_CODE },
      ]),
    ]);
    return { la, schools, outcomes: buildAreaOutcomes(MEASURES, values) };
  }

  localAuthorities(): Promise<LocalAuthority[]> {
    return this.organisations.localAuthorities();
  }

  private async withKeyFigures(schools: SchoolSummary[]): Promise<SchoolWithFigures[]> {
    const latest = await this.measures.latestForSchools(
      schools.map((s) => s.urn),
      KEY_MEASURES,
    );
    const byKey = new Map(latest.map((v) => [`${v.entityCode}|${v.measure}`, v]));
    return schools.map((s) => ({
      ...s,
      figures: KEY_MEASURES.map((code) => {
        const measure = measureByCode(code)!;
        const v = byKey.get(`${s.urn}|${code}`);
        return { measure, cell: cellFor(measure, v), yearLabel: v ? formatAcademicYear(v.year) : null };
      }),
    }));
  }
}
