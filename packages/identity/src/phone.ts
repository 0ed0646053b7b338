import {
  type CountryCode,
  type PhoneNumber,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/min';
import { IdentifierError } from './identifier-error.js';

/** What a phone number is read with. */
export interface PhoneContext {
  /** The channel, for errors; `whatsapp` makes the number international. */
  channel: string;
  /** The region national numbers are read in, if any. */
  region: CountryCode | undefined;
}

const URI_PREFIX = /^(wa|whatsapp|tel|sms):/iu;
const WHATSAPP_PREFIX = /^(?:wa|whatsapp):/iu;
// A WhatsApp JID: `<digits>@s.whatsapp.net`, the older `@c.us`, optionally with a `:<device>`.
const WHATSAPP_SUFFIX = /(?::\d{1,3})?@(?:s\.whatsapp\.net|c\.us)$/iu;
const SEPARATORS = /[\s().\-/]/gu;
const LETTER = /\p{L}/u;
// `x123`, `ext. 123`, `extension 123`, `;ext=123` (RFC 3966) at the end of a number.
const EXTENSION = /\d[\s().-]*(?:x|ext\.?|extension|;ext=)\s*\d+$/iu;
const DECIMAL_DIGIT = /\p{Nd}/gu;
const IS_DECIMAL_DIGIT = /^\p{Nd}$/u;
const COMPACT = /^\+?\d*$/u;
const E164 = /^\+[1-9]\d{1,14}$/u;

/**
 * The E.164 form (`+<country code><number>`) of a phone number given on a phone channel.
 * Throws `not_a_phone_number` for anything libphonenumber does not consider a possible number.
 */
export function normalizePhone(text: string, context: PhoneContext): string {
  let rest = text;
  let international = context.channel === 'whatsapp';
  for (let prefix = URI_PREFIX.exec(rest); prefix; prefix = URI_PREFIX.exec(rest)) {
    if (WHATSAPP_PREFIX.test(prefix[0])) international = true;
    rest = rest.slice(prefix[0].length).trimStart();
  }
  const jid = WHATSAPP_SUFFIX.exec(rest);
  if (jid) {
    international = true;
    rest = rest.slice(0, jid.index).trimEnd();
  }

  if (EXTENSION.test(rest)) {
    throw notAPhone(context, 'has an extension, which is not accepted: give the number alone');
  }
  if (LETTER.test(rest)) throw notAPhone(context, 'contains letters, so it is not a phone number');
  const compact = toAsciiDigits(rest).replace(SEPARATORS, '');
  if (!COMPACT.test(compact)) {
    throw notAPhone(context, 'may contain only digits, spaces, ( ) . - / and a leading +');
  }
  const hasPlus = compact.startsWith('+');
  const digits = hasPlus ? compact.slice(1) : compact;
  if (digits.length === 0) throw notAPhone(context, 'contains no digits');

  if (hasPlus) return toE164(parse(`+${digits}`), context);
  if (digits.startsWith('00')) return toE164(parse(`+${digits.slice(2)}`), context);
  if (international) {
    if (digits.startsWith('0')) {
      throw notAPhone(
        context,
        'is a WhatsApp id, which must be in international form (country code first, no leading 0)',
      );
    }
    return toE164(parse(`+${digits}`), context);
  }
  if (context.region === undefined) {
    throw notAPhone(
      context,
      'is a national number: give a default region (such as "IN") or the international form ' +
        '(+<country code> or 00<country code>)',
    );
  }
  return toE164(parse(digits, context.region), context);
}

function parse(text: string, region?: CountryCode): PhoneNumber | undefined {
  return parsePhoneNumberFromString(text, region);
}

function toE164(phone: PhoneNumber | undefined, context: PhoneContext): string {
  if (phone === undefined || !phone.isPossible()) {
    throw notAPhone(
      context,
      'is not a possible phone number (unknown country code or wrong length)',
    );
  }
  const value = phone.number;
  // libphonenumber allows some domestic-only numbers longer than E.164's 15 digits (Japan).
  if (!E164.test(value)) {
    throw notAPhone(context, 'is longer than the 15 digits of an international (E.164) number');
  }
  // The output must read back as itself, so that normalising is idempotent by construction.
  const again = parse(value);
  if (again === undefined || again.number !== value || !again.isPossible()) {
    throw notAPhone(context, 'has no stable international form');
  }
  return value;
}

/** Digits of any script (Devanagari, Arabic-Indic, ...) as ASCII digits. */
function toAsciiDigits(text: string): string {
  return text.replace(DECIMAL_DIGIT, (digit) => {
    if (digit >= '0' && digit <= '9') return digit;
    // Unicode decimal digits come in runs of ten, 0 to 9, so the value is the offset in the run.
    const code = digit.codePointAt(0) ?? 0;
    let start = code;
    while (start > 0 && IS_DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
    return String((code - start) % 10);
  });
}

function notAPhone(context: PhoneContext, detail: string): IdentifierError {
  return new IdentifierError(
    'not_a_phone_number',
    context.channel,
    `The ${context.channel} identifier ${detail}.`,
  );
}
