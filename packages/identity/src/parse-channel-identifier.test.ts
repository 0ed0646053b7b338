import { describe, expect, it } from 'vitest';
import { IdentifierError } from './identifier-error.js';
import { normalizeIdentifier } from './normalize.js';
import { parseChannelIdentifier } from './parse-channel-identifier.js';

describe('parseChannelIdentifier', () => {
  it.each([
    ['voice:+91 92410 63955', 'voice', '+91 92410 63955'],
    ['whatsapp:wa:919241063955', 'whatsapp', 'wa:919241063955'],
    ['email:A@B.com', 'email', 'A@B.com'],
    ['voice:tel:+919241063955', 'voice', 'tel:+919241063955'],
    [' SMS : 09241063955 ', 'sms', '09241063955'],
    ['web:sess:9f8a', 'web', 'sess:9f8a'],
  ])('splits %j', (text, channel, id) => {
    expect(parseChannelIdentifier(text)).toEqual({ channel, id });
  });

  it('feeds the normaliser', () => {
    expect(normalizeIdentifier(parseChannelIdentifier('whatsapp:wa:919241063955'))).toEqual({
      namespace: 'phone',
      value: '+919241063955',
    });
  });

  it.each([
    ['telegram:@ann', 'telegram'],
    ['+919241063955', ''],
    ['tel:+919241063955', 'tel'],
    ['', ''],
    [':919241063955', ''],
  ])('refuses %j as an unknown channel', (text, channel) => {
    const run = () => parseChannelIdentifier(text);
    expect(run).toThrow(IdentifierError);
    try {
      run();
    } catch (error) {
      expect(error).toMatchObject({ reason: 'unknown_channel', channel });
      expect((error as Error).message).not.toContain('9241063955');
    }
  });

  it('refuses a channel with no id', () => {
    expect(() => parseChannelIdentifier('voice:  ')).toThrow(
      expect.objectContaining({ reason: 'empty', channel: 'voice' }),
    );
  });
});
