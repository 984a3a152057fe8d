import { describe, expect, it } from 'vitest';
import { defaultModelOf } from './models';

describe('defaultModelOf', () => {
  it.each([
    { available: [], expected: null },
    { available: ['census-pupil'], expected: 'census-pupil' },
    { available: ['census-pupil', 'fbit-pupil'], expected: 'fbit-pupil' },
    { available: ['census-pupil', 'fbit-pupil', 'dfe-primary'], expected: 'dfe-primary' },
    { available: ['dfe-primary', 'dfe-secondary', 'census-pupil'], expected: 'dfe-secondary' },
    { available: ['custom'], expected: null },
  ])('$available → $expected', ({ available, expected }) => {
    expect(defaultModelOf(available)).toBe(expected);
  });
});
