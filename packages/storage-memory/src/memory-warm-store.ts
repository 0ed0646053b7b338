import {
  MemnexError,
  addToTenantStats,
  emptyTenantStats,
  type ApiKeyRecord,
  type ExpiredMemoryRef,
  type IdentifierRecord,
  type TenantRecord,
  type UserRecord,
  type WarmStore,
} from '@memnex/core';
import { compareIds, compareInstants, copy, getOrCreate, takeLimit } from './collections.js';
import { createLifecycleState } from './lifecycle-state.js';
import { applyCommit } from './warm-commit.js';
import { applyTransfer } from './warm-transfer.js';
import { runMemoryQuery } from './warm-memory-query.js';
import {
  bucketOf,
  createTenantSpace,
  identifierKey,
  type TenantSpace,
  type WarmState,
} from './warm-tenant-space.js';

function conflict(message: string, details: Record<string, unknown>): MemnexError {
  return new MemnexError({ code: 'CONFLICT', message, details });
}

/** Delete a user with its rows and, first, the users merged into it; adds to `counts`. */
function deleteUserRows(
  space: TenantSpace,
  userId: string,
  counts: { memories: number; identifiers: number; idempotencyRecords: number },
): void {
  for (const alias of [...space.users.values()]) {
    if (alias.mergedInto === userId) deleteUserRows(space, alias.id, counts);
  }
  const bucket = space.buckets.get(userId);
  if (bucket) {
    for (const memoryId of bucket.memories.keys()) space.memoryOwners.delete(memoryId);
    for (const key of bucket.identifierKeys) space.identifiers.delete(key);
    for (const key of bucket.idempotencyKeys) space.idempotency.delete(key);
    counts.memories += bucket.memories.size;
    counts.identifiers += bucket.identifierKeys.size;
    counts.idempotencyRecords += bucket.idempotencyKeys.size;
    space.buckets.delete(userId);
  }
  const user = space.users.get(userId);
  if (user) {
    space.users.delete(userId);
    space.userIdsByExternalId.delete(user.externalId);
  }
}

/**
 * A {@link WarmStore} held in process memory: not durable, not shared between processes.
 * Every record is copied in and out, and every map is keyed by tenant first.
 */
export function createMemoryWarmStore(): WarmStore {
  const lifecycle = createLifecycleState('memory warm store');
  const state: WarmState = { tenants: new Map(), apiKeys: new Map() };

  /** The tenant's space for reading; undefined when the tenant holds nothing. */
  const readSpace = (tenantId: string): TenantSpace | undefined => state.tenants.get(tenantId);
  /** The tenant's space for writing, created when absent. */
  const writeSpace = (tenantId: string): TenantSpace =>
    getOrCreate(state.tenants, tenantId, createTenantSpace);
  /** The key when it exists and belongs to the tenant. */
  const tenantKey = (tenantId: string, keyId: string): ApiKeyRecord | undefined => {
    const key = state.apiKeys.get(keyId);
    return key?.tenantId === tenantId ? key : undefined;
  };

  return {
    capabilities: { durable: false, shared: false },
    init: lifecycle.init,
    close: lifecycle.close,

    async createTenant({ tenant }) {
      lifecycle.assertOpen('createTenant');
      const space = writeSpace(tenant.id);
      if (space.tenant) throw conflict('tenant already exists', { tenantId: tenant.id });
      space.tenant = copy(tenant);
    },

    async getTenant({ tenantId }) {
      lifecycle.assertOpen('getTenant');
      const tenant = readSpace(tenantId)?.tenant;
      return tenant ? copy(tenant) : null;
    },

    async updateTenant({ tenantId, set }) {
      lifecycle.assertOpen('updateTenant');
      const space = readSpace(tenantId);
      if (!space?.tenant) return null;
      const next: TenantRecord = { ...space.tenant };
      if (set.name !== undefined) next.name = set.name;
      if (set.disabled !== undefined) next.disabled = set.disabled;
      if (set.settings !== undefined) next.settings = copy(set.settings);
      space.tenant = next;
      return copy(next);
    },

    async createApiKey({ tenantId, key }) {
      lifecycle.assertOpen('createApiKey');
      if (state.apiKeys.has(key.id)) throw conflict('API key id already exists', { keyId: key.id });
      state.apiKeys.set(key.id, { ...copy(key), tenantId });
      writeSpace(tenantId).apiKeyIds.add(key.id);
    },

    async findApiKey({ keyId }) {
      lifecycle.assertOpen('findApiKey');
      const key = state.apiKeys.get(keyId);
      return key ? copy(key) : null;
    },

    async listApiKeys({ tenantId }) {
      lifecycle.assertOpen('listApiKeys');
      const keys: ApiKeyRecord[] = [];
      for (const keyId of readSpace(tenantId)?.apiKeyIds ?? []) {
        const key = tenantKey(tenantId, keyId);
        if (key) keys.push(copy(key));
      }
      return keys.sort(
        (left, right) =>
          compareInstants(left.createdAt, right.createdAt) || compareIds(left.id, right.id),
      );
    },

    async revokeApiKey({ tenantId, keyId, at }) {
      lifecycle.assertOpen('revokeApiKey');
      const key = tenantKey(tenantId, keyId);
      if (!key) return null;
      // The first revocation time is the one that matters for audits; keep it.
      const revoked = { ...key, revokedAt: key.revokedAt ?? at };
      state.apiKeys.set(keyId, revoked);
      return copy(revoked);
    },

    async touchApiKey({ tenantId, keyId, at }) {
      lifecycle.assertOpen('touchApiKey');
      const key = tenantKey(tenantId, keyId);
      if (key) state.apiKeys.set(keyId, { ...key, lastUsedAt: at });
    },

    async getUser({ tenantId, externalId }) {
      lifecycle.assertOpen('getUser');
      const space = readSpace(tenantId);
      const userId = space?.userIdsByExternalId.get(externalId);
      const user = userId === undefined ? undefined : space?.users.get(userId);
      return user ? copy(user) : null;
    },

    async getUserById({ tenantId, userId }) {
      lifecycle.assertOpen('getUserById');
      const user = readSpace(tenantId)?.users.get(userId);
      return user ? copy(user) : null;
    },

    async ensureUser({ tenantId, user }) {
      lifecycle.assertOpen('ensureUser');
      const space = writeSpace(tenantId);
      const existingId = space.userIdsByExternalId.get(user.externalId);
      const existing = existingId === undefined ? undefined : space.users.get(existingId);
      if (existing) return copy(existing);
      if (space.users.has(user.id)) throw conflict('user id already exists', { userId: user.id });
      const stored: UserRecord = { ...copy(user), tenantId, version: 0 };
      space.users.set(stored.id, stored);
      space.userIdsByExternalId.set(stored.externalId, stored.id);
      return copy(stored);
    },

    async deleteUser({ tenantId, userId }) {
      lifecycle.assertOpen('deleteUser');
      const counts = { memories: 0, identifiers: 0, idempotencyRecords: 0 };
      const space = readSpace(tenantId);
      if (space) deleteUserRows(space, userId, counts);
      return counts;
    },

    async tenantStats({ tenantId }) {
      lifecycle.assertOpen('tenantStats');
      const space = readSpace(tenantId);
      const people = [...(space?.users.values() ?? [])].filter((user) => !user.mergedInto);
      const stats = emptyTenantStats(people.length);
      for (const bucket of space?.buckets.values() ?? []) {
        for (const memory of bucket.memories.values()) {
          if (memory.status !== 'active' || memory.validTo !== null) continue;
          const at = memory.observedAt;
          addToTenantStats(stats, {
            ...memory,
            channel: memory.source.channel,
            count: 1,
            oldest: at,
            newest: at,
          });
        }
      }
      return stats;
    },

    async listUsers({ tenantId, afterId, limit }) {
      lifecycle.assertOpen('listUsers');
      const users = [...(readSpace(tenantId)?.users.values() ?? [])]
        .filter((user) => afterId === undefined || compareIds(user.id, afterId) > 0)
        .sort((left, right) => compareIds(left.id, right.id));
      return takeLimit(users, limit).map(copy);
    },

    async findIdentifier({ tenantId, namespace, value }) {
      lifecycle.assertOpen('findIdentifier');
      const identifier = readSpace(tenantId)?.identifiers.get(identifierKey(namespace, value));
      return identifier ? copy(identifier) : null;
    },

    async linkIdentifier({ tenantId, identifier }) {
      lifecycle.assertOpen('linkIdentifier');
      const space = writeSpace(tenantId);
      const key = identifierKey(identifier.namespace, identifier.value);
      const existing = space.identifiers.get(key);
      if (existing?.userId === identifier.userId) return;
      if (existing) {
        throw conflict('identifier belongs to another user', {
          namespace: identifier.namespace,
          value: identifier.value,
        });
      }
      space.identifiers.set(key, { ...copy(identifier), tenantId });
      bucketOf(space, identifier.userId).identifierKeys.add(key);
    },

    async unlinkIdentifier({ tenantId, namespace, value }) {
      lifecycle.assertOpen('unlinkIdentifier');
      const space = readSpace(tenantId);
      const key = identifierKey(namespace, value);
      const existing = space?.identifiers.get(key);
      if (!space || !existing) return false;
      space.identifiers.delete(key);
      space.buckets.get(existing.userId)?.identifierKeys.delete(key);
      return true;
    },

    async listIdentifiers({ tenantId, userId }) {
      lifecycle.assertOpen('listIdentifiers');
      const space = readSpace(tenantId);
      const identifiers: IdentifierRecord[] = [];
      for (const key of space?.buckets.get(userId)?.identifierKeys ?? []) {
        const identifier = space?.identifiers.get(key);
        if (identifier) identifiers.push(copy(identifier));
      }
      return identifiers.sort(
        (left, right) =>
          compareInstants(left.linkedAt, right.linkedAt) ||
          compareIds(
            identifierKey(left.namespace, left.value),
            identifierKey(right.namespace, right.value),
          ),
      );
    },

    async listMemories(query) {
      lifecycle.assertOpen('listMemories');
      const bucket = readSpace(query.tenantId)?.buckets.get(query.userId);
      if (!bucket) return [];
      return runMemoryQuery(bucket.memories.values(), query).map(copy);
    },

    async getMemories({ tenantId, ids }) {
      lifecycle.assertOpen('getMemories');
      const space = readSpace(tenantId);
      if (!space) return [];
      const memories = [];
      for (const id of new Set(ids)) {
        const ownerId = space.memoryOwners.get(id);
        const memory =
          ownerId === undefined ? undefined : space.buckets.get(ownerId)?.memories.get(id);
        if (memory) memories.push(copy(memory));
      }
      return memories;
    },

    async commitWrite(commit) {
      lifecycle.assertOpen('commitWrite');
      const space = readSpace(commit.tenantId);
      if (!space) throw MemnexError.notFound('user', { userId: commit.userId });
      return applyCommit(space, commit);
    },

    async deleteMemories({ tenantId, userId, ids }) {
      lifecycle.assertOpen('deleteMemories');
      const space = readSpace(tenantId);
      const bucket = space?.buckets.get(userId);
      const user = space?.users.get(userId);
      let deleted = 0;
      for (const id of new Set(ids)) {
        if (bucket?.memories.delete(id)) {
          space?.memoryOwners.delete(id);
          deleted += 1;
        }
      }
      if (!space || !user) return { deleted, version: 0 };
      if (deleted === 0) return { deleted, version: user.version };
      const version = user.version + 1;
      space.users.set(userId, { ...user, version });
      return { deleted, version };
    },

    async transferUserData(transfer) {
      lifecycle.assertOpen('transferUserData');
      const space = readSpace(transfer.tenantId);
      if (!space) throw MemnexError.notFound('user', { userId: transfer.fromUserId });
      return applyTransfer(space, transfer);
    },

    async getIdempotency({ tenantId, key }) {
      lifecycle.assertOpen('getIdempotency');
      const record = readSpace(tenantId)?.idempotency.get(key);
      return record ? copy(record) : null;
    },

    async listExpiredMemories({ before, statuses, limit }) {
      lifecycle.assertOpen('listExpiredMemories');
      const wanted = statuses ? new Set(statuses) : null;
      const found: ExpiredMemoryRef[] = [];
      for (const [tenantId, space] of state.tenants) {
        for (const bucket of space.buckets.values()) {
          for (const memory of bucket.memories.values()) {
            const { expiresAt } = memory;
            if (expiresAt === null || compareInstants(expiresAt, before) > 0) continue;
            if (wanted && !wanted.has(memory.status)) continue;
            const { userId, id, status } = memory;
            found.push({ tenantId, userId, id, status, expiresAt });
          }
        }
      }
      found.sort(
        (left, right) =>
          compareInstants(left.expiresAt, right.expiresAt) ||
          compareIds(left.tenantId, right.tenantId) ||
          compareIds(left.id, right.id),
      );
      return found.slice(0, Math.max(0, limit));
    },
  };
}
