import { describe, expect, it } from 'vitest';
import { formatAcademicYear, parseAcademicYear } from './years';

describe('academic years', () => {
  it.each([
    [2023, '2023/24'],
    [1999, '1999/00'],
    [2009, '2009/10'],
  ])('formats %i as %s', (year, text) => expect(formatAcademicYear(year)).toBe(text));

  it.each([
    ['2023-2024', 2023],
    ['2023/24', 2023],
    ['2023-24', 2023],
    ['202324', 2023],
    ['1999/00', 1999],
    [' 2021-2022 ', 2021],
    ['2023-2025', null],
    ['2023/25', null],
    ['Current', null],
    ['', null],
  ])('reads %j as %j', (text, year) => expect(parseAcademicYear(text)).toBe(year));
});
