import { hasPlausibleCardPrefix, isPlausibleSsn, passesLuhn, passesVerhoeff } from './checksums.js';
import type { PiiCandidate, PiiKind } from './pii-kind.js';

/** A run of digit groups joined by single spaces or dashes, e.g. `4111 1111 1111 1111`. */
const DIGIT_RUN = /\d+(?:[ -]\d+)*/g;

interface DigitGroup {
  start: number;
  end: number;
  /** The separator after this group inside its run, or '' for the last group. */
  separator: string;
}

/**
 * Finds payment cards (Luhn and a real issuer prefix), Aadhaar numbers (12 digits, first digit
 * 2-9, Verhoeff) and US SSNs (`ddd-dd-dddd`, no never-issued area, group or serial). Each
 * candidate is a window of whole digit groups with one kind of separator, so a phone number and
 * a card written side by side are told apart, and digits glued to letters or decimals
 * (`TXN4111...`, `3.14159...`) are left alone.
 */
export function findNumericIds(text: string, kinds: ReadonlySet<PiiKind>): PiiCandidate[] {
  const found: PiiCandidate[] = [];
  const wantCard = kinds.has('credit_card');
  const wantAadhaar = kinds.has('aadhaar');
  const wantSsn = kinds.has('ssn');
  if (!wantCard && !wantAadhaar && !wantSsn) return found;

  for (const match of text.matchAll(DIGIT_RUN)) {
    const groups = splitGroups(match[0], match.index);
    for (let first = 0; first < groups.length; first += 1) {
      const start = groups[first]!.start;
      if (!isBoundaryBefore(text, start)) continue;
      const separator = groups[first]!.separator;
      const sizes: number[] = [];
      let digits = '';
      for (let last = first; last < groups.length; last += 1) {
        const group = groups[last]!;
        if (last > first && groups[last - 1]!.separator !== separator) break;
        sizes.push(group.end - group.start);
        digits += text.slice(group.start, group.end);
        if (digits.length > 19) break;
        // Only these lengths can be an SSN (9), an Aadhaar (12) or a card (13-19).
        if (digits.length !== 9 && digits.length < 12) continue;
        const end = group.end;
        if (!isBoundaryAfter(text, end)) continue;
        // Grouped numbers are whole: "9999 9999 9999" inside "9999 9999 9999 9995" is no Aadhaar.
        if (sizes.length > 1 && !isWholeGrouping(groups, first, last)) continue;
        const value = text.slice(start, end);
        if (wantCard && isCard(digits, sizes)) {
          found.push({ kind: 'credit_card', start, end, value, canonical: digits });
        }
        if (wantAadhaar && isAadhaar(digits, sizes)) {
          found.push({ kind: 'aadhaar', start, end, value, canonical: digits });
        }
        if (wantSsn && sizes.length === 3 && separator === '-' && isSsn(value, sizes)) {
          found.push({ kind: 'ssn', start, end, value, canonical: digits });
        }
      }
    }
  }
  return found;
}

function isWholeGrouping(groups: readonly DigitGroup[], first: number, last: number): boolean {
  const separator = groups[first]!.separator;
  const joinedBefore = first > 0 && groups[first - 1]!.separator === separator;
  const joinedAfter = last < groups.length - 1 && groups[last]!.separator === separator;
  return !joinedBefore && !joinedAfter;
}

function splitGroups(run: string, offset: number): DigitGroup[] {
  const groups: DigitGroup[] = [];
  let start = 0;
  for (let index = 0; index <= run.length; index += 1) {
    const char = run[index];
    if (char === undefined || char === ' ' || char === '-') {
      groups.push({ start: offset + start, end: offset + index, separator: char ?? '' });
      start = index + 1;
    }
  }
  return groups;
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** No letter or digit glued to the left, and not the fraction or thousands part of a number. */
function isBoundaryBefore(text: string, start: number): boolean {
  const previous = text[start - 1];
  if (previous === undefined) return true;
  if (WORD_CHAR.test(previous)) return false;
  if (previous === '+') return false;
  if ((previous === '.' || previous === ',') && /\d/.test(text[start - 2] ?? '')) return false;
  return true;
}

function isBoundaryAfter(text: string, end: number): boolean {
  const next = text[end];
  if (next === undefined) return true;
  if (WORD_CHAR.test(next)) return false;
  if ((next === '.' || next === ',') && /\d/.test(text[end + 1] ?? '')) return false;
  return true;
}

/** Card numbers are printed unbroken, in fours (the last group may be shorter), or Amex/Diners 4-6-5 and 4-6-4. */
function isCardGrouping(sizes: readonly number[]): boolean {
  if (sizes.length === 1) return true;
  const joined = sizes.join('-');
  if (joined === '4-6-5' || joined === '4-6-4') return true;
  return sizes.slice(0, -1).every((size) => size === 4) && sizes.at(-1)! <= 4;
}

function isCard(digits: string, sizes: readonly number[]): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  return isCardGrouping(sizes) && hasPlausibleCardPrefix(digits) && passesLuhn(digits);
}

function isAadhaar(digits: string, sizes: readonly number[]): boolean {
  if (digits.length !== 12 || digits[0]! < '2') return false;
  if (sizes.length !== 1 && sizes.join('-') !== '4-4-4') return false;
  return passesVerhoeff(digits);
}

function isSsn(value: string, sizes: readonly number[]): boolean {
  if (sizes.join('-') !== '3-2-4') return false;
  const [area, group, serial] = value.split('-') as [string, string, string];
  return isPlausibleSsn(area, group, serial);
}
