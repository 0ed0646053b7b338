import { describe, expect, it } from 'vitest';
import { cosineSimilarity, l2Normalize } from './vector-math.js';

describe('cosineSimilarity', () => {
  it('is 1 for parallel, 0 for orthogonal and -1 for opposite vectors', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 10);
    expect(cosineSimilarity([1, 0], [0, 5])).toBe(0);
    expect(cosineSimilarity(new Float32Array([1, 1]), new Float32Array([-1, -1]))).toBeCloseTo(-1);
  });

  it('is 0 when a vector is zero and throws on different lengths', () => {
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(RangeError);
  });
});

describe('l2Normalize', () => {
  it('scales to unit length and leaves zero vectors alone', () => {
    expect(Array.from(l2Normalize([3, 4]))).toEqual([
      expect.closeTo(0.6, 6),
      expect.closeTo(0.8, 6),
    ]);
    expect(Array.from(l2Normalize([0, 0]))).toEqual([0, 0]);
  });
});
