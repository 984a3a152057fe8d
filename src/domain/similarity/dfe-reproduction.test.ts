import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { dfeFamilies, type SchoolInputs } from './families';
import { PRESET_MODELS } from './models';

/**
 * Golden figures from an independent source: the DfE's own published similar-school groups
 * (data/sample/measures/SimilarSchoolsPrimaryGroupsEntry.json, copied unchanged from the DfE's service).
 */
type Row = Record<string, string>;
const readInputs = (file: string, inputs: readonly string[]): SchoolInputs[] =>
  (JSON.parse(readFileSync(`data/sample/measures/${file}`, 'utf8')) as Row[]).map((r) => ({
    urn: Number(r.URN),
    values: Object.fromEntries(inputs.map((name) => [name, r[name] === null || r[name] === undefined || r[name] === '' ? null : Number(r[name])])),
    region: null,
    phase: null,
  }));

describe('DfE primary model reproduces the published distances', () => {
  const model = PRESET_MODELS['dfe-primary'];
  const schools = readInputs('SimilarSchoolsPrimaryValuesEntry.json', model.inputs);
  const published = (JSON.parse(readFileSync('data/sample/measures/SimilarSchoolsPrimaryGroupsEntry.json', 'utf8')) as Row[]).map((r) => ({
    urn: Number(r.URN),
    neighbour: Number(r.NeighbourURN),
    distance: Number(r.Dist),
    rank: Number(r.Rank),
  }));
  const computed = dfeFamilies({ ...model, size: 92 }, schools);
  const withInputs = new Set(schools.map((s) => s.urn));
  const pairs = published.filter((p) => withInputs.has(p.urn) && withInputs.has(p.neighbour));

  it('has pairs to check', () => {
    expect(pairs.length).toBeGreaterThan(100);
  });

  it('matches every published distance between schools whose inputs are in the data, to 1e-9', () => {
    let worst = 0;
    for (const pair of pairs) {
      const member = computed.families.get(pair.urn)!.find((m) => m.urn === pair.neighbour)!;
      expect(member, `${pair.urn} → ${pair.neighbour}`).toBeDefined();
      worst = Math.max(worst, Math.abs(member.distance - pair.distance));
    }
    expect(worst).toBeLessThan(1e-9);
  });

  it("keeps the published rank order among those pairs", () => {
    const byUrn = new Map<number, typeof pairs>();
    for (const p of pairs) byUrn.set(p.urn, [...(byUrn.get(p.urn) ?? []), p]);
    for (const [urn, list] of byUrn) {
      const publishedOrder = [...list].sort((a, b) => a.rank - b.rank).map((p) => p.neighbour);
      const ours = computed.families.get(urn)!.filter((m) => list.some((p) => p.neighbour === m.urn)).map((m) => m.urn);
      expect(ours, `family of ${urn}`).toEqual(publishedOrder);
    }
  });
});

describe('DfE secondary approximation against the published groups', () => {
  it('recovers most of each published family (the figure DOMAIN.md reports: about 72%)', () => {
    const model = PRESET_MODELS['dfe-secondary'];
    const schools = readInputs('SimilarSchoolsSecondaryValuesEntry.json', model.inputs);
    const computed = dfeFamilies(model, schools);
    const rows = parse(readFileSync('data/sample/measures/SimilarSchoolsSecondaryGroupsEntry-part.csv'), { columns: true }) as Row[];
    const groups = new Map<number, Set<number>>();
    for (const r of rows) groups.set(Number(r.URN), (groups.get(Number(r.URN)) ?? new Set()).add(Number(r.NeighbourURN)));
    let overlap = 0;
    let total = 0;
    for (const [urn, members] of groups) {
      if (members.size !== 50 || !computed.families.has(urn)) continue;
      const ours = new Set(computed.families.get(urn)!.map((m) => m.urn));
      overlap += [...members].filter((m) => ours.has(m)).length;
      total += 50;
    }
    const share = overlap / total;
    console.log(`secondary approximation: ${(share * 100).toFixed(1)}% of published families recovered over ${total / 50} schools`);
    expect(share).toBeGreaterThan(0.6);
  });
});
