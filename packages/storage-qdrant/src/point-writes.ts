import type { IndexEntry } from '@memnex/core';
import type { QdrantClient } from '@qdrant/js-client-rest';
import type { CollectionRegistry, KnownCollection } from './collection-registry.js';
import {
  assertVectorSize,
  batchByModel,
  hasSearchableVector,
  payloadOf,
  pointId,
  toPoint,
  type IndexedPoint,
  type PointRecord,
} from './point-mapping.js';
import { httpStatusOf } from './qdrant-errors.js';

/** What {@link createPointWrites} works with. */
export interface PointWritesOptions {
  client: QdrantClient;
  collections: CollectionRegistry;
  /** Run work on every collection of the prefix; one deleted meanwhile counts as empty. */
  eachCollection: (work: (name: string) => Promise<number>) => Promise<number>;
}

/** How the Qdrant index writes points: a memory has one point per model it has a vector of. */
export interface PointWrites {
  /** Upsert entries: their vectors into each model's collection, their fields into all. */
  store(tenantId: string, entries: IndexEntry[]): Promise<void>;
  /** Add vectors to memories that have a point already, taking that point's fields. */
  addVectors(tenantId: string, entries: IndexEntry[]): Promise<void>;
  /** The points of `pointIds` in every collection of the prefix, by collection name. */
  locate(
    pointIds: string[],
    withPayload: boolean,
  ): Promise<Map<string, Map<string, Record<string, unknown>>>>;
}

/** The point writes of one Qdrant index. */
export function createPointWrites(options: PointWritesOptions): PointWrites {
  const { client, collections, eachCollection } = options;

  /** Write points into each model's collection, creating it (or again, if dropped) as needed. */
  async function writePoints(byModel: Map<string, IndexedPoint[]>) {
    const targets: Array<{ model: string; collection: KnownCollection; points: PointRecord[] }> =
      [];
    for (const [model, batch] of byModel) {
      const collection = await collections.ensure(model, batch[0]!.point.vector.length);
      assertVectorSize(model, batch, collection.size);
      targets.push({ model, collection, points: batch.map(({ point }) => point) });
    }
    for (const target of targets) {
      try {
        await client.upsert(target.collection.name, { wait: true, points: target.points });
      } catch (error) {
        if (httpStatusOf(error) !== 404) throw error;
        // Dropped behind this process's back (an operator cleaning up): create it again.
        collections.forget(target.collection.name);
        target.collection = await collections.ensure(target.model, target.collection.size);
        await client.upsert(target.collection.name, { wait: true, points: target.points });
      }
    }
    return new Map(
      targets.map(({ collection, points }) => [
        collection.name,
        new Set(points.map((point) => point.id)),
      ]),
    );
  }

  /** The points of `pointIds` in every collection of the prefix, by collection name. */
  async function locate(
    pointIds: string[],
    withPayload: boolean,
  ): Promise<Map<string, Map<string, Record<string, unknown>>>> {
    const found = new Map<string, Map<string, Record<string, unknown>>>();
    if (pointIds.length === 0) return found;
    await eachCollection(async (name) => {
      const points = await client.retrieve(name, {
        ids: pointIds,
        with_payload: withPayload,
        with_vector: false,
      });
      found.set(name, new Map(points.map((point) => [String(point.id), point.payload ?? {}])));
      return 0;
    });
    return found;
  }

  async function storePoints(tenantId: string, entries: IndexEntry[]): Promise<void> {
    const { byModel, pointIds } = batchByModel(tenantId, entries);
    const written = await writePoints(byModel);
    // The entry's points of other models keep their vectors and take its new fields.
    const latest = new Map(
      entries.map((entry, index) => [pointId(tenantId, entry.memoryId), { entry, index }]),
    );
    for (const [name, points] of await locate(pointIds, false)) {
      for (const id of points.keys()) {
        if (written.get(name)?.has(id)) continue;
        const { entry, index } = latest.get(id)!;
        await client.setPayload(name, {
          payload: payloadOf(tenantId, entry, index),
          points: [id],
          wait: true,
        });
      }
    }
  }

  /** Add vectors to memories that have a point already, taking that point's fields. */
  async function storeVectors(tenantId: string, entries: IndexEntry[]): Promise<void> {
    const given = entries.filter(hasSearchableVector);
    const ids = given.map((entry) => pointId(tenantId, entry.memoryId));
    const payloads = new Map<string, Record<string, unknown>>();
    for (const points of (await locate([...new Set(ids)], true)).values()) {
      for (const [id, payload] of points) if (!payloads.has(id)) payloads.set(id, payload);
    }
    const byModel = new Map<string, IndexedPoint[]>();
    given.forEach((entry, index) => {
      const payload = payloads.get(ids[index]!);
      if (!payload) return;
      const point = toPoint(tenantId, entry, index);
      const batch = byModel.get(entry.model) ?? [];
      batch.push({ point: { ...point, payload: payload as PointRecord['payload'] }, index });
      byModel.set(entry.model, batch);
    });
    await writePoints(byModel);
  }

  return { store: storePoints, addVectors: storeVectors, locate };
}
