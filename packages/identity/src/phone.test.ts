import { describe, expect, it } from 'vitest';
import { type Channel } from './channels.js';
import { IdentifierError } from './identifier-error.js';
import { createIdentifierNormalizer, normalizeIdentifier } from './normalize.js';

function phone(channel: Channel, id: string, defaultRegion?: string): string {
  const canonical = normalizeIdentifier({ channel, id, defaultRegion });
  expect(canonical.namespace).toBe('phone');
  return canonical.value;
}

function reasonOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (IdentifierError.isInstance(error)) return error.reason;
    throw error;
  }
  return undefined;
}

describe('phone channels', () => {
  it.each<[Channel, string, string | undefined]>([
    ['voice', '+91 92410 63955', undefined],
    ['voice', '+91-92410-63955', undefined],
    ['voice', '(+91) 9241063955', undefined],
    ['sms', '09241063955', 'IN'],
    ['sms', '9241063955', 'IN'],
    ['whatsapp', 'wa:919241063955', undefined],
    ['whatsapp', '919241063955', undefined],
    ['whatsapp', '+919241063955', undefined],
    ['voice', '00919241063955', undefined],
    ['voice', 'tel:+919241063955', undefined],
    ['voice', 'wa:919241063955', undefined],
    ['sms', 'SMS:+91 92410 63955', undefined],
    ['whatsapp', 'whatsapp:919241063955', undefined],
    ['whatsapp', '919241063955@s.whatsapp.net', undefined],
    ['whatsapp', '919241063955:12@s.whatsapp.net', undefined],
    ['voice', '919241063955@c.us', undefined],
    ['sms', '919241063955', 'IN'],
    ['voice', '+91 (0) 92410 63955', undefined],
    ['voice', '+९१ ९२४१० ६३९५५', undefined],
    ['voice', '+٩١ ٩٢٤١٠ ٦٣٩٥٥', undefined],
    ['voice', '＋９１ ９２４１０ ６３９５５', undefined],
    ['voice', '\u200e+91\u200b 92410 63955\u200f', undefined],
    ['voice', '+91.92410.63955', undefined],
  ])('%s:%s (region %s) is +919241063955', (channel, id, region) => {
    expect(phone(channel, id, region)).toBe('+919241063955');
  });

  it.each<[string, string | undefined, string]>([
    ['+1 (415) 555-0100', undefined, '+14155550100'],
    ['415-555-0100', 'US', '+14155550100'],
    ['1-415-555-0100', 'US', '+14155550100'],
    ['(415) 555 0100', 'us', '+14155550100'],
    ['011 44 20 7946 0958', 'US', '+442079460958'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['+44 (0)20 7946 0958', undefined, '+442079460958'],
    ['0044 20 7946 0958', 'US', '+442079460958'],
    ['+1 200 555 0100', undefined, '+12005550100'],
    ['+882 1234 5678', undefined, '+88212345678'],
  ])('%s (region %s) is %s', (id, region, expected) => {
    expect(phone('voice', id, region)).toBe(expected);
  });

  it('puts the same person on voice, sms and whatsapp into one phone identifier', () => {
    const values = [
      normalizeIdentifier({ channel: 'voice', id: '+91 92410 63955' }),
      normalizeIdentifier({ channel: 'sms', id: '09241063955', defaultRegion: 'IN' }),
      normalizeIdentifier({ channel: 'whatsapp', id: 'wa:919241063955' }),
    ];
    expect(new Set(values.map((value) => `${value.namespace}:${value.value}`))).toEqual(
      new Set(['phone:+919241063955']),
    );
  });

  it('reads national numbers in the input region, then the normaliser region', () => {
    const normalizer = createIdentifierNormalizer({ defaultRegion: 'IN' });
    expect(normalizer.normalize({ channel: 'voice', id: '09241063955' }).value).toBe(
      '+919241063955',
    );
    expect(
      normalizer.normalize({ channel: 'voice', id: '415-555-0100', defaultRegion: 'US' }).value,
    ).toBe('+14155550100');
    expect(
      normalizer.normalize({ channel: 'voice', id: '+44 20 7946 0958', defaultRegion: 'US' }).value,
    ).toBe('+442079460958');
  });

  it('rejects a national number without a region and says how to fix it', () => {
    const run = () => normalizeIdentifier({ channel: 'voice', id: '09241063955' });
    expect(run).toThrow(IdentifierError);
    expect(run).toThrow(/default region .*international form/u);
    expect(reasonOf(run)).toBe('not_a_phone_number');
    expect(reasonOf(() => normalizeIdentifier({ channel: 'sms', id: '919241063955' }))).toBe(
      'not_a_phone_number',
    );
  });

  it.each<[Channel, string, string | undefined]>([
    ['voice', 'uid:u_receipt', 'IN'],
    ['voice', '12', 'IN'],
    ['voice', '12', undefined],
    ['voice', '+12', undefined],
    ['voice', '+91 12345', undefined],
    ['voice', '+4412345678901234', undefined],
    ['voice', '+999 1234567', undefined],
    ['voice', '+81 81220570235934', undefined],
    ['sms', '+1 800 FLOWERS', undefined],
    ['voice', '+1415555010a', undefined],
    ['voice', '+1 415 555 0100 x123', undefined],
    ['voice', '+1 415 555 0100 ext. 123', undefined],
    ['voice', 'tel:+1-415-555-0100;ext=123', undefined],
    ['voice', '+1 415 555 0100 #12', undefined],
    ['voice', '91+9241063955', undefined],
    ['voice', 'tel:', undefined],
    ['voice', '+', undefined],
    ['voice', '---', 'IN'],
    ['whatsapp', '09241063955', 'IN'],
    ['whatsapp', '120363025246125486@g.us', undefined],
    ['voice', 'ann@example.com', undefined],
  ])('%s:%s (region %s) is not a phone number', (channel, id, region) => {
    expect(reasonOf(() => normalizeIdentifier({ channel, id, defaultRegion: region }))).toBe(
      'not_a_phone_number',
    );
  });

  it('says why an extension is refused', () => {
    expect(() => normalizeIdentifier({ channel: 'voice', id: '+1 415 555 0100 x123' })).toThrow(
      /extension/u,
    );
  });

  it('never repeats the number in the error message', () => {
    try {
      normalizeIdentifier({ channel: 'voice', id: '9241063955' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain('9241063955');
    }
  });
});
