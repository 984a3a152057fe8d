/**
 * What a person typed in the school search box, classified so that a URN, a LAESTAB or a postcode finds the
 * school directly and anything else is matched by name or town.
 */
export type SearchTerm =
  | { kind: 'empty' }
  | { kind: 'urn'; urn: number }
  | { kind: 'laestab'; laestab: number }
  | { kind: 'postcode'; key: string; complete: boolean }
  | { kind: 'text'; text: string };

const FULL_POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$/;
const OUTWARD_CODE = /^[A-Z]{1,2}\d[A-Z\d]?$/;

export function classifySearchTerm(raw: string | undefined): SearchTerm {
  const text = (raw ?? '').trim().replace(/\s+/g, ' ');
  if (text === '') return { kind: 'empty' };
  if (/^\d{6}$/.test(text)) return { kind: 'urn', urn: Number(text) };
  // LAESTAB is written "2022775" or "202/2775".
  const laestab = /^(\d{3})\s*\/?\s*(\d{4})$/.exec(text);
  if (laestab) return { kind: 'laestab', laestab: Number(laestab[1]) * 10000 + Number(laestab[2]) };
  const upper = text.toUpperCase();
  if (FULL_POSTCODE.test(upper)) return { kind: 'postcode', key: upper.replace(/\s/g, ''), complete: true };
  // An outward code alone ("NW3") is ambiguous with a short name; only treat it as a postcode when it has a
  // digit, which school names and towns almost never do.
  if (OUTWARD_CODE.test(upper)) return { kind: 'postcode', key: upper, complete: false };
  return { kind: 'text', text };
}
