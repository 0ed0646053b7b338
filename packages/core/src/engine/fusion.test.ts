import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion, zScoreFusion } from './fusion.js';

const hits = (...entries: Array<[string, number]>) =>
  entries.map(([memoryId, score]) => ({ memoryId, score }));

describe('fusion', () => {
  it('z-score fusion keeps a strong lexical match above middling vector neighbours', () => {
    const lexical = { weight: 1, hits: hits(['strong', 12], ['a', 2], ['b', 1.5], ['c', 1]) };
    const vector = {
      weight: 1,
      hits: hits(
        ['a', 0.42],
        ['b', 0.41],
        ['c', 0.4],
        ['strong', 0.38],
        ['d', 0.15],
        ['e', 0.12],
        ['f', 0.1],
      ),
    };
    expect(zScoreFusion([lexical, vector])[0]?.memoryId).toBe('strong');
    // Rank fusion flattens the gap and lets the neighbour that is second in both lists win.
    expect(reciprocalRankFusion([lexical, vector], 60)[0]?.memoryId).toBe('a');
  });

  it("gives a candidate missing from a list that list's lowest score, and records ranks", () => {
    const fused = zScoreFusion([
      { weight: 1, hits: hits(['x', 3], ['y', 1]) },
      { weight: 1, hits: hits(['z', 0.9], ['x', 0.1]) },
    ]);
    expect(fused.find((hit) => hit.memoryId === 'y')?.ranks).toEqual([2, null]);
    expect(fused.find((hit) => hit.memoryId === 'z')?.ranks).toEqual([null, 1]);
    expect(fused.map((hit) => hit.memoryId)).toHaveLength(3);
  });

  it('scores a lexical miss as BM25 zero: below the weakest match', () => {
    const fused = zScoreFusion([
      { weight: 1, missingScore: 0, hits: hits(['strong', 4], ['weak', 1]) },
      { weight: 1, hits: hits(['weak', 0.5], ['miss', 0.5], ['strong', 0.5]) },
    ]);
    expect(fused.map((hit) => hit.memoryId)).toEqual(['strong', 'weak', 'miss']);
  });

  it('handles empty lists and ties without dividing by zero', () => {
    expect(zScoreFusion([{ weight: 1, hits: [] }])).toEqual([]);
    const tied = zScoreFusion([{ weight: 1, hits: hits(['a', 1], ['b', 1]) }]);
    expect(tied.map((hit) => hit.score)).toEqual([0, 0]);
  });
});
