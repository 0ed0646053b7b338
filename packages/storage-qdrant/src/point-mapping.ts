import { createHash } from 'node:crypto';
import { MemnexError, type IndexEntry } from '@memnex/core';

/** Namespace of the name-based point ids (RFC 9562 UUIDv5); fixed forever, ids depend on it. */
const POINT_ID_NAMESPACE = Buffer.from('8f982224583e4287a70c7e3bd3fe26c4', 'hex');

/**
 * The payload stored with every vector: who owns it and what filters need. Never the memory's
 * text, so the index holds no personal data beyond opaque ids. (A type alias, not an interface,
 * so that it fits the client's `Record<string, unknown>` payload.)
 */
export type PointPayload = {
  tenant_id: string;
  user_id: string;
  memory_id: string;
  type: string;
  kind: string;
  current: boolean;
  /** `observedAt` in milliseconds since the epoch, for range filters. */
  observed_at: number;
};

/** One point as the upsert request carries it. */
export interface PointRecord {
  id: string;
  vector: number[];
  payload: PointPayload;
}

/**
 * The point id of a memory: a UUIDv5 of the tenant and memory ids. Collections are shared by
 * tenants while memory ids are unique only within a tenant (an import keeps them), so the raw
 * memory id could let one tenant's upsert replace another tenant's point.
 */
export function pointId(tenantId: string, memoryId: string): string {
  const hash = createHash('sha1')
    .update(POINT_ID_NAMESPACE)
    .update(JSON.stringify([tenantId, memoryId]))
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Milliseconds since the epoch of an ISO-8601 instant; `VALIDATION_FAILED` when it does not parse. */
export function epochMillis(instant: string, path: string): number {
  const millis = Date.parse(instant);
  if (Number.isNaN(millis)) {
    throw MemnexError.validation([
      { path, message: `not an ISO-8601 instant: ${instant}`, code: 'invalid_date' },
    ]);
  }
  return millis;
}

/**
 * True when the entry has a vector that has a direction: a zero or empty vector is no more
 * comparable than a missing one (the reference adapter skips both), so neither is stored.
 */
export function hasSearchableVector(
  entry: IndexEntry,
): entry is IndexEntry & { vector: Float32Array; model: string } {
  if (!entry.vector || entry.model === null || entry.vector.length === 0) return false;
  return entry.vector.some((value) => value !== 0);
}

/** The payload of an entry's points: its owner and the fields filters need. */
export function payloadOf(
  tenantId: string,
  entry: Pick<IndexEntry, 'memoryId' | 'userId' | 'type' | 'kind' | 'current' | 'observedAt'>,
  index: number,
): PointPayload {
  return {
    tenant_id: tenantId,
    user_id: entry.userId,
    memory_id: entry.memoryId,
    type: entry.type,
    kind: entry.kind,
    current: entry.current,
    observed_at: epochMillis(entry.observedAt, `entries.${index}.observedAt`),
  };
}

/** The point of an entry that {@link hasSearchableVector}. */
export function toPoint(
  tenantId: string,
  entry: IndexEntry & { vector: Float32Array },
  index: number,
): PointRecord {
  const vector = Array.from(entry.vector);
  if (!vector.every(Number.isFinite)) {
    throw MemnexError.validation([
      {
        path: `entries.${index}.vector`,
        message: 'vector values must be finite numbers',
        code: 'invalid_type',
      },
    ]);
  }
  return {
    id: pointId(tenantId, entry.memoryId),
    vector,
    payload: payloadOf(tenantId, entry, index),
  };
}

/** A point to write, with the index of its entry in the request (for error paths). */
export interface IndexedPoint {
  point: PointRecord;
  index: number;
}

/**
 * The points of an upsert grouped by model, and the point ids of all its entries (vector or
 * not), so that their points of other models can be brought up to date. When a memory id
 * repeats, the last entry wins, as it would applied in order. Vectors of one model must share
 * one size.
 */
export function batchByModel(
  tenantId: string,
  entries: readonly IndexEntry[],
): { byModel: Map<string, IndexedPoint[]>; pointIds: string[] } {
  const latest = new Map<string, { entry: IndexEntry; index: number }>();
  entries.forEach((entry, index) => latest.set(entry.memoryId, { entry, index }));
  const byModel = new Map<string, IndexedPoint[]>();
  const pointIds: string[] = [];
  for (const { entry, index } of latest.values()) {
    if (!hasSearchableVector(entry)) {
      pointIds.push(pointId(tenantId, entry.memoryId));
      continue;
    }
    const point = toPoint(tenantId, entry, index);
    pointIds.push(point.id);
    const batch = byModel.get(entry.model) ?? [];
    batch.push({ point, index });
    byModel.set(entry.model, batch);
  }
  for (const [model, batch] of byModel) {
    assertVectorSize(model, batch, batch[0]!.point.vector.length);
  }
  return { byModel, pointIds };
}

/** Throw `VALIDATION_FAILED` for the first vector of `model` whose length is not `size`. */
export function assertVectorSize(
  model: string,
  batch: readonly IndexedPoint[],
  size: number,
): void {
  const odd = batch.find(({ point }) => point.vector.length !== size);
  if (!odd) return;
  throw MemnexError.validation([
    {
      path: `entries.${odd.index}.vector`,
      message: `vectors of model ${model} have ${size} dimensions, this one has ${odd.point.vector.length}`,
      code: 'invalid_length',
    },
  ]);
}
