import { z } from 'zod';
import { PHASES, REGIONS, TYPE_GROUPS } from '../../domain/schools/gias-codes';

/**
 * A query-string value that may be given once (`?phase=Primary`) or repeated (`?phase=Primary&phase=Secondary`).
 * Empty values (an unselected "Any …" option) are dropped before validation.
 */
const listOf = <T extends z.ZodType<string>>(item: T) =>
  z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== ''),
    z.array(item).max(20, 'Choose 20 or fewer'),
  ) as unknown as z.ZodType<z.output<T>[], z.output<T> | z.output<T>[] | undefined>;

export const PAGE_SIZE = 20;
export const MAX_PAGE = 500;

/** School search, shared by the home page, the CSV download and `GET /api/v1/schools`. */
export const SchoolSearchQuery = z.object({
  /** Name (typo-tolerant), URN, LAESTAB (e.g. 2022775 or 202/2775), postcode or town. */
  q: z
    .string()
    .max(100, 'Search terms must be 100 characters or fewer')
    .optional()
    .default('')
    .describe('Name (typo-tolerant), URN, LAESTAB (2022775 or 202/2775), postcode or town'),
  /** GIAS phase of education, e.g. `Primary`. Repeat for several. */
  phase: listOf(z.enum(PHASES, { message: 'Choose a phase from the list' })).describe('GIAS phase of education; repeat for several'),
  /** GIAS establishment type group, e.g. `Academies`. Repeat for several. */
  typeGroup: listOf(z.enum(TYPE_GROUPS, { message: 'Choose a type of school from the list' })).describe('GIAS establishment type group; repeat for several'),
  /** Local authority by its 3-digit DfE number, e.g. `202`. Repeat for several. */
  la: listOf(z.string().regex(/^\d{3}$/, 'A local authority is a 3-digit number, such as 202')).describe("Local authority by the DfE's 3-digit number; repeat for several"),
  /** Region by GIAS code, e.g. `H` for London. Repeat for several. */
  region: listOf(z.enum(REGIONS.map((r) => r.code) as [string, ...string[]], { message: 'Choose a region from the list' })).describe(
    'Region by GIAS code (A North East … K South West, H London); repeat for several',
  ),
  /** `open` (default; includes "open, but proposed to close"), `closed` or `all`. */
  status: z
    .enum(['open', 'closed', 'all'], { message: 'Status must be open, closed or all' })
    .optional()
    .default('open')
    .describe('open (default, includes proposed to close), closed, or all'),
  /** Page number, from 1. */
  page: z.coerce
    .number({ message: 'Page must be a number' })
    .int('Page must be a whole number')
    .min(1, 'Page must be 1 or more')
    .max(MAX_PAGE, `Page must be ${MAX_PAGE} or less`)
    .optional()
    .default(1)
    .describe('Page number, from 1; 20 schools a page'),
});
export type SchoolSearchQuery = z.output<typeof SchoolSearchQuery>;

export const UrnParams = z.object({
  /** Unique reference number: six digits. */
  urn: z.string().regex(/^\d{6}$/, 'A URN is six digits, such as 100025').transform(Number).describe('Unique reference number (six digits)'),
});

export const TrustParams = z.object({
  /** GIAS group UID of the trust. */
  id: z.string().regex(/^\d{1,10}$/, 'A trust is identified by its GIAS group UID, a number such as 2044').describe('GIAS group UID'),
});

export const LocalAuthorityParams = z.object({
  /** The DfE's 3-digit local authority number, e.g. `202`. */
  code: z
    .string()
    .regex(/^\d{3}$/, 'A local authority is identified by its 3-digit DfE number, such as 202')
    .describe("The DfE's 3-digit LA number"),
});
