/**
 * Cosine similarity of two vectors of equal length, in [-1, 1]. Zero vectors have similarity 0.
 * For L2-normalised vectors (every Memnex embedder returns them) this equals the dot product.
 */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new RangeError(`cannot compare vectors of length ${a.length} and ${b.length}`);
  }
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index += 1) {
    const x = a[index] as number;
    const y = b[index] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  if (normA === 0 || normB === 0) return 0;
  return dot / Math.sqrt(normA * normB);
}

/** A new Float32Array with the values of `vector` scaled to unit length; zeros stay zeros. */
export function l2Normalize(vector: ArrayLike<number>): Float32Array {
  const result = Float32Array.from(vector);
  let sum = 0;
  for (const value of result) sum += value * value;
  if (sum === 0) return result;
  const scale = 1 / Math.sqrt(sum);
  for (let index = 0; index < result.length; index += 1) {
    result[index] = (result[index] as number) * scale;
  }
  return result;
}
