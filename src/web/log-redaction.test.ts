import { describe, expect, it } from 'vitest';
import { redactUrl } from './log-redaction';

describe('redactUrl', () => {
  it.each([
    ['/verify-email?token=abc123', '/verify-email?token=[redacted]'],
    ['/reset-password?token=abc&x=1', '/reset-password?token=[redacted]&x=1'],
    ['/auth/oidc/callback?code=c0de&state=s7&iss=http%3A%2F%2Fidp', '/auth/oidc/callback?code=[redacted]&state=[redacted]&iss=http%3A%2F%2Fidp'],
    ['/invitations/Zm9vYmFy', '/invitations/[redacted]'],
    ['/schools/100025?model=dfe-primary', '/schools/100025?model=dfe-primary'],
  ])('%s → %s', (url, expected) => expect(redactUrl(url)).toBe(expected));
});
