import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Db } from '../db/client';
import { GIAS_LETTER_BY_REGION, UNITARY_SINCE_APRIL_2023 } from '../domain/areas/codes';
import { DirectoryWriter, type MeasureValueRecord } from '../db/repositories/directory-writer.repository';
import type { CsvInput } from './csv-source';
import { optionalText, publishedCell, publishedPercentCell, urnText } from './fields';
import { schoolMeasureValue, schoolMeasureWriter } from './school-measures';
import { runCsvImport, type ImportOptions, type ImportResult } from './csv-import';

/**
 * Reader of the DfE's school-level census file ("Schools, pupils and their characteristics", Explore Education
 * Statistics layout: one row per school, official column names, `z` for not applicable, `c` or `x` for suppressed).
 * Stores each school's FSM %, EAL % and headcount as measures `census.fsm`, `census.eal` and `census.pupils` for the
 * academic year of its `time_period` (202223 → 2022, i.e. 2022/23: the January 2023 census).
 *
 * The census also places each school: GSS LA code, district, region, urban/rural class and trust name. Where the
 * school is in the directory (import GIAS first) and GIAS left one of those empty — the national GIAS list has none
 * of them — the census fills it, in the same transaction. GIAS's own values, newer than the census, are kept. Codes
 * of the authorities reorganised in April 2023 are moved to their successors; regions are stored as GIAS letters.
 */
export const CENSUS_COLUMNS = {
  timePeriod: 'time_period',
  urn: 'urn',
  pupils: 'headcount of pupils',
  fsm: '% of pupils known to be eligible for free school meals',
  eal: '% of pupils whose first language is known or believed to be other than English',
} as const;

/** Where the census places a school (optional: a file without them imports the measures only). */
export const CENSUS_AREA_COLUMNS = {
  gssLaCode: 'new_la_code',
  regionCode: 'region_code',
  regionName: 'region_name',
  districtCode: 'district_administrative_code',
  districtName: 'district_administrative_name',
  urbanRural: 'urban_rural',
  trust: 'trust',
} as const;

/** A code cell: empty or "Unknown" is no code; anything else must look like a GSS code. */
const gssCode = (what: string) =>
  optionalText(12)
    .transform((s) => (s === null || /^unknown$/i.test(s) || s === 'z' ? null : s))
    .refine((s) => s === null || /^[EWSN]\d{8}$/.test(s), { message: `is not a GSS ${what} code such as E09000007` });
const areaText = (max: number) => optionalText(max).transform((s) => (s === null || /^unknown$/i.test(s) || s === 'z' ? null : s));
const CensusRow = z.object({
  [CENSUS_COLUMNS.timePeriod]: z
    .string()
    .transform((s) => s.trim())
    .refine((s) => /^(\d{4})(\d{2})$/.test(s) && Number(s.slice(4)) === (Number(s.slice(2, 4)) + 1) % 100, {
      message: 'is not an academic year written like 202223',
    })
    .transform((s) => Number(s.slice(0, 4))),
  [CENSUS_COLUMNS.urn]: urnText,
  [CENSUS_COLUMNS.pupils]: publishedCell.refine((v) => v.value === null || (Number.isInteger(v.value) && v.value >= 0), {
    message: 'is not a whole number of pupils',
  }),
  [CENSUS_COLUMNS.fsm]: publishedPercentCell,
  [CENSUS_COLUMNS.eal]: publishedPercentCell,
  [CENSUS_AREA_COLUMNS.gssLaCode]: gssCode('LA'),
  [CENSUS_AREA_COLUMNS.regionCode]: gssCode('region').refine((s) => s === null || GIAS_LETTER_BY_REGION[s] !== undefined, {
    message: 'is not the code of one of England’s nine regions (E12000001 to E12000009)',
  }),
  [CENSUS_AREA_COLUMNS.regionName]: areaText(100),
  [CENSUS_AREA_COLUMNS.districtCode]: gssCode('district'),
  [CENSUS_AREA_COLUMNS.districtName]: areaText(100),
  [CENSUS_AREA_COLUMNS.urbanRural]: areaText(100),
  [CENSUS_AREA_COLUMNS.trust]: areaText(200),
});

/** Where the census places a school, in the establishments' vocabulary. */
export interface CensusPlace {
  urn: number;
  gssLaCode: string | null;
  districtCode: string | null;
  districtName: string | null;
  regionCode: string | null;
  regionName: string | null;
  urbanRuralName: string | null;
  trustName: string | null;
}

type CensusRecord = { urn: string; values: MeasureValueRecord[]; place: CensusPlace };

type CensusRow = z.output<typeof CensusRow>;

function placeOf(r: CensusRow): CensusPlace {
  const district = r[CENSUS_AREA_COLUMNS.districtCode];
  const successor = district ? UNITARY_SINCE_APRIL_2023[district] : undefined;
  const region = r[CENSUS_AREA_COLUMNS.regionCode];
  return {
    urn: Number(r[CENSUS_COLUMNS.urn]),
    gssLaCode: successor ?? r[CENSUS_AREA_COLUMNS.gssLaCode],
    // The district of a unitary authority is the authority; its name is then not the old district's.
    districtCode: successor ?? district,
    districtName: successor ? null : r[CENSUS_AREA_COLUMNS.districtName],
    regionCode: region ? GIAS_LETTER_BY_REGION[region]! : null,
    regionName: r[CENSUS_AREA_COLUMNS.regionName],
    urbanRuralName: r[CENSUS_AREA_COLUMNS.urbanRural],
    trustName: r[CENSUS_AREA_COLUMNS.trust],
  };
}

/**
 * Fills the area columns GIAS left empty for the schools of one batch that are in the directory; returns how many
 * establishments it touched. One statement per batch: `update … from unnest(…)`.
 */
export async function fillEstablishmentAreas(tx: Db, places: readonly CensusPlace[]): Promise<number> {
  const useful = places.filter((p) => p.gssLaCode || p.districtCode || p.regionCode || p.urbanRuralName || p.trustName);
  if (useful.length === 0) return 0;
  const text = (get: (p: CensusPlace) => string | null) => sql`${sql.param(useful.map(get))}::text[]`;
  const result = await tx.execute(sql`
    with filled as (
      update establishments e set
        gss_la_code = coalesce(e.gss_la_code, v.gss_la_code),
        district_code = coalesce(e.district_code, v.district_code),
        district_name = case when e.district_code is null then v.district_name else e.district_name end,
        region_code = coalesce(e.region_code, v.region_code),
        region_name = case when e.region_code is null then v.region_name else e.region_name end,
        urban_rural_name = coalesce(e.urban_rural_name, v.urban_rural_name),
        trust_name = case when e.trust_uid is null and e.trust_name is null then v.trust_name else e.trust_name end
      from unnest(${sql.param(useful.map((p) => p.urn))}::int[], ${text((p) => p.gssLaCode)}, ${text((p) => p.districtCode)},
                  ${text((p) => p.districtName)}, ${text((p) => p.regionCode)}, ${text((p) => p.regionName)},
                  ${text((p) => p.urbanRuralName)}, ${text((p) => p.trustName)})
        as v(urn, gss_la_code, district_code, district_name, region_code, region_name, urban_rural_name, trust_name)
      where e.urn = v.urn
        and (e.gss_la_code is null or e.district_code is null or e.region_code is null or e.urban_rural_name is null
             or (e.trust_uid is null and e.trust_name is null and v.trust_name is not null))
      returning 1)
    select count(*)::int as n from filled`);
  return ((result as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0);
}

/**
 * Schools opened since the census (new academies take a new URN) are not in it: they take the GSS code and region
 * their local authority's other schools have, and — for a unitary, metropolitan or London authority (E06, E08,
 * E09), whose district is the authority itself — that as district too. Returns how many it placed.
 */
export async function fillAreasFromLocalAuthority(tx: Db): Promise<number> {
  const result = await tx.execute(sql`
    with filled as (
      update establishments e set
        gss_la_code = la.gss_code,
        district_code = coalesce(e.district_code, case when la.gss_code ~ '^E0[689]' then la.gss_code end),
        region_code = coalesce(e.region_code, la.region_code),
        region_name = case when e.region_code is null then la.region_name else e.region_name end
      from local_authorities la
      where e.la_code = la.code and e.gss_la_code is null and la.gss_code is not null
      returning 1)
    select count(*)::int as n from filled`);
  return (result as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0;
}

export interface CensusImportResult extends ImportResult {
  /** Establishments in the directory whose empty area columns the census filled. */
  establishmentsPlaced: number;
  /** Establishments not in the census (opened since) placed by their local authority's code. */
  establishmentsPlacedByLa: number;
}

export async function importCensus(database: Database, input: CsvInput, options: ImportOptions = {}): Promise<CensusImportResult> {
  const writeValues = schoolMeasureWriter();
  let placed = 0;
  let placedByLa = 0;
  const result = await runCsvImport(
    database,
    input,
    {
      kind: 'census',
      noun: 'schools',
      required: Object.values(CENSUS_COLUMNS),
      row: CensusRow,
      toRecord: (r): CensusRecord => {
        const year = r[CENSUS_COLUMNS.timePeriod];
        const urn = r[CENSUS_COLUMNS.urn];
        const value = (measure: string, cell: { value: number | null; status: string | null }) => schoolMeasureValue(urn, year, measure, cell);
        return {
          urn,
          values: [value('census.fsm', r[CENSUS_COLUMNS.fsm]), value('census.eal', r[CENSUS_COLUMNS.eal]), value('census.pupils', r[CENSUS_COLUMNS.pupils])],
          place: placeOf(r),
        };
      },
      uniqueKey: { column: CENSUS_COLUMNS.urn, of: (r) => r.urn },
      write: async (tx, batch) => {
        await writeValues(
          tx,
          batch.flatMap((r) => r.values),
        );
        placed += await fillEstablishmentAreas(
          tx,
          batch.map((r) => r.place),
        );
      },
      // Local authorities take their GSS code and region from their schools: refresh them when areas were filled.
      finish: async (tx) => {
        if (placed === 0) return;
        await DirectoryWriter.refreshDerivedFromEstablishments(tx);
        placedByLa = await fillAreasFromLocalAuthority(tx);
      },
    },
    options,
  );
  return { ...result, establishmentsPlaced: placed, establishmentsPlacedByLa: placedByLa };
}
