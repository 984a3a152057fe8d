import { z } from 'zod';
import { PHASES, REGIONS, TYPE_GROUPS } from '../../domain/schools/gias-codes';

/** A query-string value that may be given once (`?phase=Primary`) or repeated (`?phase=Primary&phase=Secondary`). */
const listOf = <T extends z.ZodType<string>>(item: T) =>
  z
    .union([item, z.array(item).max(20, 'too many values')])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== ''));

const emptyOr = <T extends z.ZodType<string>>(item: T) => z.union([z.literal(''), item]);

export const PAGE_SIZE = 20;
export const MAX_PAGE = 500;

/** School search, shared by the home page, the CSV download and `GET /api/v1/schools`. */
export const SchoolSearchQuery = z.object({
  /** Name (typo-tolerant), URN, LAESTAB (e.g. 2022775 or 202/2775), postcode or town. */
  q: z.string().max(100, 'Search terms must be 100 characters or fewer').optional().default(''),
  /** GIAS phase of education, e.g. `Primary`. Repeat for several. */
  phase: listOf(emptyOr(z.enum(PHASES, { message: 'Choose a phase from the list' }))),
  /** GIAS establishment type group, e.g. `Academies`. Repeat for several. */
  typeGroup: listOf(emptyOr(z.enum(TYPE_GROUPS, { message: 'Choose a type of school from the list' }))),
  /** Local authority by its 3-digit DfE number, e.g. `202`. Repeat for several. */
  la: listOf(emptyOr(z.string().regex(/^\d{3}$/, 'A local authority is a 3-digit number, such as 202'))),
  /** Region by GIAS code, e.g. `H` for London. Repeat for several. */
  region: listOf(
    emptyOr(z.enum(REGIONS.map((r) => r.code) as [string, ...string[]], { message: 'Choose a region from the list' })),
  ),
  /** `open` (default; includes "open, but proposed to close"), `closed` or `all`. */
  status: z.enum(['open', 'closed', 'all'], { message: 'Status must be open, closed or all' }).optional().default('open'),
  /** Page number, from 1. */
  page: z.coerce
    .number({ message: 'Page must be a number' })
    .int('Page must be a whole number')
    .min(1, 'Page must be 1 or more')
    .max(MAX_PAGE, `Page must be ${MAX_PAGE} or less`)
    .optional()
    .default(1),
});
export type SchoolSearchQuery = z.output<typeof SchoolSearchQuery>;

export const UrnParams = z.object({
  /** Unique reference number: six digits. */
  urn: z.string().regex(/^\d{6}$/, 'A URN is six digits, such as 100025').transform(Number),
});

export const TrustParams = z.object({
  /** GIAS group UID of the trust. */
  id: z.string().regex(/^\d{1,10}$/, 'A trust is identified by its GIAS group UID, a number such as 2044'),
});

export const LocalAuthorityParams = z.object({
  /** The DfE's 3-digit local authority number, e.g. `202`. */
  code: z.string().regex(/^\d{3}$/, 'A local authority is identified by its 3-digit DfE number, such as 202'),
});
