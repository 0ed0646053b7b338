import { describe, expect, it } from 'vitest';
import { analyzeTerms, normalizeText } from './analyze.js';

describe('text analysis', () => {
  it('stems so that inflections match, keeps numbers and drops stopwords', () => {
    expect(analyzeTerms('The refunds for orders #4521 were delayed')).toEqual([
      'refund',
      'order',
      '4521',
      'delai',
    ]);
    expect(analyzeTerms('refund')).toEqual(analyzeTerms('Refunds'));
  });

  it('normalises case, width, spacing and trailing punctuation for deduplication', () => {
    expect(normalizeText('  Wants   a REFUND. ')).toBe(normalizeText('wants a refund'));
    expect(normalizeText('ＡＢＣ')).toBe('abc');
  });
});
