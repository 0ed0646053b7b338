import { analyzeTerms, termSimilarity } from '@memnex/core';

/** Words a match ignores besides the engine's stopwords: who the fact is about is implied. */
const PRONOUNS = new Set([
  'my',
  'mine',
  'your',
  'yours',
  'their',
  'theirs',
  'our',
  'ours',
  'his',
  'her',
  'hers',
  'myself',
  'themselves',
]);

/** Least token-set Jaccard similarity for a predicted fact to match an expected one. */
export const JACCARD_THRESHOLD = 0.5;

/** The matching rules, printed with every table. */
export const MATCHING_DEFINITION = [
  'A predicted fact matches an expected fact of the same utterance when both have the same type',
  `and the Jaccard similarity of their term sets is at least ${JACCARD_THRESHOLD}. Terms are the engine's`,
  'lexical terms (NFKC, lower case, stopwords removed, Porter stems) without possessive pronouns',
  'and without terms holding a digit (ids, amounts and dates are scored as entities). Matching is',
  'one-to-one, best pairs first. An entity matches when the same lower-cased "type:value" string',
  'is expected anywhere in the utterance (entities are compared as sets per utterance).',
  'Precision = matched / predicted, recall = matched / expected, F1 = 2PR / (P + R), all',
  'micro-averaged over the utterances of a split.',
].join('\n');

/** The term set a fact text is compared by. */
export function termsOf(text: string): Set<string> {
  return new Set(analyzeTerms(text).filter((term) => !PRONOUNS.has(term) && !/\d/u.test(term)));
}

/** A fact as matching sees it. */
export interface Comparable {
  type: string;
  text: string;
}

/**
 * One-to-one matching of predicted to expected facts: every same-type pair at or above the
 * threshold, best similarity first, each fact used once. Returns the matched pairs.
 */
export function matchFacts(
  predicted: readonly Comparable[],
  expected: readonly Comparable[],
): Array<[predicted: number, expected: number]> {
  const candidates: Array<{ p: number; e: number; score: number }> = [];
  const expectedTerms = expected.map((fact) => termsOf(fact.text));
  predicted.forEach((fact, p) => {
    const terms = termsOf(fact.text);
    expected.forEach((wanted, e) => {
      if (wanted.type !== fact.type) return;
      const score = termSimilarity(terms, expectedTerms[e]!);
      if (score >= JACCARD_THRESHOLD) candidates.push({ p, e, score });
    });
  });
  candidates.sort((a, b) => b.score - a.score || a.p - b.p || a.e - b.e);
  const usedP = new Set<number>();
  const usedE = new Set<number>();
  const pairs: Array<[number, number]> = [];
  for (const { p, e } of candidates) {
    if (usedP.has(p) || usedE.has(e)) continue;
    usedP.add(p);
    usedE.add(e);
    pairs.push([p, e]);
  }
  return pairs;
}
