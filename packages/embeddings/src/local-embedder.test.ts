import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalEmbedder } from './local-embedder.js';
import { cosineSimilarity } from './vector-math.js';

// One embedder, so the shipped weights load once for this file; no cache, so every call runs the model.
const embedder = createLocalEmbedder({ cacheSize: 0 });

beforeAll(async () => {
  await embedder.init?.();
});

afterAll(async () => {
  await embedder.close?.();
});

function norm(vector: Float32Array): number {
  return Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
}

describe('createLocalEmbedder (shipped USE-lite weights)', () => {
  it('returns 512-d unit vectors under the stable model id', async () => {
    expect(embedder.model).toBe('local:use-lite-512');
    expect(embedder.dimensions).toBe(512);
    const vectors = await embedder.embed(['hello world', '']);
    for (const vector of vectors) {
      expect(vector).toHaveLength(512);
      expect(norm(vector)).toBeCloseTo(1, 4);
    }
  });

  it('places a refund request closer to "money back" than to a colour', async () => {
    const [refund, moneyBack, colour] = await embedder.embed([
      'I want a refund for my order',
      'customer asks for money back on the purchase',
      'my favourite colour is blue',
    ]);
    expect(cosineSimilarity(refund!, moneyBack!)).toBeGreaterThan(
      cosineSimilarity(refund!, colour!),
    );
  });

  it('gives the same vector to a text alone or inside a batch', async () => {
    const [alone] = await embedder.embed(['the parcel arrived damaged']);
    const batch = await embedder.embed(['something else', 'the parcel arrived damaged']);
    expect(cosineSimilarity(alone!, batch[1]!)).toBeCloseTo(1, 5);
  });
});
