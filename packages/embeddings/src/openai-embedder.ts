import { type Embedder, type Logger, silentLogger } from '@memnex/core';
import { type BatchingCacheOptions } from './batching-cache.js';
import { isNumberArray } from './dimension-guard.js';
import { EmbedderOptionIssues } from './embedder-option-issues.js';
import { embeddingFailed, throwIfAborted } from './embedding-error.js';
import { createHttpEmbedder, DEFAULT_TIMEOUT_MS, postEmbeddingRequest } from './http-embedder.js';

/** Options of {@link createOpenAIEmbedder}. */
export interface OpenAIEmbedderOptions extends BatchingCacheOptions {
  /** Base URL of the OpenAI-compatible API, e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`. */
  url: string;
  /** Model name sent to the endpoint, e.g. `text-embedding-3-small` or `nomic-embed-text`. */
  model: string;
  /** Sent as `Authorization: Bearer <apiKey>` when given. */
  apiKey?: string;
  /** Vector length; sent as `dimensions` in the request. Learned from the first answer when omitted. */
  dimensions?: number;
  /** Stable model id recorded with every vector; defaults to `openai:<model>`. */
  modelId?: string;
  /** Fetch implementation; defaults to the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Time limit of one request in milliseconds; defaults to 30 000. */
  timeoutMs?: number;
  /** Extra headers sent with every request (e.g. an organisation or project header). */
  headers?: Record<string, string>;
  /** Receives a debug line per request; silent by default. */
  logger?: Logger;
}

/**
 * An embedder for any OpenAI-compatible `/embeddings` endpoint (OpenAI, Ollama's `/v1`, vLLM).
 * Without `dimensions`, `dimensions` reads 0 until the first answer (or `init()`) fixes it; a later
 * answer of another length fails with `EMBEDDING_FAILED`.
 */
export function createOpenAIEmbedder(options: OpenAIEmbedderOptions): Embedder {
  new EmbedderOptionIssues('createOpenAIEmbedder')
    .httpUrl('url', options.url, true)
    .text('model', options.model, true)
    .text('apiKey', options.apiKey, false)
    .integer('dimensions', options.dimensions, 1)
    .text('modelId', options.modelId, false)
    .callable('fetch', options.fetch)
    .integer('timeoutMs', options.timeoutMs, 1)
    .batching(options)
    .throwIfAny();
  const modelId = options.modelId ?? `openai:${options.model}`;
  const endpoint = `${options.url.replace(/\/+$/, '')}/embeddings`;
  const fetchImplementation = options.fetch ?? globalThis.fetch;
  const headers: Record<string, string> = { ...options.headers };
  if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;
  const logger = options.logger ?? silentLogger;

  async function embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    throwIfAborted(signal);
    const body: Record<string, unknown> = {
      model: options.model,
      input: texts,
      encoding_format: 'float',
    };
    if (options.dimensions !== undefined) body.dimensions = options.dimensions;
    const response = await postEmbeddingRequest({
      provider: 'openai',
      url: endpoint,
      headers,
      body,
      fetch: fetchImplementation,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      signal,
      secrets: options.apiKey === undefined ? [] : [options.apiKey],
      logger,
    });
    return parseOpenAIResponse(response, texts.length, modelId);
  }

  return createHttpEmbedder({
    modelId,
    dimensions: options.dimensions,
    embed,
    batchSize: options.batchSize,
    cacheSize: options.cacheSize,
  });
}

function parseOpenAIResponse(response: unknown, expected: number, modelId: string): number[][] {
  const data = (response as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length !== expected) {
    throw embeddingFailed(
      `${modelId} answered with ${Array.isArray(data) ? data.length : 'no'} embeddings for ${expected} texts`,
    );
  }
  const vectors: (number[] | undefined)[] = new Array<number[] | undefined>(expected);
  data.forEach((item: unknown, position) => {
    const { index = position, embedding } = (item ?? {}) as {
      index?: unknown;
      embedding?: unknown;
    };
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= expected) {
      throw embeddingFailed(`${modelId} answered with an invalid index ${String(index)}`);
    }
    if (vectors[index] !== undefined) {
      throw embeddingFailed(`${modelId} answered twice for index ${index}`);
    }
    if (!isNumberArray(embedding)) {
      throw embeddingFailed(`${modelId} answered with a non-numeric embedding at index ${index}`);
    }
    vectors[index] = embedding;
  });
  return vectors as number[][];
}
