import type { StateChange, StateRecord, StateSchemaEntry, StateStore } from '@memnex/core';
import { compareIds, compareInstants, copy, getOrCreate, takeLimit } from './collections.js';
import { createLifecycleState } from './lifecycle-state.js';

const DEFAULT_HISTORY_LIMIT = 1000;

/** One key: its current state (a deletion leaves a tombstone that keeps the version) and history. */
interface Slot {
  version: number;
  record: StateRecord | null;
  history: StateChange[];
}

interface TenantState {
  slots: Map<string, Slot>;
  schemas: Map<string, StateSchemaEntry>;
  revision: number;
}

const isLive = (record: StateRecord | null, now: string): record is StateRecord =>
  record !== null && (record.expiresAt === null || compareInstants(record.expiresAt, now) > 0);

/** The keys of `slots` that start with `prefix` and sort after `after`, in key order. */
function keysInRange(
  slots: Map<string, Slot>,
  prefix: string,
  after: string | undefined,
): string[] {
  return [...slots.keys()]
    .filter((key) => key.startsWith(prefix) && (after === undefined || key > after))
    .sort(compareIds);
}

/**
 * A {@link StateStore} held in process memory. Every method runs to completion without awaiting,
 * so each is atomic within the process.
 */
export function createMemoryStateStore(): StateStore {
  const lifecycle = createLifecycleState('memory state store');
  const tenants = new Map<string, TenantState>();
  const tenantOf = (tenantId: string) =>
    getOrCreate(tenants, tenantId, () => ({ slots: new Map(), schemas: new Map(), revision: 0 }));

  const record = (slot: Slot, change: StateChange, limit = DEFAULT_HISTORY_LIMIT) => {
    slot.version = change.version;
    slot.history.push(change);
    if (slot.history.length > limit) slot.history.splice(0, slot.history.length - limit);
  };

  return {
    capabilities: { durable: false, shared: false },
    init: lifecycle.init,
    close: lifecycle.close,

    async get({ tenantId, key, now }) {
      lifecycle.assertOpen('get');
      const slot = tenants.get(tenantId)?.slots.get(key);
      return slot && isLive(slot.record, now) ? copy(slot.record) : null;
    },

    async versions({ tenantId, keys }) {
      lifecycle.assertOpen('versions');
      const slots = tenants.get(tenantId)?.slots;
      const out: Record<string, number> = {};
      for (const key of keys) out[key] = slots?.get(key)?.version ?? 0;
      return out;
    },

    async set(write) {
      lifecycle.assertOpen('set');
      const tenant = tenantOf(write.tenantId);
      if (tenant.revision !== write.schemaRevision) {
        return { ok: false, reason: 'schemas-changed', schemaRevision: tenant.revision };
      }
      // A refused write leaves no trace: the slot is created only once the write is accepted.
      const slot = tenant.slots.get(write.key) ?? { version: 0, record: null, history: [] };
      const live = isLive(slot.record, write.at);
      if (write.ifVersion !== undefined) {
        const matches = write.ifVersion === 0 ? !live : live && slot.version === write.ifVersion;
        if (!matches) {
          return { ok: false, reason: 'conflict', currentVersion: live ? slot.version : 0 };
        }
      }
      tenant.slots.set(write.key, slot);
      // One copy, shared by the record and the history: every read hands out copies of its own.
      const value = copy(write.value);
      const change: StateChange = {
        key: write.key,
        kind: 'value',
        value,
        version: slot.version + 1,
        updatedAt: write.at,
        updatedBy: write.updatedBy,
        expiresAt: write.expiresAt,
      };
      slot.record = {
        key: write.key,
        value,
        version: change.version,
        updatedAt: write.at,
        updatedBy: write.updatedBy,
        expiresAt: write.expiresAt,
      };
      record(slot, change, write.historyLimit);
      // The caller's value is not held by the store: the change carries it as written.
      return { ok: true, change: { ...change, value: write.value } };
    },

    async delete(deletion) {
      lifecycle.assertOpen('delete');
      const slot = tenants.get(deletion.tenantId)?.slots.get(deletion.key);
      const current = slot?.record ?? null;
      if (deletion.ifVersion !== undefined && current?.version !== deletion.ifVersion) {
        return {
          ok: false,
          reason: 'conflict',
          currentVersion: slot && isLive(current, deletion.at) ? slot.version : 0,
        };
      }
      if (!slot || current === null) return { ok: true, change: null };
      const change: StateChange = {
        key: deletion.key,
        kind: 'delete',
        value: null,
        version: slot.version + 1,
        updatedAt: deletion.at,
        updatedBy: deletion.updatedBy,
        expiresAt: null,
        reason: deletion.reason,
      };
      slot.record = null;
      record(slot, change, deletion.historyLimit);
      return { ok: true, change: { ...change } };
    },

    async list({ tenantId, prefix, after, limit, now }) {
      lifecycle.assertOpen('list');
      const slots = tenants.get(tenantId)?.slots;
      if (!slots) return [];
      const out: StateRecord[] = [];
      for (const key of keysInRange(slots, prefix, after)) {
        if (out.length >= limit) break;
        const current = slots.get(key)!.record;
        if (!isLive(current, now)) continue;
        out.push(copy(current));
      }
      return out;
    },

    async listVersions({ tenantId, prefix, after, limit }) {
      lifecycle.assertOpen('listVersions');
      const slots = tenants.get(tenantId)?.slots;
      if (!slots) return [];
      return takeLimit(keysInRange(slots, prefix, after), limit).map((key) => ({
        key,
        version: slots.get(key)!.version,
      }));
    },

    async history({ tenantId, key, afterVersion, limit }) {
      lifecycle.assertOpen('history');
      const slot = tenants.get(tenantId)?.slots.get(key);
      if (!slot) return [];
      const changes = slot.history.filter((change) => change.version > afterVersion);
      return copy(takeLimit(changes, limit));
    },

    async listExpired({ now, limit }) {
      lifecycle.assertOpen('listExpired');
      const out: Array<{ tenantId: string; key: string; version: number }> = [];
      for (const [tenantId, tenant] of tenants) {
        for (const [key, slot] of tenant.slots) {
          const current = slot.record;
          if (out.length >= limit) return out;
          if (current?.expiresAt && compareInstants(current.expiresAt, now) <= 0) {
            out.push({ tenantId, key, version: current.version });
          }
        }
      }
      return out;
    },

    async trimHistory({ before }) {
      lifecycle.assertOpen('trimHistory');
      for (const tenant of tenants.values()) {
        for (const slot of tenant.slots.values()) {
          // The newest change stays: it is the current value (or tombstone) a subscriber resumes to.
          const keep = slot.history.filter(
            (change, index) =>
              index === slot.history.length - 1 || compareInstants(change.updatedAt, before) >= 0,
          );
          slot.history = keep;
        }
      }
    },

    async listSchemas({ tenantId }) {
      lifecycle.assertOpen('listSchemas');
      const tenant = tenants.get(tenantId);
      if (!tenant) return { revision: 0, schemas: [] };
      const schemas = [...tenant.schemas.values()].sort((a, b) => compareIds(a.pattern, b.pattern));
      return { revision: tenant.revision, schemas: copy(schemas) };
    },

    async putSchema({ tenantId, pattern, schema, updatedAt, updatedBy }) {
      lifecycle.assertOpen('putSchema');
      const tenant = tenantOf(tenantId);
      tenant.schemas.set(pattern, { pattern, schema: copy(schema), updatedAt, updatedBy });
      tenant.revision += 1;
      return { revision: tenant.revision };
    },

    async deleteSchema({ tenantId, pattern }) {
      lifecycle.assertOpen('deleteSchema');
      const tenant = tenants.get(tenantId);
      if (!tenant?.schemas.delete(pattern))
        return { deleted: false, revision: tenant?.revision ?? 0 };
      tenant.revision += 1;
      return { deleted: true, revision: tenant.revision };
    },

    async dropTenant({ tenantId }) {
      lifecycle.assertOpen('dropTenant');
      tenants.delete(tenantId);
    },
  };
}
