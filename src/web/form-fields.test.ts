import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isoDate, listOf } from './form-fields';

describe('isoDate', () => {
  it.each([
    ['2027-01-15', true],
    ['2028-02-29', true], // a leap year
    ['2027-02-29', false], // JavaScript would roll it into 1 March; PostgreSQL refuses it
    ['2027-02-31', false],
    ['2027-13-01', false],
    ['1899-12-31', false],
    ['2101-01-01', false],
    ['15/01/2027', false],
    ['', false],
  ])('%s → %s', (value, ok) => {
    expect(isoDate('date').safeParse(value).success).toBe(ok);
  });
});

describe('listOf (checkbox lists)', () => {
  const themes = listOf(z.enum(['attendance', 'transition', 'curriculum']), 2, 'Choose 2 or fewer');
  it.each<[unknown, string[] | null]>([
    [undefined, []],
    ['attendance', ['attendance']],
    [['attendance', ''], ['attendance']],
    [['attendance', 'attendance'], ['attendance']], // a choice sent twice counts once (an offer was once ranked twice for it)
    [['attendance', 'transition', 'attendance'], ['attendance', 'transition']],
    [['attendance', 'transition', 'curriculum'], null], // too many
    [['nonsense'], null],
  ])('%j → %j', (value, expected) => {
    const parsed = themes.safeParse(value);
    expect(parsed.success ? parsed.data : null).toEqual(expected);
  });
});
