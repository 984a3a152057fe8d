import { describe, expect, it } from 'vitest';
import { isoDate } from './form-fields';

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
