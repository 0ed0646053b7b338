/** A kind of personal data that {@link detectPii} finds and a masker replaces. */
export type PiiKind =
  | 'email'
  | 'phone'
  | 'credit_card'
  | 'iban'
  | 'ssn'
  | 'aadhaar'
  | 'pan'
  | 'bank_account'
  | 'otp'
  | 'dob'
  | 'person'
  | 'location'
  | 'ip_address';

/** Every {@link PiiKind}. */
export const PII_KINDS: readonly PiiKind[] = Object.freeze([
  'email',
  'phone',
  'credit_card',
  'iban',
  'ssn',
  'aadhaar',
  'pan',
  'bank_account',
  'otp',
  'dob',
  'person',
  'location',
  'ip_address',
]);

/**
 * The kinds masked when none are configured: all of them except `dob`, which is opt-in because
 * dates of birth are rarely volunteered and masking dates costs memories much of their meaning.
 * `person`, `location` and `ip_address` are included although only an external analyzer finds
 * them: without one they cost nothing, and configuring one is the opt-in to masking them.
 */
export const DEFAULT_PII_KINDS: readonly PiiKind[] = Object.freeze(
  PII_KINDS.filter((kind) => kind !== 'dob'),
);

/** One piece of personal data found in a text. */
export interface PiiSpan {
  /** What was found. */
  kind: PiiKind;
  /** Offset of the first character, in UTF-16 code units. */
  start: number;
  /** Offset just past the last character. */
  end: number;
  /** `text.slice(start, end)`. */
  value: string;
}

/**
 * Which span survives when two overlap, highest first. Kinds proven by a checksum or a strict
 * structure come first, then email and IP addresses, then the kinds anchored by a keyword
 * ("account no.", "OTP", "born on"), which are stronger evidence than a bare number that merely
 * parses as a phone. Names and locations, which come from a statistical recogniser, come last.
 */
export const PII_PRIORITY: readonly PiiKind[] = Object.freeze([
  'credit_card',
  'iban',
  'aadhaar',
  'ssn',
  'email',
  'ip_address',
  'bank_account',
  'otp',
  'dob',
  'phone',
  'pan',
  'person',
  'location',
]);

/**
 * Kinds the built-in detectors prove with a checksum or strict rules (Luhn and issuer ranges,
 * mod-97, Verhoeff, SSA rules): an external analyzer's span never displaces such a finding.
 */
export const VERIFIED_KINDS: ReadonlySet<PiiKind> = new Set<PiiKind>([
  'credit_card',
  'iban',
  'aadhaar',
  'ssn',
]);

const KNOWN = new Set<string>(PII_KINDS);

/** The kinds given, checked and without duplicates; throws a TypeError naming an unknown kind. */
export function checkKinds(kinds: readonly string[], caller: string): readonly PiiKind[] {
  if (!Array.isArray(kinds)) throw new TypeError(`${caller}: kinds must be an array of PII kinds`);
  for (const kind of kinds) {
    if (!KNOWN.has(kind)) {
      throw new TypeError(
        `${caller}: unknown PII kind ${JSON.stringify(kind)}; expected one of ${PII_KINDS.join(', ')}`,
      );
    }
  }
  return [...new Set(kinds as PiiKind[])];
}

/** A span found by one detector, with the canonical value that keyed tokens are computed from. */
export interface PiiCandidate extends PiiSpan {
  /** Normal form of the value: digits only, E.164, lower-case email, upper-case IBAN/PAN, ... */
  canonical: string;
}
