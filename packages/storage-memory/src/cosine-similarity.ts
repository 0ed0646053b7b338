/** Euclidean length of a vector. */
export function vectorNorm(vector: Float32Array): number {
  let sum = 0;
  for (const value of vector) sum += value * value;
  return Math.sqrt(sum);
}

/**
 * Cosine similarity of two vectors of the same length, given their norms; null when the
 * lengths differ or either vector is zero, as no direction can be compared then.
 */
export function cosineSimilarity(
  left: Float32Array,
  leftNorm: number,
  right: Float32Array,
  rightNorm: number,
): number | null {
  if (left.length !== right.length || leftNorm === 0 || rightNorm === 0) return null;
  let dot = 0;
  for (let index = 0; index < left.length; index += 1) {
    dot += (left[index] ?? 0) * (right[index] ?? 0);
  }
  return dot / (leftNorm * rightNorm);
}
