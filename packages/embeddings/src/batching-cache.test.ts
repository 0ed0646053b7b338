import type { EmbedOptions, Embedder } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { withBatchingAndCache } from './batching-cache.js';

/** A raw embedder that records its calls; vectors are [length, 1, 0] (not normalised). */
function countingEmbedder(overrides: Partial<Embedder> = {}) {
  const calls: string[][] = [];
  const inner: Embedder = {
    model: 'test:3',
    dimensions: 3,
    async embed(texts: string[], _options?: EmbedOptions) {
      calls.push(texts);
      return texts.map((text) => new Float32Array([text.length, 1, 0]));
    },
    ...overrides,
  };
  return { inner, calls };
}

describe('withBatchingAndCache', () => {
  it('returns unit vectors in input order and nothing for an empty call', async () => {
    const { inner, calls } = countingEmbedder();
    const embedder = withBatchingAndCache(inner);
    expect(await embedder.embed([])).toEqual([]);
    expect(calls).toHaveLength(0);
    const [short, long] = await embedder.embed(['ab', 'abcdefg']);
    expect(short![0]).toBeCloseTo(2 / Math.sqrt(5), 6);
    expect(long![0]).toBeCloseTo(7 / Math.sqrt(50), 6);
  });

  it('embeds identical texts once per call and splits the rest into batches', async () => {
    const { inner, calls } = countingEmbedder();
    const embedder = withBatchingAndCache(inner, { batchSize: 2 });
    await embedder.embed(['a', 'b', 'a', 'c', 'b', 'd', 'e']);
    expect(calls).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('serves repeated texts from the cache, and caller mutations do not reach it', async () => {
    const { inner, calls } = countingEmbedder();
    const embedder = withBatchingAndCache(inner);
    const [first] = await embedder.embed(['hello']);
    first!.fill(0);
    const [second] = await embedder.embed(['hello']);
    expect(calls).toHaveLength(1);
    expect(second![1]).toBeGreaterThan(0);
  });

  it('evicts the least recently used vector when the cache is full', async () => {
    const { inner, calls } = countingEmbedder();
    const embedder = withBatchingAndCache(inner, { cacheSize: 2 });
    await embedder.embed(['a']);
    await embedder.embed(['b']);
    await embedder.embed(['c']);
    await embedder.embed(['c', 'b', 'a']);
    expect(calls).toEqual([['a'], ['b'], ['c'], ['a']]);
  });

  it('does not cache when cacheSize is 0', async () => {
    const { inner, calls } = countingEmbedder();
    const embedder = withBatchingAndCache(inner, { cacheSize: 0 });
    await embedder.embed(['a']);
    await embedder.embed(['a']);
    expect(calls).toEqual([['a'], ['a']]);
  });

  it('shares in-flight work between concurrent calls', async () => {
    const { inner, calls } = countingEmbedder();
    const embedder = withBatchingAndCache(inner);
    const [first, second] = await Promise.all([
      embedder.embed(['shared', 'one']),
      embedder.embed(['shared', 'two']),
    ]);
    expect(calls).toEqual([['shared', 'one'], ['two']]);
    expect(Array.from(first[0]!)).toEqual(Array.from(second[0]!));
  });

  it('embeds a shared text itself when the call it joined fails', async () => {
    let failNext = true;
    const { inner, calls } = countingEmbedder({
      async embed(texts: string[]) {
        calls.push(texts);
        if (failNext) {
          failNext = false;
          throw new Error('provider hiccup');
        }
        return texts.map(() => new Float32Array([1, 0, 0]));
      },
    });
    const embedder = withBatchingAndCache(inner);
    const results = await Promise.allSettled([embedder.embed(['x']), embedder.embed(['x'])]);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: { code: 'EMBEDDING_FAILED' } });
    expect(results[1]).toMatchObject({ status: 'fulfilled' });
    expect(calls).toEqual([['x'], ['x']]);
  });

  it('wraps provider errors and wrong answers as EMBEDDING_FAILED', async () => {
    const cause = new Error('boom');
    const failing = withBatchingAndCache(
      countingEmbedder({
        embed: async () => {
          throw cause;
        },
      }).inner,
    );
    await expect(failing.embed(['a'])).rejects.toMatchObject({ code: 'EMBEDDING_FAILED', cause });
    const short = withBatchingAndCache(countingEmbedder({ embed: async () => [] }).inner);
    await expect(short.embed(['a'])).rejects.toMatchObject({ code: 'EMBEDDING_FAILED' });
    const wrongLength = withBatchingAndCache(
      countingEmbedder({ embed: async () => [new Float32Array(2)] }).inner,
    );
    await expect(wrongLength.embed(['a'])).rejects.toMatchObject({ code: 'EMBEDDING_FAILED' });
  });

  it('refuses to start when the signal has already fired', async () => {
    const { inner, calls } = countingEmbedder();
    const embedder = withBatchingAndCache(inner);
    await expect(embedder.embed(['a'], { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'EMBEDDING_FAILED',
    });
    expect(calls).toHaveLength(0);
  });

  it('rejects bad options with VALIDATION_FAILED', () => {
    const { inner } = countingEmbedder();
    expect(() => withBatchingAndCache(inner, { batchSize: 0, cacheSize: -1 })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });
});
