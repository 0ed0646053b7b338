import type { PiiCandidate } from './pii-kind.js';

/**
 * "a/c", "acct", "acc", "account" (after "bank", "savings", ... too), an optional "no." /
 * "number" / "#", an optional "is" or ":", then the digits. Only the digits are masked, so the
 * stored text keeps saying what the number was.
 */
const BANK_ACCOUNT =
  /(?<![\p{L}\p{N}])(?:a\/c|acct|acc|account)\.?(?:\s*(?:no\.?|number|num|#))?(?:\s*(?:is|was|:|#|-))?\s*(\d{2,18}(?:[ -]\d{2,18}){0,5})(?![\p{L}\p{N}])/giu;

/** Bank account numbers: a keyword, then 9-18 digits (single spaces or dashes allowed). */
export function findBankAccounts(text: string): PiiCandidate[] {
  const found: PiiCandidate[] = [];
  for (const match of text.matchAll(BANK_ACCOUNT)) {
    const digitsText = match[1]!;
    const start = match.index + match[0].length - digitsText.length;
    let value = digitsText;
    if (!isAccountLength(value)) {
      // "account 123456789 2 items": keep the first group if it alone is an account number.
      value = digitsText.split(/[ -]/)[0]!;
      if (!isAccountLength(value)) continue;
    }
    found.push({
      kind: 'bank_account',
      start,
      end: start + value.length,
      value,
      canonical: value.replace(/\D/g, ''),
    });
  }
  return found;
}

function isAccountLength(value: string): boolean {
  const count = value.replace(/\D/g, '').length;
  return count >= 9 && count <= 18;
}

/**
 * An OTP keyword, a short gap without digits or sentence ends ("is", ": ", "for login is"), then
 * 4-8 digits (or `123 456`). "code" and "pin" alone are common words ("zip code 94107", "PIN
 * code 560001", "error code 5003"), so a qualifier in front of them cancels the match.
 */
const OTP =
  /(?<![\p{L}\p{N}])(otp|one[- ]time (?:password|passcode|code|pin)|passcode|pin|code)(?![\p{L}\p{N}])[^\d\n.!?;]{0,24}?(?<!\d)(\d{4,8}|\d{3}[ -]\d{3})(?![\p{N}])/giu;

const NOT_AN_OTP_CODE = new Set(
  (
    'zip postal pin post area error promo promotional discount coupon voucher gift product ' +
    'country dialing dialling status reference tracking order item sku hsn sac ifsc swift sort ' +
    'bank branch source qr bar referral invite invitation class tax fault exit return response ' +
    'http mcc style dress colour color course event room door gate'
  ).split(' '),
);

/** One-time passwords and PINs next to a keyword; only the digits are masked. */
export function findOtps(text: string): PiiCandidate[] {
  const found: PiiCandidate[] = [];
  for (const match of text.matchAll(OTP)) {
    const keyword = match[1]!.toLowerCase();
    const after = text.slice(match.index + match[1]!.length);
    if (keyword === 'pin' && /^\s*-?\s*codes?\b/i.test(after)) continue;
    if (keyword === 'code' && NOT_AN_OTP_CODE.has(previousWord(text, match.index))) continue;
    const value = match[2]!;
    const start = match.index + match[0].length - value.length;
    found.push({
      kind: 'otp',
      start,
      end: start + value.length,
      value,
      canonical: value.replace(/\D/g, ''),
    });
  }
  return found;
}

function previousWord(text: string, index: number): string {
  const before = text.slice(Math.max(0, index - 24), index);
  return /([\p{L}]+)[\s-]*$/u.exec(before)?.[1]?.toLowerCase() ?? '';
}
