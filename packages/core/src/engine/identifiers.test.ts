import { describe, expect, it } from 'vitest';
import { MemnexError } from '../errors.js';
import type { IdentifierNormalizer } from '../seams.js';
import { identifierNormalizer } from './identifiers.js';

function countingNormalizer() {
  const calls: string[] = [];
  const inner: IdentifierNormalizer = {
    normalize({ channel, id, defaultRegion }) {
      calls.push(`${channel}/${defaultRegion ?? '-'}/${id}`);
      if (id === 'bad') throw new Error('not a number');
      return { namespace: 'phone', value: `${defaultRegion ?? ''}${id.replace(/\D/gu, '')}` };
    },
  };
  return { calls, normalizer: identifierNormalizer(inner) };
}

describe('identifierNormalizer', () => {
  it('normalises an identifier once and hands out the same frozen form after', () => {
    const { calls, normalizer } = countingNormalizer();
    const first = normalizer.normalize({ channel: 'voice', id: '+1 555 0100' });
    const again = normalizer.normalize({ channel: 'voice', id: '+1 555 0100' });
    expect(again).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(calls).toEqual(['voice/-/+1 555 0100']);
  });

  it('keeps forms apart by channel, region and id', () => {
    const { calls, normalizer } = countingNormalizer();
    normalizer.normalize({ channel: 'voice', id: '0100' });
    normalizer.normalize({ channel: 'sms', id: '0100' });
    const inGermany = normalizer.normalize({ channel: 'voice', id: '0100', defaultRegion: 'DE' });
    expect(inGermany.value).toBe('DE0100');
    expect(calls).toHaveLength(3);
  });

  it('remembers no failure: each bad identifier is refused again', () => {
    const { calls, normalizer } = countingNormalizer();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      let error: unknown;
      try {
        normalizer.normalize({ channel: 'voice', id: 'bad' });
      } catch (caught) {
        error = caught;
      }
      expect(MemnexError.isInstance(error) && error.code).toBe('VALIDATION_FAILED');
    }
    expect(calls).toHaveLength(2);
  });
});
