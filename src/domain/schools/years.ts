/**
 * Academic years are stored by their first calendar year: 2023 is the year 2023/24. DfE files write the same
 * year as "2023-2024", "2023/24", "202324" or "2023-24"; these helpers read and write them.
 */
export function formatAcademicYear(startYear: number): string {
  const next = String((startYear + 1) % 100).padStart(2, '0');
  return `${startYear}/${next}`;
}

/** Reads "2023-2024", "2023/24", "2023-24" or "202324"; returns null when it is not an academic year. */
export function parseAcademicYear(text: string): number | null {
  const t = text.trim();
  let m = /^(\d{4})\s*[-/]\s*(\d{4})$/.exec(t);
  if (m) return Number(m[2]) === Number(m[1]) + 1 ? Number(m[1]) : null;
  m = /^(\d{4})\s*[-/]?\s*(\d{2})$/.exec(t);
  if (m) return (Number(m[1]) + 1) % 100 === Number(m[2]) ? Number(m[1]) : null;
  return null;
}
