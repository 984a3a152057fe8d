import { describe, expect, it } from 'vitest';
import { classifySearchTerm } from './search-query';

describe('classifySearchTerm', () => {
  it.each([
    ['', { kind: 'empty' }],
    ['   ', { kind: 'empty' }],
    [undefined, { kind: 'empty' }],
    ['100025', { kind: 'urn', urn: 100025 }],
    [' 100025 ', { kind: 'urn', urn: 100025 }],
    ['2022775', { kind: 'laestab', laestab: 2022775 }],
    ['202/2775', { kind: 'laestab', laestab: 2022775 }],
    ['202 / 2775', { kind: 'laestab', laestab: 2022775 }],
    ['NW3 2JB', { kind: 'postcode', key: 'NW32JB', complete: true }],
    ['nw32jb', { kind: 'postcode', key: 'NW32JB', complete: true }],
    ['SW1A 1AA', { kind: 'postcode', key: 'SW1A1AA', complete: true }],
    ['NW3', { kind: 'postcode', key: 'NW3', complete: false }],
    ['Gospel Oak', { kind: 'text', text: 'Gospel Oak' }],
    ['St  Mary’s', { kind: 'text', text: 'St Mary’s' }],
    ['12345', { kind: 'text', text: '12345' }],
    ['Camden', { kind: 'text', text: 'Camden' }],
  ])('%j', (raw, expected) => {
    expect(classifySearchTerm(raw)).toEqual(expected);
  });
});
