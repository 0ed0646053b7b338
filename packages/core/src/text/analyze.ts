import { stemmer } from 'stemmer';

/**
 * English function words left out of lexical matching. Kept short on purpose: pronouns and
 * negations that carry meaning in customer speech ("not", "never", "my") are not in it.
 */
const STOPWORDS = new Set(
  (
    'a an the and or but if then else of at by for with about against between into through ' +
    'during before after above below to from up down in out on off over under again further ' +
    'once here there when where why how all any both each few more most other some such only ' +
    'own same so than too very s t can will just don should now is are was were be been being ' +
    'have has had having do does did doing i me we us you he him she it its they them this ' +
    'that these those am would could shall may might must also yeah oh ok okay hey hi hello ' +
    'um uh like really just got get what which who whom'
  ).split(' '),
);

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu;

/**
 * Canonical form of a text for equality: Unicode NFKC, lower case, inner whitespace collapsed,
 * trailing punctuation dropped. Two facts with the same normal form are duplicates.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s.!?;,:]+$/u, '');
}

/** Lower-cased words of a text, punctuation stripped, in order. */
export function tokenize(text: string): string[] {
  const words = text.normalize('NFKC').toLowerCase().match(WORD) ?? [];
  return words.map((word) => word.replace(/['’]s$/u, '').replace(/['’]/gu, ''));
}

/** Stem one lower-cased word (Porter). Numbers and codes are kept as they are. */
export function stem(word: string): string {
  return /^[a-z]+$/.test(word) ? stemmer(word) : word;
}

/**
 * The terms used for lexical matching: tokens without stopwords, stemmed. The same function
 * serves indexing and querying, so both sides always agree.
 */
export function analyzeTerms(text: string): string[] {
  const terms: string[] = [];
  for (const token of tokenize(text)) {
    if (token.length === 0 || STOPWORDS.has(token)) continue;
    terms.push(stem(token));
  }
  return terms;
}

/** Jaccard similarity of two term sets, in [0, 1]; two empty sets are identical. */
export function termSimilarity(left: ReadonlySet<string>, right: ReadonlySet<string>): number {
  if (left.size === 0 && right.size === 0) return 1;
  let shared = 0;
  for (const term of left) if (right.has(term)) shared += 1;
  return shared / (left.size + right.size - shared);
}

/** True when `word` is a stopword of {@link analyzeTerms}. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word.toLowerCase());
}
