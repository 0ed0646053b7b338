import { describe, expect, it } from 'vitest';
import { type Channel } from './channels.js';
import { IdentifierError } from './identifier-error.js';
import { createIdentifierNormalizer, normalizeIdentifier } from './normalize.js';

function errorOf(run: () => unknown): IdentifierError {
  try {
    run();
  } catch (error) {
    if (IdentifierError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an IdentifierError');
}

describe('web and app ids', () => {
  it.each<[Channel, string, string]>([
    ['web', '  sess_9f8a7b  ', 'sess_9f8a7b'],
    ['web', 'Cookie-ABC', 'Cookie-ABC'],
    ['app', 'U_123', 'U_123'],
    ['app', 'ann lee', 'ann lee'],
    ['app', 'ann\u00a0lee', 'ann lee'],
    ['app', '\u202eu_42\u202c', 'u_42'],
    ['app', 'ｕ＿４２', 'u_42'],
  ])('%s:%j is %j, case and inner spaces kept', (channel, id, expected) => {
    expect(normalizeIdentifier({ channel, id })).toEqual({ namespace: channel, value: expected });
  });

  it('keeps web and app ids apart from each other and from phones', () => {
    expect(normalizeIdentifier({ channel: 'web', id: 'u_1' }).namespace).toBe('web');
    expect(normalizeIdentifier({ channel: 'app', id: 'u_1' }).namespace).toBe('app');
    expect(normalizeIdentifier({ channel: 'app', id: '+919241063955' })).toEqual({
      namespace: 'app',
      value: '+919241063955',
    });
  });
});

describe('input every channel shares', () => {
  it.each<[Channel, string, string]>([
    ['voice', '', 'empty'],
    ['email', '   ', 'empty'],
    ['app', '\u200b\u200d\ufeff', 'empty'],
    ['web', ' \n\t ', 'empty'],
    ['app', 'a\u0000b', 'control_characters'],
    ['app', 'a\tb', 'control_characters'],
    ['web', 'line\nbreak', 'control_characters'],
    ['app', 'a\u2028b', 'control_characters'],
    ['app', 'a\ud800b', 'control_characters'],
    ['app', 'x'.repeat(257), 'too_long'],
    ['voice', `+91 ${'9'.repeat(253)}`, 'too_long'],
    ['app', '\ufdfa'.repeat(20), 'too_long'],
  ])('%s:%j fails with %s', (channel, id, reason) => {
    const error = errorOf(() => normalizeIdentifier({ channel, id }));
    expect(error.reason).toBe(reason);
    expect(error.code).toBe('invalid_identifier');
    expect(error.channel).toBe(channel);
  });

  it('accepts an id of exactly 256 characters', () => {
    const id = 'x'.repeat(256);
    expect(normalizeIdentifier({ channel: 'app', id }).value).toBe(id);
  });

  it('rejects a channel it does not know', () => {
    const error = errorOf(() =>
      normalizeIdentifier({ channel: 'telegram' as Channel, id: '@ann' }),
    );
    expect(error.reason).toBe('unknown_channel');
    expect(error.channel).toBe('telegram');
  });

  it('rejects an id that is not a string', () => {
    expect(errorOf(() => normalizeIdentifier({ channel: 'app', id: 42 as never })).reason).toBe(
      'empty',
    );
  });
});

describe('regions', () => {
  it.each(['ZZ', 'XX', 'India', 'I', '001', '', 'EU'])(
    'refuses %j when the normaliser is created',
    (defaultRegion) => {
      const error = errorOf(() => createIdentifierNormalizer({ defaultRegion }));
      expect(error).toBeInstanceOf(IdentifierError);
      expect(error.reason).toBe('invalid_region');
      expect(error.channel).toBe('');
    },
  );

  it('accepts a region in any case', () => {
    const normalizer = createIdentifierNormalizer({ defaultRegion: 'gb' });
    expect(normalizer.normalize({ channel: 'voice', id: '020 7946 0958' }).value).toBe(
      '+442079460958',
    );
  });

  it('refuses an unsupported region given with the input, on phone channels only', () => {
    const normalizer = createIdentifierNormalizer();
    const error = errorOf(() =>
      normalizer.normalize({ channel: 'sms', id: '+919241063955', defaultRegion: 'ZZ' }),
    );
    expect(error.reason).toBe('invalid_region');
    expect(error.channel).toBe('sms');
    expect(
      normalizer.normalize({ channel: 'email', id: 'a@b.com', defaultRegion: 'ZZ' }).value,
    ).toBe('a@b.com');
  });

  it('works without options like normalizeIdentifier', () => {
    const normalizer = createIdentifierNormalizer();
    expect(normalizer.normalize({ channel: 'whatsapp', id: 'wa:919241063955' })).toEqual(
      normalizeIdentifier({ channel: 'whatsapp', id: 'wa:919241063955' }),
    );
  });
});
