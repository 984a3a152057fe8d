/**
 * Area codes. The ONS GSS code is canonical (`E09000007`); the DfE's 3-digit LA number and GIAS's region letter
 * lead to it. Where GIAS and the boundary files disagree on an authority's code (a code changed by a boundary
 * change), the code GIAS uses — the current one — wins, and the older code is an alias of it.
 */

/** Boundary-file code → current code (SOURCES.md: "Changed codes"). Barnsley and Sheffield changed in 2024. */
export const CODE_ALIASES: Readonly<Record<string, string>> = {
  E08000016: 'E08000038', // Barnsley
  E08000019: 'E08000039', // Sheffield
};

/** GIAS "GOR (code)" letters → the ONS region codes (regions, December 2023). */
export const REGION_BY_GIAS_LETTER: Readonly<Record<string, string>> = {
  A: 'E12000001', // North East
  B: 'E12000002', // North West
  D: 'E12000003', // Yorkshire and The Humber
  E: 'E12000004', // East Midlands
  F: 'E12000005', // West Midlands
  G: 'E12000006', // East of England
  H: 'E12000007', // London
  J: 'E12000008', // South East
  K: 'E12000009', // South West
};

export function canonicalCode(code: string): string {
  return CODE_ALIASES[code] ?? code;
}

export type CodeKind = 'gss' | 'dfe-la' | 'gias-region' | 'invalid';

/** What kind of code a path segment is: a GSS code, a DfE LA number, a GIAS region letter, or nothing we know. */
export function codeKind(code: string): CodeKind {
  if (/^[EWSN]\d{8}$/.test(code)) return 'gss';
  if (/^\d{3}$/.test(code)) return 'dfe-la';
  if (/^[A-K]$/.test(code)) return 'gias-region';
  return 'invalid';
}
