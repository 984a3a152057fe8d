import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy';

const COMMON = new Set(['password', 'qwertyuiop', 'iloveyou', 'correcthorsebatterystaple']);

describe('passwordProblem', () => {
  it.each([
    ['', 'Enter a password'],
    ['short', 'at least 12 characters'],
    ['elevenchars', 'at least 12 characters'],
    ['x'.repeat(257), '256 characters or fewer'],
    ['CorrectHorseBatteryStaple', 'one many people use'],
    ['correcthorsebatterystaple2024!', 'one many people use'],
    ['aaaaaaaaaaaaaaaa', 'one character repeated'],
    ['jane.smith-rocks-2026', 'must not contain your email'],
  ])('%j → %s', (password, message) => {
    expect(passwordProblem(password, COMMON, { email: 'jane.smith@school.example' })).toContain(message);
  });

  it.each(['twelve chars', 'purple tractor monsoon', 'Ünïcödé-passwörd', 'xy'.repeat(128)])('accepts %j (no composition rules)', (password) => {
    expect(passwordProblem(password, COMMON, { email: 'jane.smith@school.example' })).toBeNull();
  });

  it('counts characters, not bytes', () => {
    expect(passwordProblem('🙂'.repeat(12), COMMON)).toBeNull();
    expect(passwordProblem('🙂'.repeat(11), COMMON)).toContain('at least 12');
  });
});
