import { describe, expect, it } from 'vitest';
import { splitClauses, splitSentences } from './sentences.js';

describe('splitSentences', () => {
  it('splits with Intl.Segmenter and joins pieces broken after abbreviations', () => {
    expect(
      splitSentences('Hi there. I want a refund for order no. 4521! Mr. Rao paid Rs. 499 for it.'),
    ).toEqual(['Hi there.', 'I want a refund for order no. 4521!', 'Mr. Rao paid Rs. 499 for it.']);
  });

  it('ends a sentence at every line break and skips blank lines', () => {
    expect(splitSentences('Hi team,\n\nMy order is late\nRegards,\nAna')).toEqual([
      'Hi team,',
      'My order is late',
      'Regards,',
      'Ana',
    ]);
    expect(splitSentences('\n \n')).toEqual([]);
  });

  it('handles emoji, right-to-left text and very long input', () => {
    expect(splitSentences('My order is late 😡. طلبي متأخر. Thanks')).toEqual([
      'My order is late 😡.',
      'طلبي متأخر.',
      'Thanks',
    ]);
    expect(splitSentences('This is fine. '.repeat(5000))).toHaveLength(5000);
  });
});

describe('splitClauses', () => {
  const texts = (sentence: string) => splitClauses(sentence).map((clause) => clause.text);

  it('splits at connectives and at commas that start a new subject', () => {
    expect(texts("I want to return the shoes, they're a size too small")).toEqual([
      'I want to return the shoes',
      "they're a size too small",
    ]);
    expect(texts('I want a refund because my order 4521 arrived damaged')).toEqual([
      'I want a refund',
      'because my order 4521 arrived damaged',
    ]);
    expect(texts('I moved to Hyderabad, please update my address')).toEqual([
      'I moved to Hyderabad',
      'please update my address',
    ]);
  });

  it('keeps the separators, and short pieces with what follows', () => {
    expect(splitClauses('My husband and I are vegan, and we want the vegan menu')).toEqual([
      { text: 'My husband and I are vegan', separator: ', ' },
      { text: 'and we want the vegan menu', separator: '' },
    ]);
    expect(texts('Hi Meera, how are you')).toEqual(['Hi Meera, how are you']);
  });
});
