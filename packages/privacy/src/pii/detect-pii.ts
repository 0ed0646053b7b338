import { findDatesOfBirth } from './dates-of-birth.js';
import { findBankAccounts, findOtps } from './keyword-ids.js';
import { findMaskTokens } from './mask-token.js';
import { findNumericIds } from './numeric-ids.js';
import { checkRegion, findPhones } from './phones.js';
import {
  checkKinds,
  DEFAULT_PII_KINDS,
  PII_PRIORITY,
  type PiiCandidate,
  type PiiKind,
  type PiiSpan,
  VERIFIED_KINDS,
} from './pii-kind.js';
import { findEmails, findIbans, findPans } from './text-ids.js';

/** Options of {@link detectPii}. */
export interface DetectPiiOptions {
  /** Kinds to look for; defaults to {@link DEFAULT_PII_KINDS} (everything but `dob`). */
  kinds?: readonly PiiKind[];
  /**
   * ISO 3166-1 alpha-2 region for phone numbers written without a country code, e.g. `IN` makes
   * "09241063955" a phone. Without it only international numbers (`+91 ...`, `0091 ...`) are
   * phones.
   */
  defaultRegion?: string;
}

/**
 * Finds personal data in a text with the built-in detectors. The result is sorted by `start` and
 * never overlaps: when two findings overlap, the one of the kind listed first wins — credit_card,
 * iban, aadhaar, ssn (checked by Luhn, mod-97, Verhoeff, SSA rules), email, bank_account, otp, dob
 * (anchored by a keyword), phone, pan — and between two of one kind the longer wins. Mask tokens
 * already in the text (`[PHONE:…]`) are never reported.
 */
export function detectPii(text: string, options: DetectPiiOptions = {}): PiiSpan[] {
  return findPii(text, options).map(({ kind, start, end, value }) => ({ kind, start, end, value }));
}

/** {@link detectPii} with the canonical value of each span, for keyed tokens. */
export function findPii(text: string, options: DetectPiiOptions = {}): PiiCandidate[] {
  if (typeof text !== 'string') throw new TypeError('detectPii: text must be a string');
  const kinds = new Set(checkKinds(options.kinds ?? DEFAULT_PII_KINDS, 'detectPii'));
  const region = checkRegion(options.defaultRegion, 'detectPii');
  if (kinds.size === 0 || text.length === 0) return [];

  const tokens = findMaskTokens(text);
  const strong: PiiCandidate[] = findNumericIds(text, kinds);
  if (kinds.has('iban')) strong.push(...findIbans(text));
  if (kinds.has('email')) strong.push(...findEmails(text));
  if (kinds.has('bank_account')) strong.push(...findBankAccounts(text));
  if (kinds.has('otp')) strong.push(...findOtps(text));
  if (kinds.has('dob')) strong.push(...findDatesOfBirth(text));
  const kept = resolveOverlaps(strong, tokens);
  const weak: PiiCandidate[] = [];
  // libphonenumber may glue a phone to a neighbouring number ("123-45-6789, 919241063"), so
  // phones are looked for with the stronger findings and the tokens blanked out.
  if (kinds.has('phone')) weak.push(...findPhones(blank(text, kept, tokens), region));
  if (kinds.has('pan')) weak.push(...findPans(text));
  return weak.length === 0 ? kept : resolveOverlaps([...kept, ...weak], tokens);
}

/**
 * The built-in findings of a text merged with an external analyzer's. Checksum-verified built-in
 * findings (card, IBAN, Aadhaar, SSN) stay as they are; every other finding, built-in or
 * external, is resolved as built-in findings are among themselves (kind priority, then length);
 * nothing that overlaps a mask token survives.
 */
export function mergeSpans(
  text: string,
  builtin: readonly PiiCandidate[],
  external: readonly PiiCandidate[],
): PiiCandidate[] {
  if (external.length === 0) return [...builtin];
  const verified = builtin.filter((span) => VERIFIED_KINDS.has(span.kind));
  const fixed = [
    ...findMaskTokens(text),
    ...verified.map((span): [number, number] => [span.start, span.end]),
  ];
  const others = [...builtin.filter((span) => !VERIFIED_KINDS.has(span.kind)), ...external];
  return [...verified, ...resolveOverlaps(others, fixed)].sort(
    (left, right) => left.start - right.start,
  );
}

/**
 * The text with the given ranges overwritten by `|`, offsets unchanged: a character that ends a
 * phone number without making the digits next to it look like part of a word.
 */
function blank(text: string, spans: readonly PiiSpan[], tokens: Array<[number, number]>): string {
  if (spans.length === 0 && tokens.length === 0) return text;
  const ranges = [...spans.map((span): [number, number] => [span.start, span.end]), ...tokens];
  ranges.sort((left, right) => left[0] - right[0]);
  let result = '';
  let position = 0;
  for (const [start, end] of ranges) {
    if (start < position) continue;
    result += text.slice(position, start) + '|'.repeat(end - start);
    position = end;
  }
  return result + text.slice(position);
}

const RANK = new Map(PII_PRIORITY.map((kind, index) => [kind, index]));

/** Keeps, in priority order, every candidate that overlaps neither a kept one nor a mask token. */
function resolveOverlaps(
  candidates: PiiCandidate[],
  tokens: Array<[number, number]>,
): PiiCandidate[] {
  const ordered = candidates.sort(
    (left, right) =>
      RANK.get(left.kind)! - RANK.get(right.kind)! ||
      right.end - right.start - (left.end - left.start) ||
      left.start - right.start,
  );
  const taken = new RangeSet(tokens);
  const kept: PiiCandidate[] = [];
  for (const candidate of ordered) {
    if (taken.overlaps(candidate.start, candidate.end)) continue;
    taken.add(candidate.start, candidate.end);
    kept.push(candidate);
  }
  return kept.sort((left, right) => left.start - right.start);
}

/** Disjoint `[start, end)` ranges kept sorted, so an overlap test is a binary search. */
class RangeSet {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(ranges: Array<[number, number]>) {
    for (const [start, end] of ranges) this.add(start, end);
  }

  /** True when `[start, end)` shares a position with a range of the set. */
  overlaps(start: number, end: number): boolean {
    const index = this.firstEndingAfter(start);
    return index < this.starts.length && this.starts[index]! < end;
  }

  /** Adds a range that overlaps none of the set. */
  add(start: number, end: number): void {
    const index = this.firstEndingAfter(start);
    this.starts.splice(index, 0, start);
    this.ends.splice(index, 0, end);
  }

  private firstEndingAfter(position: number): number {
    let low = 0;
    let high = this.ends.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.ends[middle]! <= position) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
