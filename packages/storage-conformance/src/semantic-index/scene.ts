import type { IndexEntry, SemanticIndex } from '@memnex/core';
import { makeIndexEntry, randomId, randomTenantId } from '../fixtures.js';

/** Model id the vector tests store their vectors under. */
export const MODEL = 'conformance:model-a';
/** A second model id, whose vectors must never be compared with {@link MODEL}'s. */
export const OTHER_MODEL = 'conformance:model-b';

/** A tenant pair and a user pair for one test, with a helper to index entries for them. */
export interface IndexScene {
  tenantA: string;
  tenantB: string;
  userId: string;
  otherUserId: string;
  /** Index entries for `userId` in tenant A (override any field); returns them. */
  add(index: SemanticIndex, items: Array<Partial<IndexEntry>>): Promise<IndexEntry[]>;
}

/** A fresh scene with random tenant and user ids. */
export function createIndexScene(): IndexScene {
  const scene: IndexScene = {
    tenantA: randomTenantId(),
    tenantB: randomTenantId(),
    userId: randomId(),
    otherUserId: randomId(),
    async add(index, items) {
      const entries = items.map((item) => makeIndexEntry({ userId: scene.userId, ...item }));
      await index.upsert({ tenantId: scene.tenantA, entries });
      return entries;
    },
  };
  return scene;
}

/** A vector of {@link MODEL} (4 dimensions). */
export function vector(...values: [number, number, number, number]): Float32Array {
  return Float32Array.from(values);
}

/** Memory ids of hits, in rank order. */
export function hitIds(hits: ReadonlyArray<{ memoryId: string }>): string[] {
  return hits.map((hit) => hit.memoryId);
}
