import { nextModelState, type EmbeddingModelState, type ModelStateChange } from '@memnex/core';
import type { QdrantClient } from '@qdrant/js-client-rest';
import { httpStatusOf } from './qdrant-errors.js';

/** The one point that holds the record, in a collection of its own. */
const STATE_POINT = '6d0de1c5-52a4-4d3c-8a51-2f3c4e6b9a10';

/**
 * Where a prefix keeps its record of embedding models: `<prefix>-embedding-models`. It has no `_`
 * after the prefix, so it is never taken for a model's collection, and no other prefix can name
 * it.
 */
export function modelStateCollection(prefix: string): string {
  return `${prefix}-embedding-models`;
}

/** Reads and writes the record of embedding models of one prefix. */
export interface ModelStateStore {
  read(): Promise<EmbeddingModelState | null>;
  /**
   * Check the revision, then write. Qdrant has no conditional write, so two changes at the same
   * instant could both pass the check; a composed index keeps the record on its lexical side.
   */
  write(change: ModelStateChange): Promise<EmbeddingModelState>;
}

/** The record of `prefix`, as one point (a 1-dimensional vector and the state as payload). */
export function createModelStateStore(client: QdrantClient, prefix: string): ModelStateStore {
  const name = modelStateCollection(prefix);
  let created = false;

  async function read(): Promise<EmbeddingModelState | null> {
    try {
      const [point] = await client.retrieve(name, {
        ids: [STATE_POINT],
        with_payload: true,
        with_vector: false,
      });
      return point?.payload ? (point.payload as unknown as EmbeddingModelState) : null;
    } catch (error) {
      if (httpStatusOf(error) !== 404) throw error;
      created = false;
      return null;
    }
  }

  async function ensureCollection(): Promise<void> {
    if (created) return;
    try {
      await client.createCollection(name, { vectors: { size: 1, distance: 'Cosine' } });
    } catch (error) {
      // Created meanwhile by another process: 409 on current servers, 400 on older ones.
      const status = httpStatusOf(error);
      if (status !== 409 && status !== 400) throw error;
    }
    created = true;
  }

  return {
    read,
    async write(change) {
      const next = nextModelState(await read(), change);
      await ensureCollection();
      await client.upsert(name, {
        wait: true,
        points: [
          { id: STATE_POINT, vector: [1], payload: next as unknown as Record<string, unknown> },
        ],
      });
      return next;
    },
  };
}
