import { describe, expect, it } from 'vitest';
import { decodeVector, encodeVector, vectorLiteral, vectorOf } from './vector-codec.js';

describe('vector codec', () => {
  it('round-trips float32 vectors through little-endian bytes', () => {
    const vector = Float32Array.from([1, -0.5, 3.4028234663852886e38, 1e-45, 0.1]);
    const bytes = encodeVector(vector);
    expect(bytes).toHaveLength(20);
    expect(Array.from(bytes.slice(0, 4))).toEqual([0, 0, 0x80, 0x3f]);
    expect(decodeVector(bytes)).toEqual(vector);
  });

  it('reads bytes in place when aligned, and copies them when not', () => {
    const bytes = encodeVector(Float32Array.from([0.25, 2]));
    expect(vectorOf(bytes)).toEqual(Float32Array.from([0.25, 2]));
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(vectorOf(shifted.subarray(1))).toEqual(Float32Array.from([0.25, 2]));
    expect(decodeVector(shifted.subarray(1))).toEqual(Float32Array.from([0.25, 2]));
  });

  it('writes the pgvector literal with every float exactly', () => {
    const vector = Float32Array.from([0.1, -2, 0]);
    expect(vectorLiteral(vector)).toBe(`[${vector[0]},-2,0]`);
    expect(Math.fround(Number(vectorLiteral(vector).slice(1).split(',')[0]))).toBe(vector[0]);
  });
});
