import { z } from 'zod';

export const TEXT_MAX = 20_000;

/** A repeated form field (checkboxes): one value, many or none, empty strings dropped. */
/** A list of choices (checkboxes): blanks dropped, a choice given twice counted once. */
export const listOf = <T extends z.ZodType<string>>(item: T, max: number, tooMany: string) =>
  z.preprocess((v) => [...new Set((v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== ''))], z.array(item).max(max, tooMany));

/** An optional free-text field with a length limit and a message naming it. */
export const text = (label: string, max = TEXT_MAX) => z.string().trim().max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`).optional().default('');

/** An empty query or form field is "not given". */
export const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);

/** A real calendar date as YYYY-MM-DD (no 31 February, which JavaScript would roll into March), years 1900–2100. */
export const isoDate = (label: string, example = '2027-01-15') =>
  z
    .string({ message: `Enter the ${label}` })
    .trim()
    .min(1, `Enter the ${label}`)
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Enter the ${label} as a date, like ${example}`)
    .refine((s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && d.getUTCFullYear() >= 1900 && d.getUTCFullYear() <= 2100;
    }, `The ${label} must be a real date`);
