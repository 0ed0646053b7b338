import { describe, expect, it } from 'vitest';
import { parseSessionDate } from './dataset.js';
import { meanScores, percentile, scoreQuestion } from './metrics.js';

describe('LoCoMo metrics', () => {
  it('scores a ranked list against evidence', () => {
    const score = scoreQuestion(
      ['a', 'x', 'b', 'y', 'z', 'c'],
      ['a', 'b', 'c'],
      [400, 400, 400, 400, 400, 400],
    );
    expect(score.recallAt5).toBeCloseTo(2 / 3);
    expect(score.recallAt10).toBe(1);
    expect(score.hitAt5).toBe(1);
    expect(score.reciprocalRank).toBe(1);
    expect(score.recallAt1024Tokens).toBeCloseTo(1 / 3);
    const ideal = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(score.ndcgAt10).toBeCloseTo((1 + 1 / Math.log2(4) + 1 / Math.log2(7)) / ideal);
  });

  it('gives zero when nothing relevant is retrieved', () => {
    expect(scoreQuestion(['x'], ['a'], [1])).toEqual({
      recallAt5: 0,
      recallAt10: 0,
      hitAt5: 0,
      reciprocalRank: 0,
      ndcgAt10: 0,
      recallAt1024Tokens: 0,
    });
    expect(meanScores([]).count).toBe(0);
  });

  it('computes nearest-rank percentiles and parses session dates', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 100], 95)).toBe(100);
    expect(parseSessionDate('1:56 pm on 8 May, 2023')).toBe('2023-05-08T13:56:00.000Z');
    expect(parseSessionDate('12:09 am on 13 September, 2023')).toBe('2023-09-13T00:09:00.000Z');
  });
});
