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

/**
 * Unitary authorities created on 1 April 2023, keyed by the district (E07) codes they replaced: the January 2023
 * census still gives the old county (E10) and district codes, which the December 2024 boundaries no longer have.
 * Cumbria split in two, so the old district decides which; for a unitary authority the district is the LA itself.
 */
export const UNITARY_SINCE_APRIL_2023: Readonly<Record<string, string>> = {
  // Cumberland
  E07000026: 'E06000063', // Allerdale
  E07000028: 'E06000063', // Carlisle
  E07000029: 'E06000063', // Copeland
  // Westmorland and Furness
  E07000027: 'E06000064', // Barrow-in-Furness
  E07000030: 'E06000064', // Eden
  E07000031: 'E06000064', // South Lakeland
  // North Yorkshire
  E07000163: 'E06000065', // Craven
  E07000164: 'E06000065', // Hambleton
  E07000165: 'E06000065', // Harrogate
  E07000166: 'E06000065', // Richmondshire
  E07000167: 'E06000065', // Ryedale
  E07000168: 'E06000065', // Scarborough
  E07000169: 'E06000065', // Selby
  // Somerset
  E07000187: 'E06000066', // Mendip
  E07000188: 'E06000066', // Sedgemoor
  E07000189: 'E06000066', // South Somerset
  E07000246: 'E06000066', // Somerset West and Taunton
};

/** ONS region code (E12…) → GIAS region letter: establishments keep GIAS's letters, which search and families use. */
export const GIAS_LETTER_BY_REGION: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(REGION_BY_GIAS_LETTER).map(([letter, code]) => [code, letter]),
);
