/** True when the digit string passes the Luhn (mod 10) check of payment cards. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    let digit = digits.charCodeAt(index) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * True when the digits start with an issuer prefix (IIN) that a card network actually uses, with
 * a length that network issues: Visa, Mastercard, Amex, Discover, Diners, JCB, UnionPay, Maestro,
 * RuPay.
 */
export function hasPlausibleCardPrefix(digits: string): boolean {
  const length = digits.length;
  const two = Number(digits.slice(0, 2));
  const three = Number(digits.slice(0, 3));
  const four = Number(digits.slice(0, 4));
  if (digits.startsWith('4')) return length === 13 || length === 16 || length === 19;
  if (two >= 51 && two <= 55) return length === 16;
  if (four >= 2221 && four <= 2720) return length === 16;
  if (two === 34 || two === 37) return length === 15;
  if ((three >= 300 && three <= 305) || two === 36 || two === 38 || two === 39) {
    return length >= 14 && length <= 19;
  }
  if (four >= 3528 && four <= 3589) return length >= 16 && length <= 19;
  if (four === 6011 || (three >= 644 && three <= 649) || two === 65 || two === 62) {
    return length >= 16 && length <= 19;
  }
  if (two === 50 || (two >= 56 && two <= 69)) return length >= 13 && length <= 19;
  if (two === 81 || two === 82 || three === 508) return length === 16;
  return false;
}

const VERHOEFF_MULTIPLY = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

const VERHOEFF_PERMUTE = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** True when the digit string (check digit last) passes the Verhoeff check used by Aadhaar. */
export function passesVerhoeff(digits: string): boolean {
  let check = 0;
  for (let position = 0; position < digits.length; position += 1) {
    const digit = digits.charCodeAt(digits.length - 1 - position) - 48;
    const permuted = VERHOEFF_PERMUTE[position % 8]![digit]!;
    check = VERHOEFF_MULTIPLY[check]![permuted]!;
  }
  return check === 0;
}

/** The Verhoeff check digit to append to `digits`; used to build valid examples in tests. */
export function verhoeffCheckDigit(digits: string): string {
  for (let candidate = 0; candidate <= 9; candidate += 1) {
    if (passesVerhoeff(`${digits}${candidate}`)) return String(candidate);
  }
  throw new Error('unreachable: every prefix has one Verhoeff check digit');
}

/**
 * True when the IBAN (upper case, no spaces) has its country's length and passes the ISO 13616
 * mod-97 check.
 */
export function isValidIban(iban: string): boolean {
  const expected = IBAN_LENGTHS[iban.slice(0, 2)];
  if (expected === undefined || iban.length !== expected) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? code - 55 : code - 48;
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

/** Length of an IBAN per country (SWIFT IBAN registry). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries(
    (
      'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 ' +
      'DJ27 DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 ' +
      'HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 ' +
      'MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 ' +
      'RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 ' +
      'VG24 XK20 YE30'
    )
      .split(' ')
      .map((entry) => [entry.slice(0, 2), Number(entry.slice(2))]),
  ),
);

/** True for a US SSN that the SSA could have issued: area not 000, 666 or 9xx; group and serial not zero. */
export function isPlausibleSsn(area: string, group: string, serial: string): boolean {
  if (area === '000' || area === '666' || area.startsWith('9')) return false;
  return group !== '00' && serial !== '0000';
}

/** Holder-type letters allowed in the 4th position of an Indian PAN. */
const PAN_HOLDER_TYPES = new Set(['A', 'B', 'C', 'F', 'G', 'H', 'J', 'L', 'P', 'T']);

/** True for an upper-case PAN `AAAAA9999A` whose 4th letter is a valid holder type. */
export function isValidPan(pan: string): boolean {
  return /^[A-Z]{5}\d{4}[A-Z]$/.test(pan) && PAN_HOLDER_TYPES.has(pan[3]!);
}
