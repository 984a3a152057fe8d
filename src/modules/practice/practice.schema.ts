import { z } from 'zod';
import { MEASURES } from '../../domain/measures/catalogue';
import { PRACTICE_PHASE_VALUES, THEME_VALUES } from '../../domain/practice/themes';

import { listOf, text } from '../../web/form-fields';

export const SUMMARY_MAX_WORDS = 60;

const words = (s: string) => s.trim().split(/\s+/).filter(Boolean).length;

/** The school context a study shows: filled from the data when the study is started, editable by the author. */
export const CONTEXT_KEYS = [
  { key: 'phase', label: 'Phase' },
  { key: 'pupils', label: 'Pupils' },
  { key: 'disadvantage', label: 'Pupil premium' },
  { key: 'eal', label: 'English as an additional language' },
  { key: 'sen', label: 'SEN support and EHC plans' },
  { key: 'region', label: 'Region' },
  { key: 'localAuthority', label: 'Local authority' },
] as const;

/** The case-study form. Markdown is allowed in the long fields; it is sanitised when shown. */
export const CaseStudyForm = z.object({
  title: z.string({ message: 'Enter a title' }).trim().min(1, 'Enter a title').max(150, 'Title must be 150 characters or fewer'),
  summary: z
    .string()
    .trim()
    .max(1000, 'Summary must be 60 words or fewer')
    .optional()
    .default('')
    .refine((s) => words(s) <= SUMMARY_MAX_WORDS, { message: `Summary must be ${SUMMARY_MAX_WORDS} words or fewer` }),
  contextNotes: text('Context'),
  challenge: text('The challenge'),
  approach: text('What you did'),
  impact: text('Evidence of impact'),
  impactMeasures: listOf(z.enum(MEASURES.map((m) => m.code) as [string, ...string[]], { message: 'Choose measures from the list' }), 10, 'Choose 10 measures or fewer'),
  applicability: text('What others could apply'),
  partners: text('Partners involved', 2000),
  themes: listOf(z.enum(THEME_VALUES, { message: 'Choose themes from the list' }), 5, 'Choose 5 themes or fewer').refine((t) => t.length > 0, { message: 'Choose at least one theme' }),
  phases: listOf(z.enum(PRACTICE_PHASE_VALUES, { message: 'Choose phases from the list' }), 6, 'Choose 6 phases or fewer'),
  contactPreference: z.enum(['introductions', 'none'], { message: 'Choose how others may contact you' }).optional().default('introductions'),
  visibility: z.enum(['public', 'members'], { message: 'Choose who can read it' }).optional().default('public'),
  organisationId: z.string().uuid('Choose the organisation it is written for').optional(),
  /** Facilitators only: draft on a leader's behalf (the leader becomes the author). */
  onBehalfOfEmail: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().email('Enter the leader’s email address, like name@example.org').optional()),
  ...Object.fromEntries(CONTEXT_KEYS.map((k) => [`context_${k.key}`, z.string().trim().max(100, `${k.label} must be 100 characters or fewer`).optional()])),
});

/** The context values given in the form, or undefined when the form had none (a new study takes them from the data). */
export function contextFromForm(form: Record<string, unknown>): Record<string, string> | undefined {
  const entries = CONTEXT_KEYS.map((k) => [k.key, form[`context_${k.key}`]] as const).filter(([, v]) => typeof v === 'string');
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.filter(([, v]) => (v as string) !== '')) as Record<string, string>;
}
export type CaseStudyForm = z.output<typeof CaseStudyForm>;

export const ReturnForm = z.object({ comment: z.string().trim().min(1, 'Write a comment for the author').max(5000, 'Comment must be 5,000 characters or fewer') });
export const CoAuthorForm = z.object({
  coAuthorEmail: z.string().trim().min(1, 'Enter the email address of a colleague').max(320).email('Enter an email address in the correct format, like name@example.org'),
});
export const ReplyForm = z.object({ reply: z.string().trim().min(1, 'Write a reply').max(4000, 'Reply must be 4,000 characters or fewer') });
export const LearnMoreForm = z.object({ message: z.string().trim().min(1, 'Write a short message to the author').max(2000, 'Message must be 2,000 characters or fewer') });

export const PracticeQuery = z.object({
  q: z.string().max(200, 'Search terms must be 200 characters or fewer').optional().default(''),
  theme: listOf(z.enum(THEME_VALUES, { message: 'Choose a theme from the list' }), 13, 'Too many themes'),
  phase: listOf(z.enum(PRACTICE_PHASE_VALUES, { message: 'Choose a phase from the list' }), 6, 'Too many phases'),
  region: listOf(z.string().regex(/^[A-K]$/, 'Choose a region from the list'), 9, 'Too many regions'),
  kind: listOf(z.string().max(40), 13, 'Too many kinds'),
  year: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number({ message: 'Enter a year, like 2025' }).int('Enter a year, like 2025').min(2000, 'Enter a year from 2000').max(2100, 'Enter a year before 2100').optional()),
  order: z.enum(['relevance', 'newest', 'like-mine'], { message: 'Choose an order from the list' }).optional().default('relevance'),
  page: z.coerce.number().int().min(1).max(500).optional().default(1),
});
export type PracticeQuery = z.output<typeof PracticeQuery>;

export const CaseStudyParams = z.object({ id: z.string().uuid('There is no such case study') });
