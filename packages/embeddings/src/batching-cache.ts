import { createHash } from 'node:crypto';
import type { EmbedOptions, Embedder } from '@memnex/core';
import { LRUCache } from 'lru-cache';
import { embeddingFailed, throwIfAborted } from './embedding-error.js';
import { EmbedderOptionIssues } from './embedder-option-issues.js';
import { l2Normalize } from './vector-math.js';

/** Default number of cached vectors per embedder. */
export const DEFAULT_CACHE_SIZE = 10_000;

/** Batching and caching options shared by every embedder factory. */
export interface BatchingCacheOptions {
  /** Most distinct texts sent to the underlying model or endpoint in one call. */
  batchSize?: number;
  /** Most vectors kept in the LRU cache keyed by (model, SHA-256 of text); 0 disables it. */
  cacheSize?: number;
}

interface PendingText {
  key: string;
  text: string;
}

/**
 * Wrap a raw embedder so that it splits work into batches of `batchSize` distinct texts, embeds
 * identical texts once per call, shares in-flight work between concurrent calls, caches vectors
 * in an LRU keyed by (model, SHA-256 of text), L2-normalises and checks every vector. Every
 * factory of this package returns its provider wrapped this way; custom providers can use it too.
 */
export function withBatchingAndCache(
  inner: Embedder,
  options: BatchingCacheOptions = {},
): Embedder {
  new EmbedderOptionIssues('withBatchingAndCache').batching(options).throwIfAny();
  const batchSize = options.batchSize ?? 32;
  const cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
  const cache = cacheSize > 0 ? new LRUCache<string, Float32Array>({ max: cacheSize }) : undefined;
  const inFlight = new Map<string, Promise<Float32Array>>();

  async function embedBatch(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    throwIfAborted(signal);
    let vectors: Float32Array[];
    try {
      vectors = await inner.embed(texts, { signal });
    } catch (error) {
      throw embeddingFailed(`embedding with ${inner.model} failed`, error);
    }
    if (!Array.isArray(vectors) || vectors.length !== texts.length) {
      throw embeddingFailed(
        `${inner.model} returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${texts.length} texts`,
      );
    }
    const dimensions = inner.dimensions;
    return vectors.map((vector) => {
      if (vector.length !== dimensions) {
        throw embeddingFailed(
          `${inner.model} returned a ${vector.length}-dimensional vector, expected ${dimensions}`,
          undefined,
          { expected: dimensions, received: vector.length },
        );
      }
      return l2Normalize(vector);
    });
  }

  /** Embed `own` texts in batches, publishing each result to waiting calls and the cache. */
  async function embedOwn(
    own: PendingText[],
    found: Map<string, Float32Array>,
    signal?: AbortSignal,
  ): Promise<void> {
    const settle = new Map<string, (vector: Float32Array | Error) => void>();
    for (const item of own) {
      const promise = new Promise<Float32Array>((resolve, reject) => {
        settle.set(item.key, (result) =>
          result instanceof Error ? reject(result) : resolve(result),
        );
      });
      // Nobody may be waiting; the rejection is delivered to this call's caller instead.
      promise.catch(() => undefined);
      inFlight.set(item.key, promise);
    }
    const finish = (key: string, result: Float32Array | Error): void => {
      settle.get(key)?.(result);
      settle.delete(key);
      inFlight.delete(key);
    };
    try {
      for (let start = 0; start < own.length; start += batchSize) {
        const batch = own.slice(start, start + batchSize);
        const vectors = await embedBatch(
          batch.map((item) => item.text),
          signal,
        );
        batch.forEach((item, index) => {
          const vector = vectors[index] as Float32Array;
          cache?.set(item.key, vector);
          found.set(item.key, vector);
          finish(item.key, vector);
        });
      }
    } catch (error) {
      const failure = error instanceof Error ? error : embeddingFailed('embedding failed', error);
      for (const key of [...settle.keys()]) finish(key, failure);
      throw error;
    }
  }

  async function fill(
    wanted: Map<string, string>,
    found: Map<string, Float32Array>,
    joinOthers: boolean,
    signal?: AbortSignal,
  ): Promise<void> {
    const own: PendingText[] = [];
    const joined: { key: string; text: string; promise: Promise<Float32Array> }[] = [];
    for (const [key, text] of wanted) {
      const cached = cache?.get(key);
      if (cached !== undefined) {
        found.set(key, cached);
        continue;
      }
      const promise = joinOthers ? inFlight.get(key) : undefined;
      if (promise !== undefined) joined.push({ key, text, promise });
      else own.push({ key, text });
    }
    await embedOwn(own, found, signal);
    const retry = new Map<string, string>();
    for (const item of joined) {
      try {
        found.set(item.key, await item.promise);
      } catch (_error) {
        // The other call failed or was aborted by its own caller: embed these texts ourselves.
        retry.set(item.key, item.text);
      }
    }
    if (retry.size > 0) await fill(retry, found, false, signal);
  }

  return {
    get model() {
      return inner.model;
    },
    get dimensions() {
      return inner.dimensions;
    },
    async embed(texts: string[], callOptions?: EmbedOptions): Promise<Float32Array[]> {
      if (texts.length === 0) return [];
      const signal = callOptions?.signal;
      throwIfAborted(signal);
      const model = inner.model;
      const keys = texts.map((text) => cacheKey(model, text));
      const wanted = new Map<string, string>();
      keys.forEach((key, index) => wanted.set(key, texts[index] as string));
      const found = new Map<string, Float32Array>();
      await fill(wanted, found, true, signal);
      // Copies, so that a caller mutating its result cannot corrupt the cache.
      return keys.map((key) => (found.get(key) as Float32Array).slice());
    },
    async init() {
      try {
        await inner.init?.();
      } catch (error) {
        throw embeddingFailed(`initialising ${inner.model} failed`, error);
      }
    },
    async close() {
      cache?.clear();
      await inner.close?.();
    },
  };
}

function cacheKey(model: string, text: string): string {
  return `${model}\u0000${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}
