import { z } from 'zod';
import { CUSTOM_INPUTS, MAX_CUSTOM_INPUTS } from '../../domain/similarity/families';
import { INPUTS, MODEL_IDS } from '../../domain/similarity/models';

export const MODEL_CHOICES = [...MODEL_IDS, 'custom'] as const;
export const MAX_WEIGHT = 10;

const weight = z.coerce
  .number({ message: 'Each weight must be a number from 0 to 10' })
  .refine((n) => Number.isFinite(n), { message: 'Each weight must be a number from 0 to 10' })
  .min(0, 'Weights cannot be negative')
  .max(MAX_WEIGHT, `Weights must be ${MAX_WEIGHT} or less`);

/** Query of the family and data-pack pages (and their API). Custom weights are `w_<input>` parameters. */
export const FamilyQuery = z
  .object({
    /** dfe-primary, dfe-secondary, fbit-pupil or custom; the school's own DfE model by default. */
    model: z.enum(MODEL_CHOICES, { message: `Choose a model: ${MODEL_CHOICES.join(', ')}` }).optional(),
    /** Custom models: how many schools in the family (5 to 100). */
    size: z.coerce.number({ message: 'Family size must be a number' }).int('Family size must be a whole number').min(5, 'A family needs at least 5 schools').max(100, 'A family can have at most 100 schools').optional().default(30),
    /** Custom models: only schools of the same GIAS phase. */
    samePhase: z.enum(['yes', 'no']).optional().default('no'),
    /** Custom models: only schools in the same region. */
    sameRegion: z.enum(['yes', 'no']).optional().default('no'),
    /** Chart axes: two inputs of the model. */
    x: z.string().max(40).optional(),
    y: z.string().max(40).optional(),
    ...Object.fromEntries(CUSTOM_INPUTS.map((name) => [`w_${name}`, weight.optional().describe(`Custom models: weight of ${INPUTS[name]!.label} (0–10)`)])),
  })
  .superRefine((q, ctx) => {
    if (q.model !== 'custom') return;
    const weights = CUSTOM_INPUTS.map((name) => (q as Record<string, unknown>)[`w_${name}`] as number | undefined);
    if (!weights.some((w) => (w ?? 0) > 0)) {
      ctx.addIssue({ code: 'custom', path: [`w_${CUSTOM_INPUTS[0]}`], message: 'Give at least one input a weight above 0' });
    }
  });
export type FamilyQuery = z.output<typeof FamilyQuery>;

/** The custom model a query describes: the inputs with a weight above 0. */
export function customSpec(q: FamilyQuery) {
  const chosen = CUSTOM_INPUTS.map((name) => ({ name, weight: (q as Record<string, unknown>)[`w_${name}`] as number | undefined })).filter((c) => (c.weight ?? 0) > 0);
  return { inputs: chosen.map((c) => c.name), weights: chosen.map((c) => c.weight!), size: q.size, samePhase: q.samePhase === 'yes', sameRegion: q.sameRegion === 'yes' };
}

/** `POST /api/v1/families`: a custom family for one school. */
export const CustomFamilyBody = z.object({
  urn: z.coerce.string().regex(/^\d{6}$/, 'A URN is six digits, such as 100049').transform(Number),
  inputs: z
    .array(z.enum(CUSTOM_INPUTS, { message: `Each input must be one of: ${CUSTOM_INPUTS.join(', ')}` }))
    .min(1, 'Choose at least one input')
    .max(MAX_CUSTOM_INPUTS, `Choose at most ${MAX_CUSTOM_INPUTS} inputs`)
    .refine((inputs) => new Set(inputs).size === inputs.length, { message: 'Each input can be chosen only once' }),
  weights: z.array(weight).min(1).max(MAX_CUSTOM_INPUTS, `At most ${MAX_CUSTOM_INPUTS} weights`),
  size: z.number().int().min(5).max(100).optional().default(30),
  samePhase: z.boolean().optional().default(false),
  sameRegion: z.boolean().optional().default(false),
}).superRefine((b, ctx) => {
  if (b.weights.length !== b.inputs.length) ctx.addIssue({ code: 'custom', path: ['weights'], message: 'Give one weight for each input' });
  else if (!b.weights.some((w) => w > 0)) ctx.addIssue({ code: 'custom', path: ['weights'], message: 'At least one weight must be above 0' });
});

export const ModelParams = z.object({ model: z.enum(MODEL_IDS, { message: `Choose a model: ${MODEL_IDS.join(', ')}` }) });
