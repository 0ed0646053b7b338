import { describe, expect, it } from 'vitest';
import { termSimilarity } from '@memnex/core';
import { matchFacts, termsOf } from './matching.js';

describe('matching', () => {
  it('compares stemmed content words, without pronouns and numbers', () => {
    expect([...termsOf('I want a refund for my order 4521')]).toEqual(['want', 'refund', 'order']);
    expect(termSimilarity(termsOf('Wants a refund'), termsOf('want refund'))).toBe(1);
  });

  it('matches one to one, same type only, best pairs first', () => {
    const pairs = matchFacts(
      [
        { type: 'issue', text: 'Order arrived damaged' },
        { type: 'intent', text: 'Wants a refund' },
        { type: 'issue', text: 'Box arrived damaged and wet' },
      ],
      [
        { type: 'issue', text: 'order arrived damaged' },
        { type: 'issue', text: 'refund requested' },
      ],
    );
    expect(pairs).toEqual([[0, 0]]);
  });
});
