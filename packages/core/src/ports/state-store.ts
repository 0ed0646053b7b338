import type { Lifecycle } from './lifecycle.js';

/** What a state store can do beyond the required contract. */
export interface StateStoreCapabilities {
  /** Values survive a process restart. */
  durable: boolean;
  /** Several processes may share the store safely. */
  shared: boolean;
}

/** A key's current value. */
export interface StateRecord {
  key: string;
  /** The JSON value (never `undefined`). */
  value: unknown;
  /** Per-key version: 1 for the first write, +1 for every change, deletions included. */
  version: number;
  /** ISO time of the change, from the engine's clock. */
  updatedAt: string;
  /** Key id (or `system`) that made the change. */
  updatedBy: string;
  /** ISO time after which the value reads as absent; null without a TTL. */
  expiresAt: string | null;
}

/** One change of a key, as kept in its history for subscribers to replay. */
export interface StateChange {
  key: string;
  kind: 'value' | 'delete';
  /** The value written; null for a deletion. */
  value: unknown;
  version: number;
  updatedAt: string;
  updatedBy: string;
  expiresAt: string | null;
  /** For a deletion: whether a caller deleted the key or its TTL ran out. */
  reason?: 'deleted' | 'expired';
}

/** A JSON Schema registered for a key or a glob. */
export interface StateSchemaEntry {
  pattern: string;
  schema: unknown;
  updatedAt: string;
  updatedBy: string;
}

/** A write of {@link StateStore.set}. */
export interface StateWrite {
  tenantId: string;
  key: string;
  value: unknown;
  /**
   * Compare-and-set: apply only if the key's version is this. 0 means "has no value": never
   * written, deleted, or expired at `at`. Absent: last write wins.
   */
  ifVersion?: number;
  /** Null for no TTL. */
  expiresAt: string | null;
  updatedBy: string;
  /** Time of the write; also the instant that decides whether the current value has expired. */
  at: string;
  /**
   * The tenant's schema revision the value was validated against: the write is refused with
   * `schemas-changed` if schemas changed since, atomically with the write.
   */
  schemaRevision: number;
  /** Keep at most this many changes of the key in its history (default 1000). */
  historyLimit?: number;
}

/** A deletion of {@link StateStore.delete}. */
export interface StateDeletion {
  tenantId: string;
  key: string;
  /** Compare-and-delete: apply only if the key's version is this. */
  ifVersion?: number;
  updatedBy: string;
  at: string;
  reason: 'deleted' | 'expired';
  historyLimit?: number;
}

/** Why a conditional change was refused. */
export type StateRefusal =
  | {
      ok: false;
      reason: 'conflict';
      /** The key's version now (0 when it has no value). */
      currentVersion: number;
    }
  | { ok: false; reason: 'schemas-changed'; schemaRevision: number };

/**
 * Live JSON values under keys, per tenant, with per-key versions, compare-and-set, TTLs, a short
 * history of changes per key, and the tenant's JSON Schemas. A deleted key keeps its version, so
 * versions never repeat. Every method is atomic on its own.
 */
export interface StateStore extends Lifecycle {
  readonly capabilities: StateStoreCapabilities;
  /** The key's value; null when never written, deleted, or expired at `now`. */
  get(options: { tenantId: string; key: string; now: string }): Promise<StateRecord | null>;
  /**
   * The current version of each key, deleted and expired keys included (a deletion keeps its
   * version); 0 for a key never written. Keys absent from the answer are 0.
   */
  versions(options: { tenantId: string; keys: string[] }): Promise<Record<string, number>>;
  /**
   * Write a value with version + 1 and record the change in the key's history, in one atomic
   * step; refused on a version or schema-revision mismatch.
   */
  set(write: StateWrite): Promise<{ ok: true; change: StateChange } | StateRefusal>;
  /**
   * Delete a value (version + 1, history records the deletion). `change` is null when the key
   * had no value (nothing is recorded then). An expired value can be deleted.
   */
  delete(
    deletion: StateDeletion,
  ): Promise<
    { ok: true; change: StateChange | null } | Extract<StateRefusal, { reason: 'conflict' }>
  >;
  /**
   * Live values in key order: keys starting with `prefix` (all when empty) and greater than
   * `after`, at most `limit`.
   */
  list(options: {
    tenantId: string;
    prefix: string;
    after?: string;
    limit: number;
    now: string;
  }): Promise<StateRecord[]>;
  /**
   * Every key starting with `prefix` and greater than `after`, in key order, with its current
   * version: deleted and expired keys included (what a subscriber starts from). At most `limit`.
   */
  listVersions(options: {
    tenantId: string;
    prefix: string;
    after?: string;
    limit: number;
  }): Promise<Array<{ key: string; version: number }>>;
  /**
   * Changes of a key with a version greater than `afterVersion`, oldest first, at most `limit`.
   * Older changes may have been trimmed: callers compare the first version with what they expect.
   */
  history(options: {
    tenantId: string;
    key: string;
    afterVersion: number;
    limit: number;
  }): Promise<StateChange[]>;
  /** Values whose TTL ran out at `now`, in any tenant, at most `limit`. */
  listExpired(options: {
    now: string;
    limit: number;
  }): Promise<Array<{ tenantId: string; key: string; version: number }>>;
  /** Drop history entries older than `before` (the current value of a key is never dropped). */
  trimHistory(options: { before: string }): Promise<void>;
  /** The tenant's schemas and their revision (0 before the first schema change). */
  listSchemas(options: {
    tenantId: string;
  }): Promise<{ revision: number; schemas: StateSchemaEntry[] }>;
  /** Register or replace the schema of a pattern; bumps the tenant's schema revision. */
  putSchema(options: { tenantId: string } & StateSchemaEntry): Promise<{ revision: number }>;
  /** Remove a pattern's schema; bumps the revision when one was removed. */
  deleteSchema(options: {
    tenantId: string;
    pattern: string;
  }): Promise<{ deleted: boolean; revision: number }>;
  /** Remove every value, change and schema of a tenant. */
  dropTenant(options: { tenantId: string }): Promise<void>;
}
