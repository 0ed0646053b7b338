import type { PiiCandidate } from './pii-kind.js';

const MONTHS = 'jan feb mar apr may jun jul aug sep oct nov dec'.split(' ');
const MONTH_NAME =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';

/** Numeric and written dates; which reading (D/M or M/D) is meant is decided by the calendar. */
const DATE = new RegExp(
  [
    '(?<![\\p{L}\\p{N}])(?:',
    '(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})',
    '|(\\d{1,2})[-/.](\\d{1,2})[-/.](\\d{4}|\\d{2})',
    `|${DAY}\\s+(?:of\\s+)?${MONTH_NAME},?\\s+(\\d{4})`,
    `|${MONTH_NAME}\\s+${DAY},?\\s+(\\d{4})`,
    ')(?![\\p{L}\\p{N}])',
  ].join(''),
  'giu',
);

/** Words that say a nearby date is a date of birth. */
const BIRTH_KEYWORD =
  /(?<![\p{L}])(?:born|d\.?o\.?b|date\s+of\s+birth|birth\s*date|birthdate|birthday|b'?day)(?![\p{L}])/iu;

/**
 * Dates of birth: a real calendar date (leap years included) with a birth keyword ("born",
 * "DOB", "date of birth", "birthday") in the same line, at most 30 characters before it or 30
 * after it. Other dates (orders, deliveries, appointments) are left alone even when the `dob`
 * kind is on: they are what makes a memory useful, and a bare date identifies nobody.
 */
export function findDatesOfBirth(text: string): PiiCandidate[] {
  const found: PiiCandidate[] = [];
  for (const match of text.matchAll(DATE)) {
    const canonical = readDate(match);
    if (canonical === null) continue;
    const start = match.index;
    const end = start + match[0].length;
    const before = lastLine(text.slice(Math.max(0, start - 30), start));
    const after = firstLine(text.slice(end, end + 30));
    if (!BIRTH_KEYWORD.test(before) && !BIRTH_KEYWORD.test(after)) continue;
    found.push({ kind: 'dob', start, end, value: match[0], canonical });
  }
  return found;
}

function lastLine(text: string): string {
  return text.slice(text.lastIndexOf('\n') + 1);
}

function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  return newline === -1 ? text : text.slice(0, newline);
}

/** ISO `YYYY-MM-DD` when the date reads one way only, the digits when D/M and M/D are both real, else null. */
function readDate(match: RegExpMatchArray): string | null {
  const [, isoYear, isoMonth, isoDay, first, second, shortYear] = match;
  if (isoYear !== undefined) return iso(Number(isoYear), Number(isoMonth), Number(isoDay));
  if (first !== undefined) {
    const year = fullYear(shortYear!);
    const dayFirst = iso(year, Number(second), Number(first));
    const monthFirst = iso(year, Number(first), Number(second));
    if (dayFirst !== null && monthFirst !== null && dayFirst !== monthFirst) {
      return `${first.padStart(2, '0')}${second!.padStart(2, '0')}${year}`;
    }
    return dayFirst ?? monthFirst;
  }
  const [day, monthName, year] =
    match[7] !== undefined ? [match[7], match[8], match[9]] : [match[11], match[10], match[12]];
  const month = MONTHS.indexOf(monthName!.slice(0, 3).toLowerCase()) + 1;
  return iso(Number(year), month, Number(day));
}

function fullYear(year: string): number {
  if (year.length === 4) return Number(year);
  // Two-digit years of birth: "12/03/90" is 1990, "12/03/05" is 2005.
  const value = Number(year);
  return value <= 30 ? 2000 + value : 1900 + value;
}

function iso(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return null;
  if (day > daysInMonth(year, month)) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
