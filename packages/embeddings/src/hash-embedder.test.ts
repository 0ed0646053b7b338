import { describe, expect, it } from 'vitest';
import { createHashEmbedder } from './hash-embedder.js';
import { cosineSimilarity } from './vector-math.js';

function norm(vector: Float32Array): number {
  return Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
}

describe('createHashEmbedder', () => {
  it('is deterministic across instances and returns unit vectors', async () => {
    const texts = ['I want a refund for my order', 'My favourite colour is blue', ''];
    const first = await createHashEmbedder().embed(texts);
    const second = await createHashEmbedder({ cacheSize: 0 }).embed(texts);
    first.forEach((vector, index) => {
      expect(vector).toHaveLength(256);
      expect(norm(vector)).toBeCloseTo(1, 5);
      expect(Array.from(vector)).toEqual(Array.from(second[index]!));
    });
  });

  it('names its model after the dimensions', () => {
    const embedder = createHashEmbedder({ dimensions: 64 });
    expect(embedder.model).toBe('hash:64');
    expect(embedder.dimensions).toBe(64);
  });

  it('gives texts sharing words a higher similarity than unrelated texts', async () => {
    const [order, refund, colour] = await createHashEmbedder().embed([
      'Where is my order? I ordered shoes last week',
      'the order of shoes has not arrived',
      'my favourite colour is blue',
    ]);
    expect(cosineSimilarity(order!, refund!)).toBeGreaterThan(0.2);
    expect(cosineSimilarity(order!, refund!)).toBeGreaterThan(cosineSimilarity(order!, colour!));
  });

  it('rejects a non-positive dimension', () => {
    expect(() => createHashEmbedder({ dimensions: 0 })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });
});
