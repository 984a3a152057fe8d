/**
 * Builds data/sample/ from the real DfE data in ../shared/data (run once; its output is committed):
 *  - gias/edubasealldata.csv   the sample establishments written in the official GIAS extract layout (140
 *                              columns, dd/mm/yyyy), so the first run goes through the same importer a user uses;
 *  - gias/links.csv            GIAS establishment links in the official links layout;
 *  - gias/allgroupsdata.csv    GIAS groups (trusts, federations, sponsors) in the official groups layout;
 *  - measures/*                the DfE measure files (absence, workforce, performance, destinations, similar-school
 *                              inputs and published groups) copied as published, with datamap.csv for their years.
 * Head teachers' and trust leaders' names are not in the source and are never written.
 *
 * Usage: npm run sample:build [-- <shared data folder>]
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';

const shared = resolve(process.argv[2] ?? '../shared/data');
const sector = join(shared, 'raw/dfe-sap-sector');
const out = resolve('data/sample');
mkdirSync(join(out, 'gias'), { recursive: true });
mkdirSync(join(out, 'measures'), { recursive: true });

type Json = Record<string, string | number | null>;
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Json[];
const text = (v: string | number | null | undefined) => (v === null || v === undefined || v === 'None' ? '' : String(v));

// The official header, taken from the GIAS format example (synthetic values, real layout).
const formatExample = readFileSync(join(shared, 'formats/gias-edubasealldata-format-example.csv'), 'utf8').replace(/^\uFEFF/, '');
const header = formatExample.split(/\r?\n/)[0]!.split(',');
if (header.length !== 140) throw new Error(`expected the 140-column GIAS header, found ${header.length}`);

// County councils' GSS codes are not in the sample establishments (their district is given instead): take them from
// the ONS upper-tier boundaries by name.
const ctyua = JSON.parse(readFileSync(join(shared, 'geo/ctyua-2024-buc.topo.json'), 'utf8')) as {
  objects: Record<string, { geometries: { properties: { AREACD: string; AREANM: string } }[] }>;
};
const gssByName = new Map<string, string>();
for (const g of Object.values(ctyua.objects)[0]!.geometries) gssByName.set(g.properties.AREANM.toLowerCase(), g.properties.AREACD);
const laGss = (laName: string, districtCode: string) =>
  /^E0[689]/.test(districtCode) ? districtCode : (gssByName.get(laName.toLowerCase()) ?? '');

const establishments = readJson(join(sector, 'Establishment.json'));
const rows = establishments.map((e) => {
  const values: Record<string, string> = {
    URN: text(e.URN),
    'LA (code)': text(e.LAId),
    'LA (name)': text(e.LAName),
    EstablishmentNumber: text(e.EstablishmentNumber),
    EstablishmentName: text(e.EstablishmentName),
    'TypeOfEstablishment (code)': text(e.TypeOfEstablishmentId),
    'TypeOfEstablishment (name)': text(e.TypeOfEstablishmentName),
    'EstablishmentTypeGroup (code)': text(e.EstablishmentTypeGroupId),
    'EstablishmentTypeGroup (name)': text(e.EstablishmentTypeGroupName),
    'EstablishmentStatus (code)': text(e.EstablishmentStatusId),
    'EstablishmentStatus (name)': text(e.EstablishmentStatusName),
    'PhaseOfEducation (code)': text(e.PhaseOfEducationId),
    'PhaseOfEducation (name)': text(e.PhaseOfEducationName),
    StatutoryLowAge: text(e.AgeRangeLow),
    StatutoryHighAge: text(e.AgeRangeHigh),
    'NurseryProvision (name)': text(e.NurseryProvisionName),
    'OfficialSixthForm (code)': text(e.OfficialSixthFormId),
    'OfficialSixthForm (name)': text(e.OfficialSixthFormName),
    'Gender (code)': text(e.GenderId),
    'Gender (name)': text(e.GenderName),
    'ReligiousCharacter (code)': text(e.ReligiousCharacterId),
    'ReligiousCharacter (name)': text(e.ReligiousCharacterName),
    'AdmissionsPolicy (code)': text(e.AdmissionsPolicyId),
    'AdmissionsPolicy (name)': text(e.AdmissionsPolicyName),
    SchoolCapacity: text(e.TotalCapacity),
    NumberOfPupils: text(e.TotalPupils),
    'TrustSchoolFlag (code)': text(e.TrustSchoolFlagId),
    'TrustSchoolFlag (name)': text(e.TrustSchoolFlagName),
    'Trusts (code)': text(e.TrustId),
    'Trusts (name)': text(e.TrustName),
    UKPRN: text(e.UKPRN),
    Street: text(e.Street),
    Locality: text(e.Locality),
    Address3: text(e.Address3),
    Town: text(e.Town),
    'County (name)': text(e.County),
    Postcode: text(e.Postcode),
    SchoolWebsite: text(e.Website),
    TelephoneNum: text(e.TelephoneNum),
    'GOR (code)': text(e.RegionId),
    'GOR (name)': text(e.RegionName),
    'DistrictAdministrative (code)': text(e.DistrictAdministrativeId),
    'DistrictAdministrative (name)': text(e.DistrictAdministrativeName),
    'UrbanRural (code)': text(e.UrbanRuralId),
    'UrbanRural (name)': text(e.UrbanRuralName),
    'GSSLACode (name)': laGss(text(e.LAName), text(e.DistrictAdministrativeId)),
    Easting: text(e.Easting),
    Northing: text(e.Northing),
    'Country (name)': 'United Kingdom',
  };
  return header.map((column) => values[column] ?? '');
});
writeFileSync(join(out, 'gias/edubasealldata.csv'), stringify([header, ...rows]));

// The service wrote link dates as dd-mm-yyyy; the official links file writes dd/mm/yyyy.
const officialDate = (d: string) => d.replace(/^(\d{2})-(\d{2})-(\d{4})$/, '$1/$2/$3');
const links = readJson(join(sector, 'EstablishmentLinks.json'));
writeFileSync(
  join(out, 'gias/links.csv'),
  stringify([
    ['URN', 'LinkURN', 'LinkName', 'LinkType', 'LinkEstablishedDate'],
    ...links.map((l) => [text(l.urn), text(l.linkurn), text(l.linkname), text(l.linktype), officialDate(text(l.linkestablisheddate))]),
  ]),
);

const groups = readJson(join(sector, 'EstablishmentGroupLinks.json'));
writeFileSync(
  join(out, 'gias/allgroupsdata.csv'),
  stringify([
    ['Group UID', 'Group ID', 'Group Name', 'Companies House Number', 'Group Type (code)', 'Group Type', 'Closed Date', 'Open date',
      'Group Street', 'Group Locality', 'Group Address 3', 'Group Town', 'Group County', 'Group Postcode', 'Group Status (code)',
      'Group Status', 'Incorporated on (open date)', 'UKPRN'],
    ...groups.map((g) => [
      text(g.group_uid), text(g.group_id), text(g.group_name), text(g.companies_house_number), text(g.group_type__code_),
      text(g.group_type), text(g.closed_date), text(g.open_date), text(g.group_street), text(g.group_locality),
      text(g.group_address_3), text(g.group_town), text(g.group_county), text(g.group_postcode), text(g.group_status__code_),
      text(g.group_status), text(g.incorporated_on__open_date_), text(g.ukprn),
    ]),
  ]),
);

const measureFiles = [
  'datamap.csv',
  'EstablishmentAbsence.json',
  'EstablishmentWorkforce.json',
  'LAAbsence.json',
  'EnglandAbsence.json',
  'LAPerformance.json',
  'EnglandPerformance.json',
  'LADestinations.json',
  'EnglandDestinations.json',
  'SimilarSchoolsPrimaryValuesEntry.json',
  'SimilarSchoolsPrimaryGroupsEntry.json',
  'SimilarSchoolsSecondaryValuesEntry.json',
  'SimilarSchoolsSecondaryGroupsEntry-part.csv',
  'SimilarSchoolsSecondaryStandardDeviationsEntry.json',
];
for (const file of measureFiles) copyFileSync(join(sector, file), join(out, 'measures', file));
copyFileSync(join(shared, 'raw/dfe-sap-public/EstablishmentPerformance.json'), join(out, 'measures/EstablishmentPerformance.json'));

// The January 2023 school census (national file), kept to the sample's schools: every column and cell unchanged.
const censusLines = readFileSync(join(shared, 'national/spc-school-level-2022-23.csv'), 'utf8').split(/\r?\n/).filter((line) => line !== '');
const censusHeader = parse(censusLines[0]!, { columns: false })[0] as string[];
const urnAt = censusHeader.indexOf('urn');
const sampleUrns = new Set(rows.map((r) => String(r[header.indexOf('URN')])));
const censusRows = censusLines.slice(1).filter((line) => sampleUrns.has((parse(line, { columns: false })[0] as string[])[urnAt]!));
mkdirSync(join(out, 'census'), { recursive: true });
writeFileSync(join(out, 'census/spc-school-level-2022-23.csv'), [censusLines[0], ...censusRows].join('\n') + '\n');

console.log(`wrote ${rows.length} establishments, ${links.length} links, ${groups.length} groups and ${measureFiles.length + 1} measure files to ${out}`);
