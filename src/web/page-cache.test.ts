import { describe, expect, it } from 'vitest';
import { PageCache } from './page-cache';

const entry = (body: string, version = 1) => ({ version, body, contentType: 'text/html' });

describe('PageCache', () => {
  it('returns an entry only for the data version it was rendered at', () => {
    const sut = new PageCache({ maxBytes: 1000, readVersion: async () => 1 });
    sut.set('a', entry('page a', 1));
    expect(sut.get('a', 1)?.body.toString('utf8')).toBe('page a');
    expect(sut.get('a', 2)).toBeUndefined();
  });

  it('evicts the least recently used entries beyond its byte budget', () => {
    const sut = new PageCache({ maxBytes: 100, readVersion: async () => 1 });
    sut.set('a', entry('x'.repeat(20)));
    sut.set('b', entry('y'.repeat(20)));
    sut.get('a', 1);
    sut.set('c', entry('z'.repeat(20)));
    sut.set('d', entry('w'.repeat(20)));
    sut.set('e', entry('v'.repeat(20)));
    expect(sut.size).toBe(5);
    sut.set('f', entry('u'.repeat(20)));
    expect(sut.get('b', 1)).toBeUndefined();
    expect(sut.get('a', 1)).toBeDefined();
  });

  it('does not keep a body larger than a quarter of its budget', () => {
    const sut = new PageCache({ maxBytes: 100, readVersion: async () => 1 });
    sut.set('big', entry('x'.repeat(26)));
    expect(sut.size).toBe(0);
  });

  it('counts the UTF-8 bytes it holds, not the characters', () => {
    const sut = new PageCache({ maxBytes: 1000, readVersion: async () => 1 });
    sut.set('a', entry('Year 7 – pupils’ reading')); // 24 characters; the en dash and the apostrophe take 3 bytes each
    expect(sut.heldBytes).toBe(28);
    sut.set('a', entry('plain'));
    expect(sut.heldBytes).toBe(5);
  });

  it('reads the data version at most once per TTL, one read at a time', async () => {
    let reads = 0;
    const sut = new PageCache({ maxBytes: 100, readVersion: async () => ++reads, versionTtlMs: 1000 });
    const [a, b] = await Promise.all([sut.currentVersion(10_000), sut.currentVersion(10_000)]);
    expect([a, b, reads]).toEqual([1, 1, 1]);
    expect(await sut.currentVersion(Date.now())).toBe(1);
    sut.expireVersion();
    expect(await sut.currentVersion()).toBe(2);
  });
});
