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

function zScores(hits: IndexHit[]): Map<string, number> {
  const count = hits.length;
  const mean = hits.reduce((sum, hit) => sum + hit.score, 0) / Math.max(1, count);
  const variance = hits.reduce((sum, hit) => sum + (hit.score - mean) ** 2, 0) / Math.max(1, count);
  const deviation = Math.sqrt(variance);
  return new Map(
    hits.map((hit) => [hit.memoryId, deviation > 0 ? (hit.score - mean) / deviation : 0]),
  );
}

/**
 * Distribution-based score fusion: each list's scores become z-scores over that list's
 * candidates, and a candidate's score is the weighted sum of its z-scores. A candidate missing
 * from a list takes that list's lowest z-score, as if ranked just below its last hit. Unlike rank
 * fusion it keeps how far apart the scores are, so one strong lexical match is not drowned by
 * several middling vector neighbours.
 */
export function zScoreFusion(lists: RankedList[]): FusedHit[] {
  const normalised = lists.map((list) => zScores(list.hits));
  const floors = normalised.map((scores) => (scores.size === 0 ? 0 : Math.min(...scores.values())));
  const ids = new Set(lists.flatMap((list) => list.hits.map((hit) => hit.memoryId)));
  const ranks = lists.map(
    (list) => new Map(list.hits.map((hit, position) => [hit.memoryId, position + 1])),
  );
  const fused: FusedHit[] = [...ids].map((memoryId) => ({
    memoryId,
    score: lists.reduce(
      (sum, list, index) =>
        sum + list.weight * (normalised[index]!.get(memoryId) ?? floors[index]!),
      0,
    ),
    ranks: ranks.map((byId) => byId.get(memoryId) ?? null),
  }));
  return fused.sort((a, b) => b.score - a.score);
}
