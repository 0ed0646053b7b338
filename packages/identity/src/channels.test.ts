import { describe, expect, it } from 'vitest';
import { CHANNELS, isPhoneChannel, namespaceOf } from './channels.js';

describe('channels', () => {
  it('lists the six channels and cannot be changed', () => {
    expect(CHANNELS).toEqual(['voice', 'whatsapp', 'sms', 'email', 'web', 'app']);
    expect(Object.isFrozen(CHANNELS)).toBe(true);
  });

  it('puts voice, sms and whatsapp in the phone namespace', () => {
    expect(CHANNELS.map((channel) => [channel, namespaceOf(channel)])).toEqual([
      ['voice', 'phone'],
      ['whatsapp', 'phone'],
      ['sms', 'phone'],
      ['email', 'email'],
      ['web', 'web'],
      ['app', 'app'],
    ]);
    expect(CHANNELS.filter(isPhoneChannel)).toEqual(['voice', 'whatsapp', 'sms']);
  });
});
