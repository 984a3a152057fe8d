/**
 * Published DfE values arrive as text with markers instead of numbers where a figure is suppressed or does not
 * apply. Trellis keeps such values as missing, with the reason, and never turns them into zero.
 */
export const SUPPRESSION_CODES: Readonly<Record<string, string>> = {
  SUPP: 'Suppressed',
  NE: 'No entries',
  NP: 'Not published',
  LOWCOV: 'Low coverage',
  NEW: 'New school',
  NA: 'Not applicable',
  DNS: 'Did not submit',
  x: 'Not available',
  c: 'Confidential (suppressed)',
  z: 'Not applicable',
  u: 'Low reliability',
  ':': 'Not available',
  '.': 'Not applicable',
};

export type ParsedValue =
  | { kind: 'value'; value: number }
  | { kind: 'missing'; status: string }
  | { kind: 'invalid'; reason: string };

/**
 * Parses a published figure: a number (with optional `%` or thousands commas), a suppression code, or empty.
 * Empty and null are "Not published". Anything else is invalid, with a reason.
 */
export function parsePublishedValue(raw: unknown): ParsedValue {
  if (raw === null || raw === undefined) return { kind: 'missing', status: 'Not published' };
  if (typeof raw === 'number') {
    return Number.isFinite(raw) ? { kind: 'value', value: raw } : { kind: 'invalid', reason: `"${raw}" is not a finite number` };
  }
  const text = String(raw).trim();
  if (text === '') return { kind: 'missing', status: 'Not published' };
  const code = SUPPRESSION_CODES[text] ?? SUPPRESSION_CODES[text.toUpperCase()];
  if (code) return { kind: 'missing', status: code };
  const cleaned = text.replace(/%$/, '').replace(/,(?=\d{3}(\D|$))/g, '');
  if (/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(cleaned)) {
    return { kind: 'value', value: Number(cleaned) };
  }
  return { kind: 'invalid', reason: `"${text}" is not a number or a known suppression code` };
}
