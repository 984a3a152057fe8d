/**
 * Password rules after the NCSC's guidance: length over complexity, no composition rules, and a check against a
 * list of passwords people commonly choose. The list is passed in, so this stays pure.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export interface PasswordContext {
  email?: string;
  displayName?: string;
}

/** Returns the first problem with a proposed password, in words a person can act on, or null when it is fine. */
export function passwordProblem(password: string, commonPasswords: ReadonlySet<string>, context: PasswordContext = {}): string | null {
  const length = [...password].length;
  if (length === 0) return 'Enter a password';
  if (length < PASSWORD_MIN_LENGTH) return `Your password must be at least ${PASSWORD_MIN_LENGTH} characters long. Three random words work well`;
  if (length > PASSWORD_MAX_LENGTH) return `Your password must be ${PASSWORD_MAX_LENGTH} characters or fewer`;
  const lower = password.toLowerCase();
  if (commonPasswords.has(lower) || commonPasswords.has(lower.replace(/[\d!?.]+$/, ''))) {
    return 'That password is one many people use, so it is easy to guess. Choose a different one';
  }
  if (/^(.)\1+$/.test(password)) return 'Your password must not be one character repeated';
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'Your password must not contain your email address';
  return null;
}
