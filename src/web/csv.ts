import { stringify } from 'csv-stringify/sync';

/**
 * CSV for download: UTF-8 with a byte-order mark (so spreadsheets read accents), and any text cell that starts with
 * =, +, -, @, tab or carriage return prefixed with a quote, so a spreadsheet never runs it as a formula.
 */
export function toCsv(rows: readonly (readonly unknown[])[]): string {
  const safe = (v: unknown) => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : (v ?? ''));
  return stringify(rows.map((row) => row.map(safe)), { bom: true });
}
