import type { IndexHit } from '../ports/index.js';

/** One ranked list and its weight in the fusion. */
export interface RankedList {
  hits: IndexHit[];
  weight: number;
  /**
   * The score a candidate absent from this list would have had, when known (0 for BM25: no
   * matching term). When absent, such a candidate takes the list's lowest score.
   */
  missingScore?: number;
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

function zScores(list: RankedList): { scores: Map<string, number>; missing: number } {
  const { hits } = list;
  const count = Math.max(1, hits.length);
  const mean = hits.reduce((sum, hit) => sum + hit.score, 0) / count;
  const deviation = Math.sqrt(hits.reduce((sum, hit) => sum + (hit.score - mean) ** 2, 0) / count);
  const z = (score: number) => (deviation > 0 ? (score - mean) / deviation : 0);
  const lowest = hits.length === 0 ? 0 : Math.min(...hits.map((hit) => hit.score));
  return {
    scores: new Map(hits.map((hit) => [hit.memoryId, z(hit.score)])),
    missing: hits.length === 0 ? 0 : z(Math.min(lowest, list.missingScore ?? lowest)),
  };
}

/**
 * Distribution-based score fusion: each list's scores become z-scores over that list's
 * candidates, and a candidate's score is the weighted sum of its z-scores. A candidate missing
 * from a list takes the z-score of the list's `missingScore` (or of its lowest hit). Unlike rank
 * fusion it keeps how far apart the scores are, so one strong lexical match is not drowned by
 * several middling vector neighbours.
 */
export function zScoreFusion(lists: RankedList[]): FusedHit[] {
  const normalised = lists.map(zScores);
  const ids = new Set(lists.flatMap((list) => list.hits.map((hit) => hit.memoryId)));
  const ranks = lists.map(
    (list) => new Map(list.hits.map((hit, position) => [hit.memoryId, position + 1])),
  );
  const fused: FusedHit[] = [...ids].map((memoryId) => ({
    memoryId,
    score: lists.reduce(
      (sum, list, index) =>
        sum + list.weight * (normalised[index]!.scores.get(memoryId) ?? normalised[index]!.missing),
      0,
    ),
    ranks: ranks.map((byId) => byId.get(memoryId) ?? null),
  }));
  return fused.sort((a, b) => b.score - a.score);
}
