import { describe, expect, it } from 'vitest';
import { ConfigError, devOutboxEnabled, loadConfig } from './config';

const SECRET = 'k3y-' + 'a1b2c3d4'.repeat(5);
const production = { NODE_ENV: 'production', TRELLIS_SESSION_SECRET: SECRET, TRELLIS_PUBLIC_URL: 'https://trellis.example.org' };

describe('loadConfig', () => {
  it('gives development defaults with nothing set', () => {
    const sut = loadConfig({});
    expect(sut.PORT).toBe(3000);
    expect(sut.TRELLIS_DATA_DIR).toBe('./data/db');
    expect(devOutboxEnabled(sut)).toBe(true);
  });

  it('accepts a safe production configuration, with the dev outbox off', () => {
    const sut = loadConfig(production);
    expect(devOutboxEnabled(sut)).toBe(false);
  });

  it.each([
    [{ TRELLIS_SESSION_SECRET: undefined }, /TRELLIS_SESSION_SECRET must be set/],
    [{ TRELLIS_SESSION_SECRET: 'development-only-secret-do-not-use-in-production' }, /default value/],
    [{ TRELLIS_DEV_OUTBOX: 'true' }, /TRELLIS_DEV_OUTBOX must not be on in production/],
    [{ DATABASE_URL: 'postgres://postgres:postgres@db.internal:5432/trellis' }, /default postgres superuser/],
    [{ TRELLIS_OIDC_ISSUER: 'https://login.example.org' }, /TRELLIS_OIDC_CLIENT_SECRET must be set/],
    [{ TRELLIS_PUBLIC_URL: undefined }, /TRELLIS_PUBLIC_URL must be set/],
  ])('refuses to start in production with %j', (change, message) => {
    expect(() => loadConfig({ ...production, ...change })).toThrow(ConfigError);
    expect(() => loadConfig({ ...production, ...change })).toThrow(message);
  });

  it('leaves metrics off by default and refuses a short metrics token', () => {
    expect(loadConfig({}).TRELLIS_METRICS_TOKEN).toBeUndefined();
    expect(loadConfig({ TRELLIS_METRICS_TOKEN: 'a-long-enough-token' }).TRELLIS_METRICS_TOKEN).toBe('a-long-enough-token');
    expect(() => loadConfig({ TRELLIS_METRICS_TOKEN: 'short' })).toThrow(/TRELLIS_METRICS_TOKEN: must be at least 16 characters/);
  });

  it('names each invalid variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', TRELLIS_SESSION_SECRET: 'short' })).toThrow(/PORT[\s\S]*TRELLIS_SESSION_SECRET: must be at least 32 characters/);
  });
});
