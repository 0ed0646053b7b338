import { IdentifierError } from './identifier-error.js';

/** The longest identifier accepted, as given and in canonical form (UTF-16 code units). */
export const MAX_IDENTIFIER_LENGTH = 256;

// Format characters (Cf) are invisible: zero-width spaces and joiners, bidi marks, embeddings,
// overrides and isolates, the BOM, soft hyphens. Copy-paste from chats and CRMs carries them in.
const INVISIBLE = /\p{Cf}/gu;
// Control characters, line and paragraph separators, and lone surrogates (not valid UTF-8, so no
// store could hold them faithfully).
const FORBIDDEN = /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}]/u;

/**
 * The cleaning every channel shares: drop invisible characters, NFKC (full-width digits and `＠`
 * become ASCII), trim; reject control characters, empty and over-long input.
 */
export function cleanIdentifierText(id: unknown, channel: string): string {
  if (typeof id !== 'string') {
    throw new IdentifierError('empty', channel, `The ${channel} identifier must be a string.`);
  }
  if (id.length > MAX_IDENTIFIER_LENGTH) throw tooLong(channel);
  // Invisible characters go before NFKC so that they cannot block a composition that a second
  // pass would make; the second removal covers anything NFKC itself produces.
  const text = id.replace(INVISIBLE, '').normalize('NFKC').replace(INVISIBLE, '').trim();
  if (text.length === 0) {
    throw new IdentifierError('empty', channel, `The ${channel} identifier is empty.`);
  }
  if (FORBIDDEN.test(text)) {
    throw new IdentifierError(
      'control_characters',
      channel,
      `The ${channel} identifier contains control characters or line breaks.`,
    );
  }
  return text;
}

/** The error for an identifier longer than {@link MAX_IDENTIFIER_LENGTH}. */
export function tooLong(channel: string): IdentifierError {
  return new IdentifierError(
    'too_long',
    channel,
    `The ${channel} identifier is longer than ${MAX_IDENTIFIER_LENGTH} characters.`,
  );
}
