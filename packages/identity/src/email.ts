import { domainToASCII } from 'node:url';
import { IdentifierError } from './identifier-error.js';

const MAILTO = /^mailto:/iu;
// Characters that only appear in a local part inside quotes, or in a display-name form
// (`Ann <ann@example.com>`); neither is a plain address.
const LOCAL_FORBIDDEN = /[\s"(),:;<>[\]\\]/u;
// Letters, marks and digits of any script, hyphens and dots (including the ideographic full stop
// that IDNA treats as a dot). Checked before IDNA conversion, which would otherwise quietly cut a
// domain at `/`, `?` or `#`.
const DOMAIN_CHARACTERS = /^[\p{L}\p{M}\p{N}\-.\u3002]+$/u;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/u;
const NUMERIC = /^\d+$/u;
const MAX_DOMAIN_LENGTH = 253;

/**
 * The canonical form of an email address: `mailto:` dropped, the whole address lower-cased, the
 * domain in IDNA ASCII (punycode) form so that `bücher.de` and `xn--bcher-kva.de` are equal.
 */
export function normalizeEmail(text: string, channel: string): string {
  const address = text.replace(MAILTO, '').trim().toLowerCase().normalize('NFKC');
  const parts = address.split('@');
  if (parts.length !== 2) throw notAnEmail(channel, 'must contain exactly one @');
  const [local = '', domain = ''] = parts;
  if (local.length === 0) throw notAnEmail(channel, 'has nothing before the @');
  if (LOCAL_FORBIDDEN.test(local)) {
    throw notAnEmail(channel, 'has spaces, quotes or brackets before the @');
  }
  const ascii = DOMAIN_CHARACTERS.test(domain) ? domainToASCII(domain) : '';
  const labels = ascii.split('.');
  const valid =
    ascii.length > 0 &&
    ascii.length <= MAX_DOMAIN_LENGTH &&
    labels.length >= 2 &&
    labels.every((label) => LABEL.test(label)) &&
    !NUMERIC.test(labels[labels.length - 1] ?? '');
  if (!valid) throw notAnEmail(channel, 'needs a domain name with a dot after the @');
  return `${local}@${ascii}`;
}

function notAnEmail(channel: string, detail: string): IdentifierError {
  return new IdentifierError(
    'not_an_email',
    channel,
    `The ${channel} identifier is not an email address: it ${detail}.`,
  );
}
