import { z } from 'zod';
import { MEMBERSHIP_ROLES, ORGANISATION_KIND_VALUES } from '../../domain/accounts/organisation-kinds';
import { PASSWORD_MAX_LENGTH } from '../../domain/accounts/password-policy';

/** Form bodies of the accounts pages. Messages follow the GOV.UK Design System's error message patterns. */

const email = z
  .string({ message: 'Enter your email address' })
  .trim()
  .min(1, 'Enter your email address')
  .max(320, 'Email address must be 320 characters or fewer')
  .email('Enter an email address in the correct format, like name@example.org');

const password = (message: string) => z.string({ message }).min(1, message).max(PASSWORD_MAX_LENGTH, `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`);

export const SignUpForm = z.object({
  /** Full name, shown to colleagues. */
  displayName: z.string({ message: 'Enter your name' }).trim().min(1, 'Enter your name').max(100, 'Name must be 100 characters or fewer'),
  email,
  password: z.string({ message: 'Enter a password' }).max(PASSWORD_MAX_LENGTH, `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`),
  returnTo: z.string().max(500).optional(),
});

export const SignInForm = z.object({
  email,
  password: password('Enter your password'),
  returnTo: z.string().max(500).optional(),
});

export const EmailForm = z.object({ email });

export const ResetPasswordForm = z.object({
  token: z.string().min(1).max(100),
  password: z.string().max(PASSWORD_MAX_LENGTH, `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`),
  passwordConfirm: z.string().max(PASSWORD_MAX_LENGTH),
});

export const ChangePasswordForm = z.object({
  current: z.string().max(PASSWORD_MAX_LENGTH).default(''),
  password: z.string().max(PASSWORD_MAX_LENGTH, `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`),
  passwordConfirm: z.string().max(PASSWORD_MAX_LENGTH),
});

export const DeleteAccountForm = z.object({
  password: z.string().max(PASSWORD_MAX_LENGTH).optional(),
  confirm: z.literal('yes', { message: 'Tick the box to confirm you want to delete your account' }),
});

export const NewOrganisationForm = z.object({
  kind: z.enum(ORGANISATION_KIND_VALUES, { message: 'Choose what kind of organisation it is' }),
  urn: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || /^\d{6}$/.test(v), { message: 'A URN is six digits, such as 100025' })
    .transform((v) => (v ? Number(v) : undefined)),
  trustUid: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || /^\d{1,10}$/.test(v), { message: 'A GIAS group UID is a number, such as 2044' }),
  laCode: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || /^\d{3}$/.test(v), { message: 'Choose a local authority from the list' }),
  name: z.string().trim().max(200, 'Name must be 200 characters or fewer').optional(),
  postcode: z
    .string()
    .trim()
    .max(10, 'Enter a real postcode, like NW3 2JB')
    .optional()
    .refine((v) => !v || /^[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}$/.test(v), { message: 'Enter a real postcode, like NW3 2JB' }),
});

export const InviteForm = z.object({
  email,
  role: z.enum(MEMBERSHIP_ROLES, { message: 'Choose member or organisation admin' }),
});

export const RoleForm = z.object({ role: z.enum(MEMBERSHIP_ROLES, { message: 'Choose member or organisation admin' }) });

export const OrganisationParams = z.object({ id: z.string().uuid('There is no such organisation') });
export const MemberParams = z.object({ id: z.string().uuid('There is no such organisation'), userId: z.string().uuid('There is no such member') });
export const InvitationParams = z.object({ id: z.string().uuid('There is no such organisation'), invitationId: z.string().uuid('There is no such invitation') });
export const TokenParams = z.object({ token: z.string().min(10, 'That link is not valid').max(100, 'That link is not valid') });
export const TokenQuery = z.object({ token: z.string().min(10, 'That link is not valid').max(100, 'That link is not valid') });

export const SwitchForm = z.object({ organisationId: z.string().uuid('Choose one of your organisations'), returnTo: z.string().max(500).optional() });

export const AuditQuery = z.object({
  event: z.string().max(60).optional(),
  email: z.string().max(320).optional(),
  from: z
    .string()
    .optional()
    .refine((v) => !v || !Number.isNaN(Date.parse(v)), { message: 'Enter a date like 2026-11-28' }),
  to: z
    .string()
    .optional()
    .refine((v) => !v || !Number.isNaN(Date.parse(v)), { message: 'Enter a date like 2026-11-28' }),
  page: z.coerce.number().int().min(1).max(1000).optional().default(1),
});

/** Only same-site paths may be returned to after signing in (no open redirects). */
export function safeReturnTo(value: string | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/account';
  return value;
}
