/** Euclidean length of a vector. */
export function vectorNorm(vector: ArrayLike<number>): number {
  let sum = 0;
  for (let index = 0; index < vector.length; index += 1) {
    const value = vector[index] ?? 0;
    sum += value * value;
  }
  return Math.sqrt(sum);
}

/**
 * Cosine similarity of two vectors, given their norms (compute them once with
 * {@link vectorNorm} when a vector is compared many times). Null when the lengths differ or
 * either vector is zero, as no direction can be compared then.
 */
export function cosineSimilarity(
  left: ArrayLike<number>,
  leftNorm: number,
  right: ArrayLike<number>,
  rightNorm: number,
): number | null {
  if (left.length !== right.length || leftNorm === 0 || rightNorm === 0) return null;
  let dot = 0;
  for (let index = 0; index < left.length; index += 1) {
    dot += (left[index] ?? 0) * (right[index] ?? 0);
  }
  return dot / (leftNorm * rightNorm);
}
