import type { IndexHit } from '../ports/index.js';

/** One ranked list and its weight in the fusion. */
export interface RankedList {
  hits: IndexHit[];
  weight: number;
}

/** A fused candidate with its rank (1-based) in each input list, or null when absent. */
export interface FusedHit {
  memoryId: string;
  score: number;
  ranks: Array<number | null>;
}

/**
 * Weighted reciprocal-rank fusion: score = sum of weight / (k + rank) over the lists a candidate
 * appears in. Robust to the different scales of BM25 and cosine scores.
 */
export function reciprocalRankFusion(lists: RankedList[], k: number): FusedHit[] {
  const fused = new Map<string, FusedHit>();
  lists.forEach((list, listIndex) => {
    list.hits.forEach((hit, position) => {
      let entry = fused.get(hit.memoryId);
      if (!entry) {
        entry = { memoryId: hit.memoryId, score: 0, ranks: lists.map(() => null) };
        fused.set(hit.memoryId, entry);
      }
      entry.ranks[listIndex] = position + 1;
      entry.score += list.weight / (k + position + 1);
    });
  });
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
