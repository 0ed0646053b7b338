import { isValidIban, isValidPan, IBAN_LENGTHS } from './checksums.js';
import type { PiiCandidate } from './pii-kind.js';

const LOCAL_CHAR = /[\p{L}\p{N}._%+-]/u;
const DOMAIN_CHAR = /[\p{L}\p{N}.-]/u;
const DOMAIN_LABEL = /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u;
const TOP_LEVEL = /^(?:\p{L}{2,63}|xn--[a-z0-9-]{2,59})$/iu;

/**
 * Email addresses. The scan starts at each `@` and walks outwards over address characters, so
 * it costs one pass however long the text is (a pattern like `[\w.]+@` would rescan every word).
 */
export function findEmails(text: string): PiiCandidate[] {
  const found: PiiCandidate[] = [];
  let searchFrom = 0;
  for (;;) {
    const at = text.indexOf('@', searchFrom);
    if (at === -1) return found;
    searchFrom = at + 1;
    let start = at;
    while (start > 0 && at - start < 64 && LOCAL_CHAR.test(text[start - 1]!)) start -= 1;
    while (text[start] === '.') start += 1;
    let end = at + 1;
    while (end < text.length && end - at <= 253 && DOMAIN_CHAR.test(text[end]!)) end += 1;
    while (end > at + 1 && /[.-]/.test(text[end - 1]!)) end -= 1;
    const local = text.slice(start, at);
    const domain = text.slice(at + 1, end);
    if (local.length === 0 || local.endsWith('.') || local.includes('..')) continue;
    const labels = domain.split('.');
    if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) continue;
    if (!TOP_LEVEL.test(labels.at(-1)!)) continue;
    const value = text.slice(start, end);
    found.push({ kind: 'email', start, end, value, canonical: value.toLowerCase() });
    searchFrom = end;
  }
}

/** A country code, two check digits and 11-30 letters or digits, single spaces allowed. */
const IBAN_CANDIDATE = /(?<![\p{L}\p{N}])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}/gu;

/**
 * IBANs that have their country's length and pass mod-97. A candidate may run into the next
 * word ("DE89 3704 0044 0532 0130 00 is mine"), so it is cut at the length its country code
 * demands before it is checked.
 */
export function findIbans(text: string): PiiCandidate[] {
  const found: PiiCandidate[] = [];
  const pattern = new RegExp(IBAN_CANDIDATE);
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const candidate = ibanAt(text, match.index, match[0]);
    // The greedy candidate may have swallowed the start of the next IBAN: resume right after
    // what was kept, not after what was matched.
    pattern.lastIndex = candidate ? candidate.end : match.index + 1;
    if (candidate) found.push(candidate);
  }
  return found;
}

function ibanAt(text: string, start: number, raw: string): PiiCandidate | null {
  const expected = IBAN_LENGTHS[raw.slice(0, 2).toUpperCase()];
  if (expected === undefined) return null;
  let kept = 0;
  let cut = 0;
  while (cut < raw.length && kept < expected) {
    if (raw[cut] !== ' ') kept += 1;
    cut += 1;
  }
  const end = start + cut;
  if (kept !== expected || /[\p{L}\p{N}]/u.test(text[end] ?? '')) return null;
  const value = text.slice(start, end);
  const compact = value.replace(/ /g, '');
  // Mixed case is prose, not an IBAN; all lower case is accepted and normalised.
  if (compact !== compact.toUpperCase() && compact !== compact.toLowerCase()) return null;
  const canonical = compact.toUpperCase();
  return isValidIban(canonical) ? { kind: 'iban', start, end, value, canonical } : null;
}

const PAN_CANDIDATE = /(?<![\p{L}\p{N}])[A-Za-z]{5}\d{4}[A-Za-z](?![\p{L}\p{N}])/gu;

/** Indian PANs `AAAAA9999A` with a valid holder-type letter; all upper or all lower case. */
export function findPans(text: string): PiiCandidate[] {
  const found: PiiCandidate[] = [];
  for (const match of text.matchAll(PAN_CANDIDATE)) {
    const value = match[0];
    if (value !== value.toUpperCase() && value !== value.toLowerCase()) continue;
    const canonical = value.toUpperCase();
    if (isValidPan(canonical)) {
      found.push({
        kind: 'pan',
        start: match.index,
        end: match.index + value.length,
        value,
        canonical,
      });
    }
  }
  return found;
}
