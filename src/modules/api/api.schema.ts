import { z } from 'zod';

/** Response schemas of the public API. They document the API (OpenAPI) and check what is sent. */

const nullableString = z.string().nullable();
const nullableNumber = z.number().nullable();

export const SchoolSummarySchema = z.object({
  urn: z.number().int().describe('Unique reference number'),
  laestab: nullableNumber.describe('LA number × 10000 + establishment number'),
  name: z.string(),
  town: nullableString,
  postcode: nullableString,
  phaseName: nullableString,
  typeName: nullableString,
  typeGroupName: nullableString,
  statusName: nullableString,
  laCode: nullableString.describe("The DfE's 3-digit LA number"),
  laName: nullableString,
  regionName: nullableString,
  trustUid: nullableString.describe('GIAS group UID of the trust'),
  trustName: nullableString,
  pupils: nullableNumber,
  capacity: nullableNumber,
  statutoryLowAge: nullableNumber,
  statutoryHighAge: nullableNumber,
});

export const SchoolSearchResponse = z.object({
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  schools: z.array(SchoolSummarySchema),
});

const CellSchema = z.object({
  value: nullableNumber,
  /** Why a value is missing ("Suppressed", "Not published"); null when there is a value. */
  status: nullableString,
});

export const MeasureSchema = z.object({
  code: z.string(),
  label: z.string(),
  shortLabel: z.string(),
  unit: z.enum(['percent', 'score', 'ratio', 'pupils']),
  direction: z.enum(['higher', 'lower', 'none']),
  decimals: z.number().int(),
  source: z.string(),
  description: z.string(),
});

export const OutcomeSchema = z.object({
  measure: z.string(),
  label: z.string(),
  source: z.string(),
  comparison: z.string(),
  years: z.array(
    z.object({
      year: z.number().int().describe('First calendar year of the academic year: 2023 is 2023/24'),
      yearLabel: z.string(),
      school: CellSchema,
      la: CellSchema,
      england: CellSchema,
    }),
  ),
});

export const SchoolResponse = z.object({
  school: SchoolSummarySchema.extend({
    establishmentNumber: nullableString,
    openDate: nullableString,
    closeDate: nullableString,
    genderName: nullableString,
    religiousCharacterName: nullableString,
    admissionsPolicyName: nullableString,
    sixthFormName: nullableString,
    nurseryName: nullableString,
    federationName: nullableString,
    street: nullableString,
    locality: nullableString,
    address3: nullableString,
    county: nullableString,
    website: nullableString,
    regionCode: nullableString,
    districtCode: nullableString,
    districtName: nullableString,
    gssLaCode: nullableString,
    urbanRuralCode: nullableString,
    urbanRuralName: nullableString,
    easting: nullableNumber,
    northing: nullableNumber,
    latitude: nullableNumber,
    longitude: nullableNumber,
  }),
  trust: z.object({ uid: z.string(), name: z.string(), typeName: nullableString }).nullable(),
  links: z.array(z.object({ linkedUrn: z.number(), linkName: nullableString, linkType: z.string(), establishedDate: nullableString })),
  outcomes: z.array(OutcomeSchema),
});

const KeyFigureSchema = z.object({ measure: z.string(), value: nullableNumber, status: nullableString, year: z.number().int().nullable() });

export const SchoolWithFiguresSchema = SchoolSummarySchema.extend({ figures: z.array(KeyFigureSchema) });

export const TrustResponse = z.object({
  trust: z.object({
    uid: z.string(),
    name: z.string(),
    typeName: nullableString,
    statusName: nullableString,
    companiesHouseNumber: nullableString,
    openDate: nullableString,
  }),
  pupils: z.number().int(),
  schools: z.array(SchoolWithFiguresSchema),
});

export const LocalAuthoritySchema = z.object({
  code: z.string(),
  name: z.string(),
  gssCode: nullableString,
  regionCode: nullableString,
  regionName: nullableString,
  schools: z.number().int(),
  openSchools: z.number().int(),
});

export const LocalAuthorityResponse = z.object({
  localAuthority: LocalAuthoritySchema,
  outcomes: z.array(
    z.object({
      measure: z.string(),
      label: z.string(),
      breakdown: z.string(),
      source: z.string(),
      years: z.array(z.object({ year: z.number().int(), yearLabel: z.string(), la: CellSchema, england: CellSchema })),
    }),
  ),
  schools: z.array(SchoolWithFiguresSchema),
});

export const ErrorResponse = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  details: z.array(z.object({ field: z.string().optional(), message: z.string() })).optional(),
  requestId: z.string(),
});
