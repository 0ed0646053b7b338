import { cosineSimilarity as cosineWithNorms, vectorNorm } from '@memnex/core';

/**
 * Cosine similarity of two vectors of equal length, in [-1, 1]. Zero vectors have similarity 0.
 * For L2-normalised vectors (every Memnex embedder returns them) this equals the dot product.
 */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new RangeError(`cannot compare vectors of length ${a.length} and ${b.length}`);
  }
  return cosineWithNorms(a, vectorNorm(a), b, vectorNorm(b)) ?? 0;
}

/** A new Float32Array with the values of `vector` scaled to unit length; zeros stay zeros. */
export function l2Normalize(vector: ArrayLike<number>): Float32Array {
  const result = Float32Array.from(vector);
  const norm = vectorNorm(result);
  if (norm === 0) return result;
  const scale = 1 / norm;
  for (let index = 0; index < result.length; index += 1) {
    result[index] = (result[index] as number) * scale;
  }
  return result;
}
