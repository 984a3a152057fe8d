import { z } from 'zod';
import { COST_VALUES, DECLINE_REASON_VALUES, DELIVERY_MODE_VALUES, HELP_KIND_VALUES, NEED_VISIBILITY_VALUES, OFFER_VISIBILITY_VALUES, REVIEW_RATING_VALUES, URGENCY_VALUES } from '../../domain/brokerage/catalogue';
import { MEASURES } from '../../domain/measures/catalogue';
import { PRACTICE_PHASE_VALUES, THEME_VALUES } from '../../domain/practice/themes';
import { MODEL_IDS } from '../../domain/similarity/models';
import { blankToUndefined, isoDate, listOf, text } from '../../web/form-fields';

const title = z.string({ message: 'Enter a title' }).trim().min(1, 'Enter a title').max(150, 'Title must be 150 characters or fewer');
const kinds = listOf(z.enum(HELP_KIND_VALUES, { message: 'Choose kinds of help from the list' }), 7, 'Too many kinds of help').refine((k) => k.length > 0, { message: 'Choose at least one kind of help' });
const organisationId = z.string({ message: 'Choose the organisation' }).uuid('Choose the organisation');
const MEASURE_CODES = MEASURES.map((m) => m.code) as [string, ...string[]];

export const NeedForm = z
  .object({
    organisationId,
    title,
    description: text('Description', 5000),
    theme: z.enum(THEME_VALUES, { message: 'Choose a theme from the list' }),
    measures: listOf(z.enum(MEASURE_CODES, { message: 'Choose measures from the list' }), 5, 'Choose 5 measures or fewer'),
    phase: z.enum(PRACTICE_PHASE_VALUES, { message: 'Choose a phase' }),
    kinds,
    timeFrame: text('Time frame', 200),
    urgency: z.enum(URGENCY_VALUES, { message: 'Choose how urgent it is' }).optional().default('medium'),
    visibility: z.enum(NEED_VISIBILITY_VALUES, { message: 'Choose who can see it' }).optional().default('facilitators'),
    visibleTo: listOf(z.string().uuid('Choose organisations from the list'), 20, 'Name 20 organisations or fewer'),
  })
  .refine((f) => f.visibility !== 'named' || f.visibleTo.length > 0, { path: ['visibleTo'], message: 'Choose at least one organisation that may see it' });
export type NeedForm = z.output<typeof NeedForm>;

export const OfferForm = z
  .object({
    organisationId,
    title,
    description: text('Description', 5000),
    themes: listOf(z.enum(THEME_VALUES, { message: 'Choose themes from the list' }), 5, 'Choose 5 themes or fewer').refine((t) => t.length > 0, { message: 'Choose at least one theme' }),
    kinds,
    phases: listOf(z.enum(PRACTICE_PHASE_VALUES, { message: 'Choose phases from the list' }), 6, 'Too many phases').refine((p) => p.length > 0, { message: 'Choose at least one phase the offer is for' }),
    capacity: z.preprocess(blankToUndefined, z.coerce.number({ message: 'Enter the number of places, like 2' }).int('Enter a whole number of places').min(0, 'Places cannot be below zero').max(500, 'Enter 500 places or fewer')),
    mode: z.enum(DELIVERY_MODE_VALUES, { message: 'Choose how the help is given' }),
    radiusKm: z.preprocess(blankToUndefined, z.coerce.number({ message: 'Enter a distance in kilometres, like 10' }).int('Enter a whole number of kilometres').min(1, 'Enter a distance of at least 1 km').max(500, 'Enter 500 km or less').optional()),
    cost: z.enum(COST_VALUES, { message: 'Choose the cost' }).optional().default('free'),
    visibility: z.enum(OFFER_VISIBILITY_VALUES, { message: 'Choose who can see it' }).optional().default('public'),
  })
  .transform((f) => ({ ...f, radiusKm: f.radiusKm ?? null }))
  .refine((f) => f.mode === 'remote' || f.radiusKm !== null, { path: ['radiusKm'], message: 'Enter how far you can travel, in kilometres' });
export type OfferForm = z.output<typeof OfferForm>;

export const IntroductionForm = z.object({
  needId: z.string().uuid('Choose a need'),
  offerId: z.string().uuid('Choose an offer'),
  message: z.string().trim().min(1, 'Write a short message saying what you hope for').max(2000, 'Message must be 2,000 characters or fewer'),
});
export type IntroductionForm = z.output<typeof IntroductionForm>;


export const AcceptForm = z
  .object({
    objective1: z.string().trim().min(1, 'Write at least one objective').max(500, 'Objectives must be 500 characters or fewer'),
    objective1Measure: z.preprocess(blankToUndefined, z.enum(MEASURE_CODES, { message: 'Choose a measure from the list' }).optional()),
    objective2: text('Objective 2', 500),
    objective2Measure: z.preprocess(blankToUndefined, z.enum(MEASURE_CODES, { message: 'Choose a measure from the list' }).optional()),
    objective3: text('Objective 3', 500),
    objective3Measure: z.preprocess(blankToUndefined, z.enum(MEASURE_CODES, { message: 'Choose a measure from the list' }).optional()),
    startsOn: isoDate('start date'),
    endsOn: isoDate('end date'),
  })
  .refine((f) => f.endsOn > f.startsOn, { path: ['endsOn'], message: 'The end date must be after the start date' })
  .transform((f) => ({
    startsOn: f.startsOn,
    endsOn: f.endsOn,
    objectives: (
      [
        [f.objective1, f.objective1Measure],
        [f.objective2, f.objective2Measure],
        [f.objective3, f.objective3Measure],
      ] as const
    )
      .filter(([t]) => t.length > 0)
      .map(([t, m]) => ({ text: t, measure: m ?? null })),
  }));
export type AcceptForm = z.output<typeof AcceptForm>;

export const DeclineForm = z.object({
  reason: z.enum(DECLINE_REASON_VALUES, { message: 'Choose a reason' }),
  note: text('Note', 1000),
});
export type DeclineForm = z.output<typeof DeclineForm>;

export const ReviewForm = z.object({
  term: z.string({ message: 'Enter the term, like Spring 2027' }).trim().min(1, 'Enter the term, like Spring 2027').max(40, 'Term must be 40 characters or fewer'),
  rating: z.enum(REVIEW_RATING_VALUES, { message: 'Choose green, amber or red' }),
  notes: text('Notes', 5000),
});
export type ReviewForm = z.output<typeof ReviewForm>;

export const CloseForm = z.object({
  reflection: z.string({ message: 'Write a short reflection' }).trim().min(1, 'Write a short reflection: what worked, what did not, what you would tell others').max(5000, 'Reflection must be 5,000 characters or fewer'),
});
export type CloseForm = z.output<typeof CloseForm>;

export const ListQuery = z.object({
  theme: z.preprocess(blankToUndefined, z.enum(THEME_VALUES, { message: 'Choose a theme from the list' }).optional()),
  kind: z.preprocess(blankToUndefined, z.enum(HELP_KIND_VALUES, { message: 'Choose a kind of help from the list' }).optional()),
  phase: z.preprocess(blankToUndefined, z.enum(PRACTICE_PHASE_VALUES, { message: 'Choose a phase from the list' }).optional()),
  la: z.preprocess(blankToUndefined, z.string().regex(/^\d{3}$/, 'Choose a local authority from the list').optional()),
});
export type ListQuery = z.output<typeof ListQuery>;

export const MatchQuery = z.object({
  model: z.preprocess(blankToUndefined, z.enum(MODEL_IDS as [string, ...string[]], { message: 'Choose a model from the list' }).optional()),
});

export const IdParams = z.object({ id: z.string().uuid('There is no such page') });
