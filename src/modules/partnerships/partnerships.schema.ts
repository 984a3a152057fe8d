import { z } from 'zod';
import { MEASURES } from '../../domain/measures/catalogue';
import { ORGANISATION_KIND_VALUES } from '../../domain/accounts/organisation-kinds';
import { ACTIVITY_KIND_VALUES, BENEFIT_KIND_VALUES, MEMBER_ROLE_VALUES, PARTNERSHIP_TYPE_VALUES, STAGE_VALUES } from '../../domain/partnerships/catalogue';
import { THEME_VALUES } from '../../domain/practice/themes';
import { MODEL_IDS } from '../../domain/similarity/models';
import { blankToUndefined, isoDate, listOf, text } from '../../web/form-fields';

const optionalNumber = (label: string, max: number) =>
  z.preprocess(blankToUndefined, z.coerce.number({ message: `${label} must be a number` }).min(0, `${label} cannot be negative`).max(max, `${label} must be ${max.toLocaleString('en-GB')} or less`).optional()).transform((v) => v ?? null);

export const PartnershipForm = z.object({
  name: z.string({ message: 'Enter a name' }).trim().min(1, 'Enter a name').max(150, 'Name must be 150 characters or fewer'),
  purpose: text('Purpose', 5000),
  type: z.enum(PARTNERSHIP_TYPE_VALUES, { message: 'Choose the type of partnership' }),
  themes: listOf(z.enum(THEME_VALUES, { message: 'Choose themes from the list' }), 6, 'Choose 6 themes or fewer'),
  visibility: z.enum(['public', 'private'], { message: 'Choose who can see it' }).optional().default('public'),
  startedOn: isoDate('start date'),
  leadOrganisationId: z.string({ message: 'Choose the lead organisation' }).uuid('Choose the lead organisation'),
});
export type PartnershipForm = z.output<typeof PartnershipForm>;

export const MemberForm = z
  .object({
    organisationId: z.preprocess(blankToUndefined, z.string().uuid('Choose an organisation from the list').optional()),
    name: z.preprocess(blankToUndefined, z.string().trim().max(150, 'Name must be 150 characters or fewer').optional()),
    // Schools and trusts come from the directory (they have a URN or a group): a partner added by name is neither.
    kind: z.preprocess(blankToUndefined, z.enum(ORGANISATION_KIND_VALUES.filter((k) => k !== 'school' && k !== 'trust') as [string, ...string[]], { message: 'Choose what kind of organisation it is' }).optional()),
    role: z.enum(MEMBER_ROLE_VALUES, { message: 'Choose its role' }),
  })
  .refine((f) => f.organisationId || (f.name && f.kind), { path: ['organisationId'], message: 'Choose an organisation on Trellis, or give the name and kind of one that is not' });
export type MemberForm = z.output<typeof MemberForm>;

export const StageForm = z.object({
  stage: z.enum(STAGE_VALUES, { message: 'Choose a stage' }),
  decidedOn: isoDate('date of the decision'),
  reason: text('Reason', 2000),
});
export type StageForm = z.output<typeof StageForm>;

export const AimForm = z.object({
  urn: z.coerce.number({ message: 'Choose a member school' }).int('Choose a member school'),
  theme: z.enum(THEME_VALUES, { message: 'Choose a theme' }),
  measure: z.enum(MEASURES.filter((m) => m.direction !== 'none').map((m) => m.code) as [string, ...string[]], { message: 'Choose a measure from the list' }),
  baseline: z.enum(['latest', 'before-start'], { message: 'Choose the baseline year' }).optional().default('latest'),
  aimDescription: text('Description', 2000),
});
export type AimForm = z.output<typeof AimForm>;

export const ActivityForm = z.object({
  happenedOn: isoDate('date'),
  activityKind: z.enum(ACTIVITY_KIND_VALUES, { message: 'Choose the kind of activity' }),
  participants: text('Participants', 2000),
  pupilsReached: optionalNumber('Pupils reached', 100_000).pipe(z.number().int('Pupils reached must be a whole number').nullable()),
  staffHours: optionalNumber('Staff hours', 100_000),
  resourcesShared: text('Resources shared', 2000),
  costPounds: optionalNumber('Cost', 10_000_000),
  notes: text('Notes', 5000),
});
export type ActivityForm = z.output<typeof ActivityForm>;

export const BenefitForm = z.object({
  benefitKind: z.enum(BENEFIT_KIND_VALUES, { message: 'Choose who benefited' }),
  benefitDescription: z.string({ message: 'Describe the benefit' }).trim().min(1, 'Describe the benefit').max(2000, 'Description must be 2,000 characters or fewer'),
  benefitEvidence: text('Evidence', 2000),
});
export type BenefitForm = z.output<typeof BenefitForm>;

export const DirectoryQuery = z.object({
  q: z.preprocess(blankToUndefined, z.string().max(200, 'Search terms must be 200 characters or fewer').optional()),
  type: z.preprocess(blankToUndefined, z.enum(PARTNERSHIP_TYPE_VALUES, { message: 'Choose a type from the list' }).optional()),
  stage: z.preprocess(blankToUndefined, z.enum(STAGE_VALUES, { message: 'Choose a stage from the list' }).optional()),
  theme: z.preprocess(blankToUndefined, z.enum(THEME_VALUES, { message: 'Choose a theme from the list' }).optional()),
  la: z.preprocess(blankToUndefined, z.string().regex(/^\d{3}$/, 'Choose a local authority from the list').optional()),
});

export const ModelQuery = z.object({ model: z.preprocess(blankToUndefined, z.enum(MODEL_IDS as [string, ...string[]], { message: 'Choose a model from the list' }).optional()) });
export const IdParams = z.object({ id: z.string().uuid('There is no such partnership') });
