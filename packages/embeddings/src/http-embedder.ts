import type { Embedder } from '@memnex/core';
import { postJson, type PostJsonRequest } from '@memnex/provider-utils';
import { type BatchingCacheOptions, withBatchingAndCache } from './batching-cache.js';
import { createDimensionGuard } from './dimension-guard.js';
import { embeddingRequestFailed } from './embedding-error.js';

/** Default time limit of one embedding HTTP request. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Default number of texts per request to an HTTP embedding endpoint. */
export const DEFAULT_HTTP_BATCH_SIZE = 96;

/**
 * POST `body` as JSON to an embedding endpoint and return the parsed JSON response. Every failure
 * (network, timeout, abort, non-2xx, invalid JSON) becomes `EMBEDDING_FAILED`; messages carry the
 * status and a short excerpt of the response body with the secrets removed.
 */
export function postEmbeddingRequest(
  request: Omit<PostJsonRequest, 'logMessage' | 'toError'>,
): Promise<unknown> {
  return postJson({ ...request, logMessage: 'embedding request', toError: embeddingRequestFailed });
}

/** What {@link createHttpEmbedder} needs from one provider. */
export interface HttpEmbedderParts extends BatchingCacheOptions {
  /** Model id recorded with every vector. */
  modelId: string;
  /** Vector length when known up front; otherwise learnt from the first response. */
  dimensions: number | undefined;
  /** One request for a batch of texts: the raw vectors, in order. */
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}

/**
 * The Embedder of an HTTP provider: every answer checked against the model's dimension (learnt
 * from the first answer when not configured, with a probe request at `init` only then), vectors
 * as `Float32Array`s, batching and caching with the HTTP defaults.
 */
export function createHttpEmbedder(parts: HttpEmbedderParts): Embedder {
  const guard = createDimensionGuard(parts.modelId, parts.dimensions);
  const embed = async (texts: string[], signal?: AbortSignal) => {
    const vectors = await parts.embed(texts, signal);
    guard.check(vectors);
    return vectors.map((vector) => Float32Array.from(vector));
  };
  const inner: Embedder = {
    model: parts.modelId,
    get dimensions() {
      return guard.value;
    },
    embed: (texts, callOptions) => embed(texts, callOptions?.signal),
    async init() {
      // Only an unknown dimension needs the endpoint at start-up.
      if (guard.value === 0) await embed(['dimension probe']);
    },
  };
  return withBatchingAndCache(inner, {
    batchSize: parts.batchSize ?? DEFAULT_HTTP_BATCH_SIZE,
    cacheSize: parts.cacheSize,
  });
}
