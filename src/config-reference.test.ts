import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configReference, configVariables, withReference } from './config-reference';

describe('the configuration reference', () => {
  it('describes every variable of the config schema', () => {
    const missing = configVariables().filter((v) => !v.description || v.description.length < 10).map((v) => v.name);
    expect(missing).toEqual([]);
  });

  it('gives what each variable accepts and its default', () => {
    const table = configReference();
    expect(table).toContain('| `PORT` | whole number 0–65535 | `3000` |');
    expect(table).toContain('| `DATABASE_URL` | URL | (unset) |');
    expect(table).toContain('| `TRELLIS_JOBS` | one of `on`, `off` | `on` |');
  });

  it('is up to date in docs/operations.md (run `npm run docs:config -- --write` after changing src/config.ts)', () => {
    const doc = readFileSync('docs/operations.md', 'utf8');
    expect(withReference(doc)).toBe(doc);
  });
});
