/** Currency symbols and words, by ISO 4217 code. */
const CURRENCY_WORDS: ReadonlyArray<[string, RegExp]> = [
  ['INR', /^(?:₹|rs\.?|inr|rupees?|re\.?)$/iu],
  ['USD', /^(?:\$|us\$|usd|dollars?|bucks)$/iu],
  ['EUR', /^(?:€|eur|euros?)$/iu],
  ['GBP', /^(?:£|gbp|pounds?|quid)$/iu],
];
const ISO_CODE =
  /^(?:AED|AUD|CAD|SGD|CHF|JPY|CNY|NZD|ZAR|SAR|QAR|KWD|BHD|OMR|MYR|THB|IDR|PHP|LKR|NPR|BDT|PKR)$/u;

const NUMBER = String.raw`\d{1,3}(?:,\d{2,3})+(?:\.\d{1,2})?|\d{1,12}(?:\.\d{1,2})?`;
const BEFORE = String.raw`₹|rs\.?|inr|us\$|\$|usd|€|eur|£|gbp|aed|aud|cad|sgd|chf|jpy|cny|nzd|zar|sar|qar|kwd|bhd|omr|myr|thb|idr|php|lkr|npr|bdt|pkr`;
const AFTER = String.raw`rupees?|rs\.?|inr|dollars?|bucks|usd|euros?|eur|pounds?|quid|gbp`;
// "₹1,299", "Rs. 499/-", "INR 499", "$20", "€89.90"; and "499 rupees", "20 bucks".
const AMOUNT = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:(${BEFORE})\s?(${NUMBER})(?:\/-)?|(${NUMBER})\s?(${AFTER})(?![\p{L}]))`,
  'giu',
);

function currencyOf(word: string): string | null {
  for (const [code, pattern] of CURRENCY_WORDS) if (pattern.test(word)) return code;
  return ISO_CODE.test(word.toUpperCase()) ? word.toUpperCase() : null;
}

function valueOf(number: string): string {
  const [whole = '', fraction] = number.replace(/,/gu, '').split('.');
  const trimmed = whole.replace(/^0+(?=\d)/u, '');
  return fraction && /[1-9]/u.test(fraction) ? `${trimmed}.${fraction.padEnd(2, '0')}` : trimmed;
}

/**
 * Money amounts as `amount:<ISO 4217 code><value>` entities: `₹499`, `Rs. 499`, `499 rupees`
 * and `INR 499` all give `amount:INR499`; `$20` gives `amount:USD20`; `€89.90` gives
 * `amount:EUR89.90`. Thousands separators go, zero decimals go.
 */
export function findAmounts(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(AMOUNT)) {
    const word = match[1] ?? match[4]!;
    const number = match[2] ?? match[3]!;
    const currency = currencyOf(word.toLowerCase());
    if (currency) found.push(`amount:${currency}${valueOf(number)}`);
  }
  return found;
}
