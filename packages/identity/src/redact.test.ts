import { describe, expect, it } from 'vitest';
import { type CanonicalIdentifier } from './channels.js';
import { normalizeIdentifier } from './normalize.js';
import { redactIdentifier } from './redact.js';

describe('redactIdentifier', () => {
  it.each<[CanonicalIdentifier, string]>([
    [{ namespace: 'phone', value: '+919241063955' }, '+91******3955'],
    [{ namespace: 'phone', value: '+14155550100' }, '+1******0100'],
    [{ namespace: 'phone', value: '+442079460958' }, '+44******0958'],
    [{ namespace: 'email', value: 'ann@example.com' }, 'a***@example.com'],
    [{ namespace: 'email', value: 'a@example.com' }, 'a***@example.com'],
    [{ namespace: 'app', value: 'u_123456' }, 'u_***'],
    [{ namespace: 'web', value: 'abcd' }, '***'],
    [{ namespace: 'phone', value: 'not a phone' }, 'no***'],
    [{ namespace: 'email', value: '' }, '***'],
  ])('masks %j as %s', (identifier, expected) => {
    expect(redactIdentifier(identifier)).toBe(expected);
  });

  it('keeps no more than the country code and four digits of a phone', () => {
    const masked = redactIdentifier(
      normalizeIdentifier({ channel: 'voice', id: '+91 92410 63955' }),
    );
    expect(masked.replace(/\D/gu, '')).toBe('913955');
  });
});
