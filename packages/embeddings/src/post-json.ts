import { type BatchingCacheOptions, withBatchingAndCache } from './batching-cache.js';
import { createDimensionGuard } from './dimension-guard.js';
import type { Embedder, Logger } from '@memnex/core';
import { embeddingFailed } from './embedding-error.js';

/** Default time limit of one embedding HTTP request. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Default number of texts per request to an HTTP embedding endpoint. */
export const DEFAULT_HTTP_BATCH_SIZE = 96;

const EXCERPT_LENGTH = 200;

/** One JSON POST to an embedding endpoint. */
export interface PostJsonRequest {
  /** Provider name used in error messages, e.g. `openai`. */
  provider: string;
  /** Full URL of the endpoint. */
  url: string;
  /** Extra headers (authentication, caller headers). */
  headers: Record<string, string>;
  /** Value sent as the JSON body. */
  body: unknown;
  /** The fetch implementation. */
  fetch: typeof globalThis.fetch;
  /** Time limit of the whole exchange, body included. */
  timeoutMs: number;
  /** Caller's abort signal. */
  signal?: AbortSignal;
  /** Strings that must never appear in an error message (API keys). */
  secrets: string[];
  /** Where to log the exchange at debug level. */
  logger: Logger;
}

/**
 * POST `body` as JSON and return the parsed JSON response. Every failure (network, timeout, abort,
 * non-2xx, invalid JSON) becomes `EMBEDDING_FAILED`; messages carry the status and a short excerpt
 * of the response body with the secrets removed.
 */
export async function postJson(request: PostJsonRequest): Promise<unknown> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const started = performance.now();
  const failed = (what: string, cause?: unknown, details?: Record<string, unknown>) => {
    if (timeout.aborted) {
      return embeddingFailed(
        `${request.provider} embedding request timed out after ${request.timeoutMs} ms`,
        cause,
        { provider: request.provider, timeoutMs: request.timeoutMs },
      );
    }
    if (request.signal?.aborted) {
      return embeddingFailed(`${request.provider} embedding request aborted by the caller`, cause, {
        provider: request.provider,
        aborted: true,
      });
    }
    return embeddingFailed(`${request.provider} embedding request ${what}`, cause, {
      provider: request.provider,
      ...details,
    });
  };

  let response: Response;
  let text: string;
  try {
    response = await request.fetch(request.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...request.headers,
      },
      body: JSON.stringify(request.body),
      signal,
    });
    text = await response.text();
  } catch (error) {
    throw failed('failed before a response arrived', error);
  }
  request.logger.debug('embedding request', {
    provider: request.provider,
    status: response.status,
    durationMs: Math.round(performance.now() - started),
  });
  if (!response.ok) {
    const excerpt = redact(text, request.secrets);
    throw failed(`failed with status ${response.status}: ${excerpt}`, undefined, {
      status: response.status,
      body: excerpt,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw failed(`returned invalid JSON: ${redact(text, request.secrets)}`, error);
  }
}

function redact(text: string, secrets: string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length > 0) result = result.split(secret).join('[redacted]');
  }
  result = result.replace(/\s+/g, ' ').trim();
  return result.length > EXCERPT_LENGTH ? `${result.slice(0, EXCERPT_LENGTH)}…` : result;
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
