import { describe, expect, it } from 'vitest';
import { parsePublishedValue } from './values';

describe('parsePublishedValue', () => {
  it.each([
    ['6.06903', { kind: 'value', value: 6.06903 }],
    [' 18.7 ', { kind: 'value', value: 18.7 }],
    ['-0.72', { kind: 'value', value: -0.72 }],
    ['0', { kind: 'value', value: 0 }],
    [0, { kind: 'value', value: 0 }],
    [46.4, { kind: 'value', value: 46.4 }],
    ['12.5%', { kind: 'value', value: 12.5 }],
    ['1,234', { kind: 'value', value: 1234 }],
    ['405649', { kind: 'value', value: 405649 }],
    ['1e3', { kind: 'value', value: 1000 }],
    ['SUPP', { kind: 'missing', status: 'Suppressed' }],
    ['NE', { kind: 'missing', status: 'No entries' }],
    ['NP', { kind: 'missing', status: 'Not published' }],
    ['LOWCOV', { kind: 'missing', status: 'Low coverage' }],
    ['x', { kind: 'missing', status: 'Not available' }],
    ['c', { kind: 'missing', status: 'Confidential (suppressed)' }],
    ['z', { kind: 'missing', status: 'Not applicable' }],
    ['', { kind: 'missing', status: 'Not published' }],
    [null, { kind: 'missing', status: 'Not published' }],
    [undefined, { kind: 'missing', status: 'Not published' }],
  ])('reads %j', (raw, expected) => {
    expect(parsePublishedValue(raw)).toEqual(expected);
  });

  it.each(['abc', '12..5', '1,2', '--1', 'NaN', Number.NaN, Number.POSITIVE_INFINITY])('rejects %j with a reason', (raw) => {
    const sut = parsePublishedValue(raw);
    expect(sut.kind).toBe('invalid');
  });

  it('never turns a suppressed figure into zero', () => {
    const sut = parsePublishedValue('SUPP');
    expect(sut).not.toHaveProperty('value');
  });
});
