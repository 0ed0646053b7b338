import { type Embedder, type Logger, silentLogger } from '@memnex/core';
import { type BatchingCacheOptions } from './batching-cache.js';
import { isNumberArray } from './dimension-guard.js';
import { EmbedderOptionIssues } from './embedder-option-issues.js';
import { embeddingFailed, throwIfAborted } from './embedding-error.js';
import { createHttpEmbedder, DEFAULT_TIMEOUT_MS, postEmbeddingRequest } from './http-embedder.js';

/** Task types accepted by the Gemini API's `taskType` field. */
export const GOOGLE_TASK_TYPES = [
  'TASK_TYPE_UNSPECIFIED',
  'RETRIEVAL_QUERY',
  'RETRIEVAL_DOCUMENT',
  'SEMANTIC_SIMILARITY',
  'CLASSIFICATION',
  'CLUSTERING',
  'QUESTION_ANSWERING',
  'FACT_VERIFICATION',
  'CODE_RETRIEVAL_QUERY',
] as const;

/** One of {@link GOOGLE_TASK_TYPES}. */
export type GoogleTaskType = (typeof GOOGLE_TASK_TYPES)[number];

/** Options of {@link createGoogleEmbedder}. */
export interface GoogleEmbedderOptions extends BatchingCacheOptions {
  /** Gemini API key, sent as the `x-goog-api-key` header. */
  apiKey: string;
  /** Embedding model name, with or without the `models/` prefix; defaults to `text-embedding-004`. */
  model?: string;
  /** API base URL; defaults to `https://generativelanguage.googleapis.com/v1beta`. */
  baseUrl?: string;
  /** Vector length, sent as `outputDimensionality`; known models default to their native size. */
  dimensions?: number;
  /** Sent as `taskType` with every text; omitted by default. */
  taskType?: GoogleTaskType;
  /** Fetch implementation; defaults to the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Time limit of one request in milliseconds; defaults to 30 000. */
  timeoutMs?: number;
  /** Receives a debug line per request; silent by default. */
  logger?: Logger;
}

/** Default Gemini API base URL. */
export const GOOGLE_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';

const NATIVE_DIMENSIONS: Readonly<Record<string, number>> = {
  'text-embedding-004': 768,
  'embedding-001': 768,
  'gemini-embedding-001': 3072,
};

/**
 * An embedder for the Gemini API's `batchEmbedContents` (model id `google:<model>`). Models not
 * known here without `dimensions` learn their length from the first answer, as the OpenAI one does.
 */
export function createGoogleEmbedder(options: GoogleEmbedderOptions): Embedder {
  new EmbedderOptionIssues('createGoogleEmbedder')
    .text('apiKey', options.apiKey, true)
    .text('model', options.model, false)
    .httpUrl('baseUrl', options.baseUrl, false)
    .integer('dimensions', options.dimensions, 1)
    .oneOf('taskType', options.taskType, GOOGLE_TASK_TYPES)
    .callable('fetch', options.fetch)
    .integer('timeoutMs', options.timeoutMs, 1)
    .batching(options)
    .throwIfAny();
  const model = (options.model ?? 'text-embedding-004').replace(/^models\//, '');
  const modelId = `google:${model}`;
  const endpoint = `${(options.baseUrl ?? GOOGLE_BASE_URL).replace(/\/+$/, '')}/models/${encodeURIComponent(model)}:batchEmbedContents`;
  const fetchImplementation = options.fetch ?? globalThis.fetch;
  const logger = options.logger ?? silentLogger;

  async function embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    throwIfAborted(signal);
    const requests = texts.map((text) => {
      const request: Record<string, unknown> = {
        model: `models/${model}`,
        content: { parts: [{ text }] },
      };
      if (options.taskType !== undefined) request.taskType = options.taskType;
      if (options.dimensions !== undefined) request.outputDimensionality = options.dimensions;
      return request;
    });
    const response = await postEmbeddingRequest({
      provider: 'google',
      url: endpoint,
      headers: { 'x-goog-api-key': options.apiKey },
      body: { requests },
      fetch: fetchImplementation,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      signal,
      secrets: [options.apiKey],
      logger,
    });
    return parseGoogleResponse(response, texts.length, modelId);
  }

  return createHttpEmbedder({
    modelId,
    dimensions: options.dimensions ?? NATIVE_DIMENSIONS[model],
    embed,
    batchSize: options.batchSize,
    cacheSize: options.cacheSize,
  });
}

function parseGoogleResponse(response: unknown, expected: number, modelId: string): number[][] {
  const embeddings = (response as { embeddings?: unknown } | null)?.embeddings;
  if (!Array.isArray(embeddings) || embeddings.length !== expected) {
    throw embeddingFailed(
      `${modelId} answered with ${Array.isArray(embeddings) ? embeddings.length : 'no'} embeddings for ${expected} texts`,
    );
  }
  return embeddings.map((item: unknown, index) => {
    const values = (item as { values?: unknown } | null)?.values;
    if (!isNumberArray(values)) {
      throw embeddingFailed(
        `${modelId} answered with a non-numeric embedding at position ${index}`,
      );
    }
    return values;
  });
}
