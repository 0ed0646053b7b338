import { splitSentences } from '../extract/sentences.js';
import { analyzeTerms, tokenize } from '../text/analyze.js';

const CLAUSE_END = /;\s+/u;
const BULLET = /^\s*(?:[-*•]|\d+[.)])\s+/u;
const COURTESY =
  /^(?:hi|hello|hey|thanks|thank you|sure|of course|okay|ok|great|no problem|you're welcome|have a (?:nice|great|good) day|goodbye|bye)\b[\s\S]{0,30}$/iu;
const SECOND_PERSON = /\b(?:you|your|yours|you've|you're|you'd)\b/iu;
const PAST_REFERENCE =
  /\b(?:last time|previously|earlier|before|already|again|as (?:you|we) (?:said|discussed|mentioned))\b/iu;

/** One checkable statement of a draft. */
export interface Claim {
  text: string;
  /** Stemmed content terms. */
  terms: string[];
  /** Numbers and codes (order ids, amounts) the claim states. */
  specifics: string[];
  /** The claim is about this person (second person, their numbers, their history). */
  userSpecific: boolean;
}

/** Numbers and alphanumeric codes of a text: the details a hallucination gets wrong. */
export function specificsOf(text: string): string[] {
  return tokenize(text).filter((token) => /\d/.test(token));
}

/**
 * Split a draft reply into claims: sentences (as raw-text extraction splits them, so "Rs. 499" or
 * "order no. 4521" stay whole), clauses after `;`, and bullet items, without questions, greetings and
 * fragments that state nothing (fewer than two content terms).
 */
export function splitClaims(draft: string): Claim[] {
  const claims: Claim[] = [];
  const pieces = splitSentences(draft).flatMap((sentence) => sentence.split(CLAUSE_END));
  for (const piece of pieces) {
    const text = piece.replace(BULLET, '').trim();
    if (!text || text.endsWith('?') || COURTESY.test(text)) continue;
    const terms = analyzeTerms(text);
    if (terms.length < 2) continue;
    const specifics = specificsOf(text);
    claims.push({
      text,
      terms,
      specifics,
      userSpecific: SECOND_PERSON.test(text) || PAST_REFERENCE.test(text) || specifics.length > 0,
    });
  }
  return claims;
}
