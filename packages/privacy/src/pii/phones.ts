import { type CountryCode, findPhoneNumbersInText, isSupportedCountry } from 'libphonenumber-js';
import type { PiiCandidate } from './pii-kind.js';

/**
 * Words after which a number is a reference, not a phone: "order 9876543210", "AWB
 * 123456789012", "ticket #4155550100", "txn id 400123456789".
 */
const REFERENCE_BEFORE = new RegExp(
  '(?<![\\p{L}])(?:' +
    '(?:order|ord|invoice|inv|ticket|tracking|awb|consignment|shipment|docket|booking|pnr|' +
    'ref|reference|transaction|txn|utr|rrn|receipt|imei|gstin|sku)\\s*(?:id|no|number|num|#|code)?' +
    '|(?:case|bill|item|model|serial|claim|policy|customer|user|member|membership|loyalty)' +
    '\\s*(?:id|no|number|num|#)' +
    ')\\.?\\s*(?:is|was|:|#|-)?\\s*$',
  'iu',
);

/** Amounts: "Rs. 9241063955", "₹ 1299", "$1,299", "USD 4155550100". */
const CURRENCY_BEFORE = /(?:[$€£¥₹₨₩₽]|\b(?:rs|inr|usd|eur|gbp|aed|sgd|aud|cad)\.?)\s*$/i;

/** Dates such as "1985-02-29" or "12.03.2024" parse as phones in some regions. */
const DATE_LIKE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$/;

/** Checks and upper-cases a default region, throwing a TypeError for an unknown one. */
export function checkRegion(region: string | undefined, caller: string): CountryCode | undefined {
  if (region === undefined) return undefined;
  const upper = typeof region === 'string' ? region.toUpperCase() : '';
  if (!isSupportedCountry(upper)) {
    throw new TypeError(
      `${caller}: defaultRegion must be an ISO 3166-1 alpha-2 region known to libphonenumber, got ${JSON.stringify(region)}`,
    );
  }
  return upper;
}

/**
 * Phone numbers as libphonenumber finds them (only numbers that are valid for their region).
 * With a default region, national formats of that region ("09241063955" for IN) are found too;
 * without one, only numbers written with a `+` or `00` country code are, because guessing a
 * region for a bare digit run would turn order numbers and amounts into phones. Numbers that
 * follow a reference word or a currency sign, and dates, are not phones.
 */
export function findPhones(text: string, region: CountryCode | undefined): PiiCandidate[] {
  if (!/\d/.test(text)) return [];
  const found: PiiCandidate[] = [];
  const matches = findPhoneNumbersInText(text, region ? { defaultCountry: region } : undefined);
  for (const match of matches) {
    const before = text.slice(Math.max(0, match.startsAt - 40), match.startsAt);
    if (REFERENCE_BEFORE.test(before) || CURRENCY_BEFORE.test(before)) continue;
    const value = text.slice(match.startsAt, match.endsAt);
    if (text[match.startsAt - 1] === '#' || DATE_LIKE.test(value)) continue;
    found.push({
      kind: 'phone',
      start: match.startsAt,
      end: match.endsAt,
      value,
      canonical: match.number.number,
    });
  }
  return found;
}
