import { describe, expect, it } from 'vitest';
import { BM25_DEFAULTS, createBm25Scorer } from './bm25-scorer.js';

/** BM25 of one term by the textbook formula, for checking the scorer's arithmetic. */
function expectedScore(options: {
  frequency: number;
  length: number;
  averageLength: number;
  documents: number;
  containing: number;
  k1?: number;
  b?: number;
}): number {
  const { frequency, length, averageLength, documents, containing } = options;
  const k1 = options.k1 ?? BM25_DEFAULTS.k1;
  const b = options.b ?? BM25_DEFAULTS.b;
  const idf = Math.log(1 + (documents - containing + 0.5) / (containing + 0.5));
  return (idf * frequency * (k1 + 1)) / (frequency + k1 * (1 - b + (b * length) / averageLength));
}

describe('createBm25Scorer', () => {
  it('ranks the document with the rare term first', () => {
    const scorer = createBm25Scorer();
    scorer.add('common-1', ['order', 'ship']);
    scorer.add('common-2', ['order', 'late']);
    scorer.add('rare', ['order', 'refund']);
    const scores = scorer.score(['order', 'refund']);
    const ranked = [...scores].sort((left, right) => right[1] - left[1]).map(([id]) => id);
    expect(ranked[0]).toBe('rare');
    expect(scores.size).toBe(3);
  });

  it('computes the textbook BM25 score', () => {
    const scorer = createBm25Scorer();
    scorer.add('a', ['refund', 'refund', 'order']);
    scorer.add('b', ['order']);
    const score = scorer.score(['refund']).get('a');
    expect(score).toBeCloseTo(
      expectedScore({ frequency: 2, length: 3, averageLength: 2, documents: 2, containing: 1 }),
      10,
    );
  });

  it('applies k1 and b from its options', () => {
    const scorer = createBm25Scorer({ k1: 2, b: 0 });
    scorer.add('long', ['refund', 'x', 'y', 'z', 'w']);
    scorer.add('short', ['refund']);
    const scores = scorer.score(['refund']);
    // With b = 0 document length no longer matters.
    expect(scores.get('long')).toBeCloseTo(scores.get('short') ?? 0, 10);
    expect(scores.get('short')).toBeCloseTo(
      expectedScore({
        frequency: 1,
        length: 1,
        averageLength: 3,
        documents: 2,
        containing: 2,
        k1: 2,
        b: 0,
      }),
      10,
    );
  });

  it('prefers the shorter of two documents with the same term frequency', () => {
    const scorer = createBm25Scorer();
    scorer.add('long', ['refund', 'order', 'late', 'again']);
    scorer.add('short', ['refund', 'order']);
    const scores = scorer.score(['refund']);
    expect(scores.get('short') ?? 0).toBeGreaterThan(scores.get('long') ?? 0);
  });

  it('counts a repeated query term once', () => {
    const scorer = createBm25Scorer();
    scorer.add('a', ['refund']);
    scorer.add('b', ['order']);
    expect(scorer.score(['refund', 'refund']).get('a')).toBe(scorer.score(['refund']).get('a'));
  });

  it('forgets removed and replaced documents, with their statistics', () => {
    const scorer = createBm25Scorer();
    scorer.add('a', ['refund']);
    scorer.add('b', ['order']);
    scorer.add('a', ['invoice']);
    expect(scorer.score(['refund']).size).toBe(0);
    expect(scorer.remove('b')).toBe(true);
    expect(scorer.remove('b')).toBe(false);
    expect(scorer.size).toBe(1);
    expect(scorer.score(['invoice']).get('a')).toBeCloseTo(
      expectedScore({ frequency: 1, length: 1, averageLength: 1, documents: 1, containing: 1 }),
      10,
    );
  });

  it('scores nothing for an empty index or query', () => {
    const scorer = createBm25Scorer();
    expect(scorer.score(['refund']).size).toBe(0);
    scorer.add('a', ['refund']);
    expect(scorer.score([]).size).toBe(0);
  });

  it('counts context terms with their weight, so a reply is found by its question but ranks below it', () => {
    const scorer = createBm25Scorer();
    scorer.add('question', ['move', 'berlin']);
    scorer.add('reply', ['yes', 'may'], { terms: ['move', 'berlin'], weight: 0.5 });
    scorer.add('other', ['weather', 'nice']);
    const scores = scorer.score(['berlin']);
    expect(scores.get('reply')).toBeGreaterThan(0);
    expect(scores.get('question')).toBeGreaterThan(scores.get('reply') ?? 0);
    expect(scores.has('other')).toBe(false);
  });
});
