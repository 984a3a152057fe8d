import { z } from 'zod';
import { parsePublishedValue } from '../domain/measures/values';

/** Zod field parsers for the DfE's CSV cells, which are all text. Empty cells become null. */

export const optionalText = (max = 500) =>
  z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().max(max, `is longer than ${max} characters`))
    .transform((s) => (s === '' ? null : s));

export const requiredText = (max = 500) =>
  z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, 'is empty').max(max, `is longer than ${max} characters`));

export const optionalInt = (min = 0, max = 10_000_000) =>
  z
    .string()
    .transform((s) => s.trim().replace(/\.0+$/, ''))
    .refine((s) => s === '' || /^-?\d+$/.test(s), { message: 'is not a whole number' })
    .transform((s) => (s === '' ? null : Number(s)))
    .refine((n) => n === null || (n >= min && n <= max), { message: `is outside ${min}–${max}` });

/** A date written dd/mm/yyyy, returned as ISO yyyy-mm-dd. */
export const optionalDate = z
  .string()
  .transform((s) => s.trim())
  .transform((s, ctx) => {
    if (s === '') return null;
    const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not a date in the form dd/mm/yyyy` });
      return z.NEVER;
    }
    const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not a real date` });
      return z.NEVER;
    }
    return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  });

/** A published figure: a number, or a suppression code / empty cell (stored as missing, never zero). */
export const publishedNumber = z.string().transform((s, ctx) => {
  const parsed = parsePublishedValue(s);
  if (parsed.kind === 'invalid') {
    ctx.addIssue({ code: 'custom', message: parsed.reason });
    return z.NEVER;
  }
  return parsed.kind === 'value' ? parsed.value : null;
});

/** Turns Zod issues into "column: message" problems for one line. */
export function issuesToProblems(line: number, error: z.ZodError): { line: number; column?: string; message: string }[] {
  return error.issues.map((issue) => {
    const column = issue.path[0] === undefined ? undefined : String(issue.path[0]);
    return column === undefined ? { line, message: issue.message } : { line, column, message: issue.message };
  });
}

/** A published cell kept with its reason when missing: `{ value }`, or `{ value: null, status: "Not applicable" }`. */
export const publishedCell = z.string().transform((s, ctx) => {
  const parsed = parsePublishedValue(s);
  if (parsed.kind === 'invalid') {
    ctx.addIssue({ code: 'custom', message: parsed.reason });
    return z.NEVER;
  }
  return parsed.kind === 'value' ? { value: parsed.value, status: null } : { value: null, status: parsed.status };
});

/** A published percentage (0–100), kept with its reason when missing. */
export const publishedPercentCell = publishedCell.refine((v) => v.value === null || (v.value >= 0 && v.value <= 100), { message: 'is not a percentage between 0 and 100' });

/** A URN as text: six digits, spaces trimmed. */
export const urnText = z
  .string()
  .transform((s) => s.trim())
  .refine((s) => /^\d{6}$/.test(s), { message: 'is not a 6-digit URN' });
