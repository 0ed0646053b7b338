const SEGMENTER = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Abbreviations whose full stop does not end a sentence ("order no. 4521", "Rs. 499"). */
const ABBREVIATION =
  /(?:^|[\s(])(?:no|nos|nr|mr|mrs|ms|dr|rs|st|vs|approx|ref|inv|e\.g|i\.e|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|sr|jr|inc|ltd|co|dept|tel|ph|a\.m|p\.m)\.$/iu;

/**
 * Split text into sentences with `Intl.Segmenter`, joining the pieces it breaks after common
 * abbreviations. Line breaks always end a sentence. Linear in the length of the text.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let pending = '';
  for (const { segment } of SEGMENTER.segment(text)) {
    for (const [position, line] of segment.split('\n').entries()) {
      const piece = line.trim();
      if (position > 0 && pending) {
        sentences.push(pending);
        pending = '';
      }
      if (!piece) continue;
      pending = pending ? `${pending} ${piece}` : piece;
      if (!ABBREVIATION.test(pending)) {
        sentences.push(pending);
        pending = '';
      }
    }
  }
  if (pending) sentences.push(pending);
  return sentences;
}

// A clause starts after a connective, or after a comma or dash followed by a new subject.
const CLAUSE_BREAK =
  /\s*[;–—]\s*|\s+-\s+|,?\s+(?=(?:but|because|since|although|though|cause|coz|cos|so that|and also|and then|and i|and my|and it|and the|and they|and we|and add|and get|and please|so i|so we|so please|so my|so the|so it)\b)|,\s*(?=(?:i|i'm|i've|i'd|i'll|im|it|it's|its|they|they're|my|we|we're|please|pls|plz|and|so|which|nobody|everything|the|could you|can you|would you|do you|is there|are there|can i|could i|keep|your)\b)/giu;

/** A clause of a sentence, and the text that separates it from the next one. */
export interface ClausePiece {
  text: string;
  /** The connective or punctuation before the next clause, as written ("" for the last). */
  separator: string;
}

/**
 * Split a sentence into clauses at connectives ("but", "because", "; ") and at commas that
 * start a new subject ("..., I work night shifts"). The connective stays with its clause; a
 * piece of one or two words joined by a bare connective stays with what follows ("My husband
 * and I are vegan").
 */
export function splitClauses(sentence: string): ClausePiece[] {
  const clauses: ClausePiece[] = [];
  let start = 0;
  let carry = '';
  const push = (piece: string, separator: string) => {
    const text = `${carry}${piece}`.trim();
    carry = '';
    if (!text) return;
    if (text.split(/\s+/u).length <= 2 && separator !== '' && !/[,;–—-]/u.test(separator)) {
      carry = `${text}${separator}`;
      return;
    }
    clauses.push({ text, separator });
  };
  for (const match of sentence.matchAll(CLAUSE_BREAK)) {
    push(sentence.slice(start, match.index), match[0]);
    start = match.index + match[0].length;
  }
  push(sentence.slice(start), '');
  if (carry.trim()) clauses.push({ text: carry.trim(), separator: '' });
  return clauses;
}
