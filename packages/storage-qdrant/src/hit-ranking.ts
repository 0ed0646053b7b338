import type { IndexHit } from '@memnex/core';

/** A scored point as the query endpoint returns it (payload limited to the fields asked for). */
export interface ScoredPointLike {
  score: number;
  payload?: Record<string, unknown> | null;
}

/** Payload fields a search asks for: the id to return and the instant that breaks ties. */
export const HIT_PAYLOAD_FIELDS = ['memory_id', 'observed_at'];

interface RankedPoint {
  memoryId: string;
  observedAt: number;
  score: number;
}

/**
 * Best first, ties broken as every Memnex index breaks them: the newer `observed_at` first, then
 * the smaller memory id. Qdrant promises no order among equal scores. Scores are clamped to
 * [-1, 1], the range of a cosine similarity, which float32 rounding can overshoot.
 */
export function rankPoints(points: readonly ScoredPointLike[], limit: number): IndexHit[] {
  const ranked: RankedPoint[] = [];
  for (const point of points) {
    const memoryId = point.payload?.memory_id;
    const observedAt = point.payload?.observed_at;
    if (typeof memoryId !== 'string') continue;
    ranked.push({
      memoryId,
      observedAt: typeof observedAt === 'number' ? observedAt : 0,
      score: Math.max(-1, Math.min(1, point.score)),
    });
  }
  ranked.sort(
    (left, right) =>
      right.score - left.score ||
      right.observedAt - left.observedAt ||
      (left.memoryId < right.memoryId ? -1 : left.memoryId > right.memoryId ? 1 : 0),
  );
  return ranked.slice(0, limit).map(({ memoryId, score }) => ({ memoryId, score }));
}
