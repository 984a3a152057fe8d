import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CUSTOM_INPUTS } from '../../domain/similarity/families';
import { INPUTS, MODEL_IDS, PRESET_MODELS, type ModelId } from '../../domain/similarity/models';
import { renderScatter, renderStrip } from '../../web/charts';
import { toCsv } from '../../web/csv';
import { queryString } from '../../web/query-string';
import { BadRequestError } from '../../web/errors';
import { UrnParams } from '../directory/directory.schema';
import { ErrorResponse } from '../api/api.schema';
import { customSpec, CustomFamilyBody, FamilyQuery, ModelParams, MAX_WEIGHT } from './families.schema';
import type { FamiliesService, FamilyView, NotInModel } from './families.service';

const MODEL_OPTIONS = [...MODEL_IDS.map((id) => ({ value: id, text: PRESET_MODELS[id].shortLabel, hint: PRESET_MODELS[id].description })), { value: 'custom', text: 'Custom: choose inputs and weights', hint: 'Any context inputs from the catalogue, your weights, z-scored. Shareable by its address.' }];

async function resolve(service: FamiliesService, urn: number, query: FamilyQuery): Promise<FamilyView | NotInModel> {
  if (query.model === 'custom') return service.custom(urn, customSpec(query));
  return service.family(urn, (query.model as ModelId | undefined) ?? (await service.defaultModel(urn)));
}

/** Shown beside each member in the family list: disadvantage, prior attainment and size, where the model has them. */
const KEY_INPUTS = [
  { name: 'PPPerc', short: 'Pupil premium', suffix: '%', decimals: 1 },
  { name: 'KS2MRP', short: 'KS2 prior', suffix: '', decimals: 1 },
  { name: 'Ks1PriorRwmAverage', short: 'KS1 prior', suffix: '', decimals: 2 },
  { name: 'SENTotal', short: 'SEN', suffix: '%', decimals: 1 },
  { name: 'NumberOfPupils', short: 'Pupils', suffix: '', decimals: 0 },
];

/** Parses the page query, turning validation problems into one clear 400 (the error page lists each field). */
function parseQuery(raw: unknown): FamilyQuery {
  const parsed = FamilyQuery.safeParse(raw);
  if (!parsed.success) {
    throw new BadRequestError(
      'The family settings are not valid.',
      parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'model'), message: i.message })),
    );
  }
  return parsed.data;
}

function scatter(view: FamilyView, x: string, y: string) {
  const points = [
    ...view.members.filter((m) => m.inputs[x] != null && m.inputs[y] != null).map((m) => ({ x: m.inputs[x]!, y: m.inputs[y]!, school: false })),
    ...(view.inputs[x] != null && view.inputs[y] != null ? [{ x: view.inputs[x]!, y: view.inputs[y]!, school: true }] : []),
  ];
  return renderScatter({
    title: `${view.school.name} and its family by ${INPUTS[x]!.label} and ${INPUTS[y]!.label}. The table of inputs below gives the figures.`,
    xLabel: INPUTS[x]!.label,
    yLabel: INPUTS[y]!.label,
    points,
  });
}

export function familyCsv(view: FamilyView): string {
  const inputs = view.model.inputs.map((i) => i.name);
  return toCsv(
    [
      ['Rank', 'URN', 'School', 'Local authority', 'Region', 'Distance', 'Distance (km)', ...inputs, ...inputs.map((i) => `Share of distance: ${i}`), 'Why similar'],
      ['0', view.school.urn, view.school.name, view.school.laName, view.school.regionName, 0, 0, ...inputs.map((i) => view.inputs[i] ?? ''), ...inputs.map(() => ''), 'This school'],
      ...view.members.map((m) => [m.rank, m.urn, m.name, m.laName, m.regionName, m.distance, m.distanceKm?.toFixed(1) ?? '', ...inputs.map((i) => m.inputs[i] ?? ''), ...inputs.map((i) => m.contributions[i]?.toFixed(4) ?? ''), m.sentence]),
    ],
  );
}

/** Family and data-pack pages, their CSV downloads, and the families API. */
export async function familiesRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const families = app.services.families;
  const base = (urn: number, name: string) => [
    { text: 'Find a school', href: '/' },
    { text: name, href: `/schools/${urn}` },
  ];

  r.get('/schools/:urn/family', { config: { pageCache: true }, schema: { hide: true, params: UrnParams } }, async (request, reply) => {
    const query = parseQuery(request.query);
    const view = await resolve(families, request.params.urn, query);
    const common = {
      breadcrumbs: [...base(view.school.urn, view.school.name), { text: 'Family of similar schools' }],
      query,
      modelOptions: MODEL_OPTIONS,
      customInputs: CUSTOM_INPUTS.map((name) => ({ name, label: INPUTS[name]!.label, value: (query as Record<string, unknown>)[`w_${name}`] ?? '' })),
      maxWeight: MAX_WEIGHT,
      selected: query.model ?? view.model.id,
    };
    if ('reason' in view) return reply.page('families/views/family.njk', { title: `${view.school.name}: family of similar schools`, ...common, notInModel: view });
    const names = view.model.inputs.map((i) => i.name);
    const x = query.x && names.includes(query.x) ? query.x : names.find((n) => INPUTS[n]!.concept === 'disadvantage') ?? names[0]!;
    const y = query.y && names.includes(query.y) && query.y !== x ? query.y : names.find((n) => n !== x && INPUTS[n]!.concept === 'prior attainment') ?? names.find((n) => n !== x) ?? x;
    const keyInputs = KEY_INPUTS.filter((k) => names.includes(k.name));
    return reply.page('families/views/family.njk', {
      title: `${view.school.name}: family of similar schools`,
      ...common,
      view,
      keyInputs,
      x,
      y,
      chart: scatter(view, x, y),
      queryString: queryString(request.query as Record<string, unknown>),
      mapPoints: JSON.stringify(view.members.filter((m) => m.latitude != null).map((m) => ({ n: m.name, u: m.urn, la: m.latitude, lo: m.longitude }))),
    });
  });

  r.get('/schools/:urn/family.csv', { config: { pageCache: true }, schema: { hide: true, params: UrnParams } }, async (request, reply) => {
    const view = await resolve(families, request.params.urn, parseQuery(request.query));
    if ('reason' in view) throw new BadRequestError(view.reason);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="family-${view.school.urn}-${view.model.id}.csv"`)
      .send(familyCsv(view));
  });

  r.get('/schools/:urn/data-pack', { config: { pageCache: true }, schema: { hide: true, params: UrnParams } }, async (request, reply) => {
    const query = parseQuery(request.query);
    const modelId = query.model && query.model !== 'custom' ? query.model : await families.defaultModel(request.params.urn);
    const pack = await families.dataPack(request.params.urn, modelId);
    const common = {
      breadcrumbs: [...base(pack.school.urn, pack.school.name), { text: 'Data pack' }],
      query,
      modelOptions: MODEL_OPTIONS.filter((m) => m.value !== 'custom'),
      selected: modelId,
    };
    if ('reason' in pack) return reply.page('families/views/data-pack.njk', { title: `${pack.school.name}: data pack`, ...common, notInModel: pack });
    return reply.page('families/views/data-pack.njk', {
      title: `${pack.school.name}: data pack`,
      ...common,
      pack,
      measures: pack.measures.map((m) => ({
        ...m,
        chart: renderStrip({
          title: `${m.measure.label}, ${m.yearLabel}: this school ${m.school.display} against its family (median ${m.standing.median?.toFixed(m.measure.decimals) ?? 'not available'}). The table gives the figures.`,
          label: m.measure.shortLabel,
          members: m.members.map((x) => x.value).filter((v): v is number => v !== null),
          school: m.school.value,
          median: m.standing.median,
          q1: m.standing.q1,
          q3: m.standing.q3,
        }),
      })),
      modelQuery: queryString({ model: modelId }),
    });
  });

  r.get('/schools/:urn/data-pack.csv', { config: { pageCache: true }, schema: { hide: true, params: UrnParams } }, async (request, reply) => {
    const query = parseQuery(request.query);
    const modelId = query.model && query.model !== 'custom' ? query.model : await families.defaultModel(request.params.urn);
    const pack = await families.dataPack(request.params.urn, modelId);
    if ('reason' in pack) throw new BadRequestError(pack.reason);
    const csv = toCsv(
      [
        ['Measure', 'Year', 'This school', 'Family median', 'Family lower quartile', 'Family upper quartile', 'Rank in family', 'Local authority', 'England', 'Bright spots (URNs)', 'Source'],
        ...pack.measures.map((m) => [m.measure.label, m.yearLabel, m.school.display, m.standing.median ?? '', m.standing.q1 ?? '', m.standing.q3 ?? '', m.rankText, m.la.display, m.england.display, m.brightSpots.map((b) => b.urn).join(' '), m.measure.source]),
      ],
    );
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="data-pack-${pack.school.urn}-${modelId}.csv"`).send(csv);
  });

  // API

  const memberSchema = z.object({
    urn: z.number().int(),
    name: z.string(),
    rank: z.number().int(),
    distance: z.number(),
    distanceKm: z.number().nullable(),
    inputs: z.record(z.string(), z.number().nullable()),
    contributions: z.record(z.string(), z.number()),
    why: z.string(),
    filled: z.array(z.string()),
  });
  const familyResponse = z.object({
    model: z.string(),
    label: z.string(),
    caveat: z.string().nullable(),
    urn: z.number().int(),
    inputs: z.record(z.string(), z.number().nullable()),
    members: z.array(memberSchema),
  });
  const toJson = (view: FamilyView) => ({
    model: view.model.id,
    label: view.model.label,
    caveat: view.model.caveat,
    urn: view.school.urn,
    inputs: view.inputs,
    members: view.members.map((m) => ({ urn: m.urn, name: m.name, rank: m.rank, distance: m.distance, distanceKm: m.distanceKm, inputs: m.inputs, contributions: m.contributions, why: m.sentence, filled: m.filled })),
  });

  r.get(
    '/api/v1/schools/:urn/family',
    {
      config: { pageCache: true },
      schema: {
        tags: ['families'],
        summary: "A school's family of similar schools under a model",
        description: 'model = dfe-primary, dfe-secondary (an approximation, labelled so), fbit-pupil or census-pupil (Trellis’s model on census inputs, for every school in the census); the school’s own DfE model by default, else census-pupil. Each member has its distance, input values and each input’s share of the squared distance.',
        params: UrnParams,
        querystring: z.object({ model: z.enum(MODEL_IDS, { message: `Choose a model: ${MODEL_IDS.join(', ')}` }).optional() }),
        response: { 200: familyResponse, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const view = await families.family(request.params.urn, request.query.model ?? (await families.defaultModel(request.params.urn)));
      if ('reason' in view) return reply.status(404).send({ statusCode: 404, error: 'Not in this model', message: view.reason, requestId: request.id });
      return toJson(view);
    },
  );

  r.post(
    '/api/v1/families',
    {
      schema: {
        tags: ['families'],
        summary: 'A custom family, computed live',
        description: 'Inputs from the catalogue with weights 0–10, z-scored over every school with similar-school inputs; missing inputs filled with the median and reported per member.',
        body: CustomFamilyBody,
        response: { 200: familyResponse, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const view = await families.custom(b.urn, { inputs: b.inputs, weights: b.weights, size: b.size, samePhase: b.samePhase, sameRegion: b.sameRegion });
      if ('reason' in view) return reply.status(404).send({ statusCode: 404, error: 'Not in this model', message: view.reason, requestId: request.id });
      return toJson(view);
    },
  );

  r.get(
    '/api/v1/models/:model/inputs',
    {
      config: { pageCache: true },
      schema: {
        tags: ['families'],
        summary: "Every school's input values under a model, so anyone can re-check a family",
        params: ModelParams,
        response: { 200: z.object({ model: z.string(), label: z.string(), inputs: z.array(z.object({ name: z.string(), label: z.string(), scale: z.number().nullable(), weight: z.number() })), schools: z.array(z.object({ urn: z.number().int(), inputs: z.record(z.string(), z.number().nullable()) })) }), 400: ErrorResponse },
      },
    },
    async (request) => {
      const result = await families.modelInputs(request.params.model);
      return { model: result.model.id, label: result.model.label, inputs: result.model.inputs, schools: result.schools };
    },
  );

  r.get(
    '/api/v1/schools/:urn/data-pack',
    {
      config: { pageCache: true },
      schema: {
        tags: ['families'],
        summary: "A school's outcomes against its family, LA and England, with bright spots",
        params: UrnParams,
        querystring: z.object({ model: z.enum(MODEL_IDS, { message: `Choose a model: ${MODEL_IDS.join(', ')}` }).optional() }),
        response: {
          200: z.object({
            model: z.string(),
            urn: z.number().int(),
            rule: z.string(),
            measures: z.array(
              z.object({
                measure: z.string(),
                label: z.string(),
                year: z.number().int().nullable(),
                value: z.number().nullable(),
                status: z.string().nullable(),
                familyMedian: z.number().nullable(),
                familyQ1: z.number().nullable(),
                familyQ3: z.number().nullable(),
                rank: z.number().int().nullable(),
                of: z.number().int(),
                la: z.number().nullable(),
                england: z.number().nullable(),
                brightSpots: z.array(z.object({ urn: z.number().int(), value: z.number(), by: z.number() })),
                source: z.string(),
              }),
            ),
          }),
          400: ErrorResponse,
          404: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const modelId = request.query.model ?? (await families.defaultModel(request.params.urn));
      const pack = await families.dataPack(request.params.urn, modelId);
      if ('reason' in pack) return reply.status(404).send({ statusCode: 404, error: 'Not in this model', message: pack.reason, requestId: request.id });
      return {
        model: modelId,
        urn: pack.school.urn,
        rule: pack.rule,
        measures: pack.measures.map((m) => ({
          measure: m.measure.code,
          label: m.measure.label,
          year: m.year,
          value: m.school.value,
          status: m.school.missing ? m.school.display : null,
          familyMedian: m.standing.median,
          familyQ1: m.standing.q1,
          familyQ3: m.standing.q3,
          rank: m.standing.rank,
          of: m.standing.of,
          la: m.la.value,
          england: m.england.value,
          brightSpots: m.brightSpots.map(({ urn, value, by }) => ({ urn, value, by })),
          source: m.measure.source,
        })),
      };
    },
  );
}
