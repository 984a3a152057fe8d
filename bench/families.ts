import { readFileSync } from 'node:fs';
import { naiveNearest, prepare } from '../src/domain/similarity/engine';
import { customFamily, CUSTOM_INPUTS, dfeFamilies, toColumns, type SchoolInputs } from '../src/domain/similarity/families';
import { PRESET_MODELS } from '../src/domain/similarity/models';

/**
 * National-scale families from the real secondary inputs, resampled to `count` schools with ±5% noise on each input
 * (DOMAIN.md: exact copies make ties dominate and flatter a nearest-neighbour index).
 */
export function resampledSchools(count: number): SchoolInputs[] {
  const model = PRESET_MODELS['dfe-secondary'];
  const real = (JSON.parse(readFileSync('data/sample/measures/SimilarSchoolsSecondaryValuesEntry.json', 'utf8')) as Record<string, string | null>[]).filter((r) =>
    model.inputs.every((i) => r[i] !== null && r[i] !== '' && Number.isFinite(Number(r[i]))),
  );
  let seed = 20261128;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  return Array.from({ length: count }, (_, i) => {
    const r = real[i % real.length]!;
    return {
      urn: 200000 + i,
      values: Object.fromEntries(model.inputs.map((name) => [name, Number(r[name]) * (0.95 + 0.1 * random())])),
      region: 'ABDEFGHJK'[i % 9]!,
      phase: 'Secondary',
    };
  });
}

export interface FamiliesBench {
  schools: number;
  fastSeconds: number;
  naiveSeconds: number;
  identical: boolean;
  customMsP50: number;
  customMsP95: number;
}

export function benchFamilies(count = 22_000): FamiliesBench {
  const model = PRESET_MODELS['dfe-secondary'];
  const schools = resampledSchools(count);
  let started = performance.now();
  const fast = dfeFamilies(model, schools);
  const fastSeconds = (performance.now() - started) / 1000;

  // The naive reference: every pair, brute force, one school at a time.
  const matrix = { urns: Int32Array.from(schools.map((s) => s.urn)), values: Float64Array.from(schools.flatMap((s) => model.inputs.map((i) => s.values[i] as number))), k: model.inputs.length };
  const p = prepare(matrix, { scales: [...model.publishedScales!], weights: model.weights });
  started = performance.now();
  let identical = true;
  for (let i = 0; i < p.n; i++) {
    const slow = naiveNearest(p, i, model.size);
    if (i % 500 === 0) {
      const ours = fast.families.get(p.urns[i]!)!.map((m) => m.urn);
      identical &&= JSON.stringify(ours) === JSON.stringify(slow.rows.map((r) => p.urns[r]));
    }
  }
  const naiveSeconds = (performance.now() - started) / 1000;

  // As the service does: the columns are built once per data version and reused for every custom family.
  const columns = toColumns(schools, CUSTOM_INPUTS);
  const times: number[] = [];
  const spec = { inputs: ['PPPerc', 'KS2MRP', 'PercentEAL', 'NumberOfPupils', 'IdaciPupils'], weights: [3, 2, 1, 1, 1], size: 50, samePhase: false, sameRegion: false };
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    customFamily(spec, columns, schools[(i * 97) % schools.length]!.urn);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { schools: count, fastSeconds, naiveSeconds, identical, customMsP50: times[100]!, customMsP95: times[190]! };
}
