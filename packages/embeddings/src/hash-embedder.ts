import { analyzeTerms, type Embedder, tokenize } from '@memnex/core';
import { type BatchingCacheOptions, withBatchingAndCache } from './batching-cache.js';
import { throwIfAborted } from './embedding-error.js';
import { EmbedderOptionIssues } from './embedder-option-issues.js';

/** Options of {@link createHashEmbedder}. */
export interface HashEmbedderOptions extends BatchingCacheOptions {
  /** Vector length; defaults to 256. */
  dimensions?: number;
}

/**
 * A deterministic embedder FOR TESTS ONLY (model id `hash:<dimensions>`): each stemmed,
 * lower-cased word is hashed (FNV-1a) into one signed bucket, so texts sharing words get a
 * positive cosine similarity. It knows nothing about meaning ("refund" and "money back" share
 * nothing); never use it in production.
 */
export function createHashEmbedder(options: HashEmbedderOptions = {}): Embedder {
  new EmbedderOptionIssues('createHashEmbedder')
    .integer('dimensions', options.dimensions, 1)
    .batching(options)
    .throwIfAny();
  const dimensions = options.dimensions ?? 256;
  const inner: Embedder = {
    model: `hash:${dimensions}`,
    dimensions,
    async embed(texts, callOptions) {
      throwIfAborted(callOptions?.signal);
      return texts.map((text) => hashText(text, dimensions));
    },
  };
  return withBatchingAndCache(inner, options);
}

function hashText(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  let terms = analyzeTerms(text);
  if (terms.length === 0) terms = tokenize(text);
  // A text without words still gets a fixed, non-zero vector.
  if (terms.length === 0) terms = [''];
  for (const term of terms) {
    const hash = fnv1a(term);
    const bucket = hash % dimensions;
    // The sign comes from a second hash, independent of the bucket, so collisions tend to cancel.
    const sign = fnv1a(`#${term}`) & 1 ? -1 : 1;
    vector[bucket] = (vector[bucket] as number) + sign;
  }
  // Opposite signs may cancel out completely; keep the vector non-zero so it can be normalised.
  if (vector.every((value) => value === 0)) vector[fnv1a(text) % dimensions] = 1;
  return vector;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
