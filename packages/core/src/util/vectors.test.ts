import { describe, expect, it } from 'vitest';
import { cosineSimilarity, vectorNorm } from './vectors.js';

describe('vectors', () => {
  it('measures length and cosine similarity', () => {
    const a = Float32Array.from([3, 4]);
    const b = Float32Array.from([4, 3]);
    expect(vectorNorm(a)).toBe(5);
    expect(cosineSimilarity(a, 5, b, 5)).toBeCloseTo(24 / 25, 6);
    expect(cosineSimilarity(a, 5, Float32Array.from([-3, -4]), 5)).toBeCloseTo(-1, 6);
  });

  it('has no similarity for zero vectors or different lengths', () => {
    expect(cosineSimilarity([0, 0], 0, [1, 0], 1)).toBeNull();
    expect(cosineSimilarity([1, 0], 1, [1, 0, 0], 1)).toBeNull();
    const query = Float32Array.from([3, 4]);
    const stored = Float32Array.from([4, 3]);
    expect(cosineSimilarity(stored, vectorNorm(stored), query, vectorNorm(query))).toBeCloseTo(
      24 / 25,
      10,
    );
    expect(cosineSimilarity(Float32Array.from([0, 0]), 0, query, 5)).toBeNull();
    expect(cosineSimilarity(stored, 5, Float32Array.from([0, 0]), 0)).toBeNull();
    expect(cosineSimilarity(Float32Array.from([3, 4, 0]), 5, query, 5)).toBeNull();
  });
});
