import type { InputDefinition } from './models';

/**
 * Why two schools are similar, in a sentence a school leader understands: "Very similar disadvantage and prior
 * attainment; much larger." Each input's difference is measured in its model's own scale units (the s_k of the
 * distance), so "similar" means "contributes little to the distance".
 */

/** Below this many scale units apart, an input is "very similar"; below SIMILAR, "similar"; above MUCH, "much …". */
export const VERY_SIMILAR = 0.05;
export const SIMILAR = 0.15;
export const MUCH = 0.4;
export const MAX_DIFFERENCES = 3;

export interface InputComparison {
  input: InputDefinition;
  school: number;
  member: number;
  scale: number;
  /** Share of the squared distance (0–1). */
  share: number;
}

function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

const conceptWord = (input: InputDefinition) => input.concept;

/**
 * The sentence for one family member. Inputs that contribute nothing to the distance (zero weight or zero scale)
 * are left out. The member is described relative to the school ("larger" = the member has more pupils).
 */
export function explainSimilarity(comparisons: readonly InputComparison[]): string {
  const used = comparisons.filter((c) => c.scale > 0 && Number.isFinite(c.scale));
  if (used.length === 0) return 'No inputs distinguish these schools.';
  const verySimilar: string[] = [];
  const similar: string[] = [];
  const different: { words: string; share: number }[] = [];
  for (const c of used) {
    const gap = Math.abs(c.member - c.school) / c.scale;
    const concept = conceptWord(c.input);
    if (gap < VERY_SIMILAR) verySimilar.push(concept);
    else if (gap < SIMILAR) similar.push(concept);
    else {
      const direction = c.member > c.school ? c.input.more : c.input.less;
      different.push({ words: `${gap >= MUCH ? 'much ' : ''}${direction}`, share: c.share });
    }
  }
  const parts: string[] = [];
  if (verySimilar.length) parts.push(`very similar ${joinWords([...new Set(verySimilar)])}`);
  if (similar.length) parts.push(`similar ${joinWords([...new Set(similar)])}`);
  // The three biggest differences are enough to read at a glance; the inputs table has the rest.
  const differences = different.sort((a, b) => b.share - a.share).slice(0, MAX_DIFFERENCES).map((d) => d.words);
  const sentence = [...parts, ...differences].join('; ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1) + '.';
}
