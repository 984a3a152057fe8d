import { z } from 'zod';

export const TEXT_MAX = 20_000;

/** A repeated form field (checkboxes): one value, many or none, empty strings dropped. */
export const listOf = <T extends z.ZodType<string>>(item: T, max: number, tooMany: string) =>
  z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== ''), z.array(item).max(max, tooMany));

/** An optional free-text field with a length limit and a message naming it. */
export const text = (label: string, max = TEXT_MAX) => z.string().trim().max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`).optional().default('');

/** An empty query or form field is "not given". */
export const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
