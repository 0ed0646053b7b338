import { CHANNELS, type Channel, isChannel } from './channels.js';
import { IdentifierError } from './identifier-error.js';

const CHANNEL_NAME = /^[a-z][a-z0-9_-]{0,31}$/u;

/**
 * Split `"<channel>:<id>"` text, as typed on a command line: `voice:+91 92410 63955`,
 * `whatsapp:wa:919241063955`, `email:A@B.com`. The channel is matched case-insensitively and the
 * id is trimmed but otherwise returned as given, to be passed to a normaliser.
 * @throws {IdentifierError} `unknown_channel` without a known channel prefix, `empty` without an id.
 */
export function parseChannelIdentifier(text: string): { channel: Channel; id: string } {
  const colon = typeof text === 'string' ? text.indexOf(':') : -1;
  const prefix = colon < 0 ? '' : text.slice(0, colon).trim().toLowerCase();
  if (!isChannel(prefix)) {
    // Without a colon the whole text may be a phone number or address: never echo it.
    const shown = CHANNEL_NAME.test(prefix) ? `"${prefix}" is not a channel; ` : '';
    throw new IdentifierError(
      'unknown_channel',
      CHANNEL_NAME.test(prefix) ? prefix : '',
      `${shown}expected "<channel>:<id>" with a channel among ${CHANNELS.join(', ')}.`,
    );
  }
  const id = text.slice(colon + 1).trim();
  if (id.length === 0) {
    throw new IdentifierError('empty', prefix, `The ${prefix} identifier is empty.`);
  }
  return { channel: prefix, id };
}
