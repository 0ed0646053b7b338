import { type CountryCode } from 'libphonenumber-js/min';
import { type CanonicalIdentifier, type Channel, isChannel, namespaceOf } from './channels.js';
import { MAX_IDENTIFIER_LENGTH, cleanIdentifierText, tooLong } from './clean-text.js';
import { normalizeEmail } from './email.js';
import { IdentifierError } from './identifier-error.js';
import { normalizePhone } from './phone.js';
import { requireRegion } from './regions.js';

/** One identifier as a channel reports it. */
export interface NormalizeInput {
  /** The channel the identifier came from. */
  channel: Channel;
  /** The identifier as given: a phone number, WhatsApp id, email address, or opaque web/app id. */
  id: string;
  /**
   * Region national phone numbers are read in (ISO 3166-1 alpha-2, e.g. the tenant's setting).
   * Wins over the normaliser's own default; only used, and only checked, on phone channels.
   */
  defaultRegion?: string;
}

/** Turns channel identifiers into canonical identifiers. */
export interface IdentifierNormalizer {
  /** The canonical form of an identifier; throws {@link IdentifierError}. */
  normalize(input: NormalizeInput): CanonicalIdentifier;
}

/** Options of {@link createIdentifierNormalizer}. */
export interface IdentifierNormalizerOptions {
  /** Region national phone numbers are read in when the input names none, e.g. `IN`. */
  defaultRegion?: string;
}

/**
 * The canonical form of an identifier: E.164 with `+` for voice, sms and whatsapp (all in the
 * `phone` namespace), a lower-case address for email, the trimmed id for web and app.
 * Idempotent (normalising a returned value gives it back) and never returns an empty value.
 * National phone numbers need `input.defaultRegion`; use {@link createIdentifierNormalizer} to
 * give a fallback region.
 * @throws {IdentifierError} when the identifier has no canonical form.
 */
export function normalizeIdentifier(input: NormalizeInput): CanonicalIdentifier {
  return normalizeWith(input, undefined);
}

/**
 * A normaliser with a fallback default region (`input.defaultRegion`, e.g. the tenant's setting,
 * wins over it).
 * @throws {IdentifierError} `invalid_region` when the region is not an ISO 3166-1 alpha-2 code
 * supported by libphonenumber.
 */
export function createIdentifierNormalizer(
  options: IdentifierNormalizerOptions = {},
): IdentifierNormalizer {
  const fallback =
    options.defaultRegion === undefined ? undefined : requireRegion(options.defaultRegion, '');
  return { normalize: (input) => normalizeWith(input, fallback) };
}

function normalizeWith(
  input: NormalizeInput,
  fallbackRegion: CountryCode | undefined,
): CanonicalIdentifier {
  const { channel } = input;
  if (!isChannel(channel)) {
    throw new IdentifierError(
      'unknown_channel',
      String(channel),
      'The channel must be one of voice, whatsapp, sms, email, web, app.',
    );
  }
  const namespace = namespaceOf(channel);
  const text = cleanIdentifierText(input.id, channel);
  let value: string;
  if (namespace === 'phone') {
    const region =
      input.defaultRegion === undefined
        ? fallbackRegion
        : requireRegion(input.defaultRegion, channel);
    value = normalizePhone(text, { channel, region });
  } else if (namespace === 'email') {
    value = normalizeEmail(text, channel);
  } else {
    value = text;
  }
  // NFKC and IDNA can lengthen a value; a longer one would not normalise again.
  if (value.length > MAX_IDENTIFIER_LENGTH) throw tooLong(channel);
  return { namespace, value };
}
