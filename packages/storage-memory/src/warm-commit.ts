import { MemnexError, type MemoryPatch, type MemoryRecord, type WriteCommit } from '@memnex/core';
import { copy } from './collections.js';
import { bucketOf, type TenantSpace } from './warm-tenant-space.js';

/** The fields of a patch that are set; an `undefined` field means "leave as is". */
export function definedFields(set: MemoryPatch['set']): Partial<MemoryRecord> {
  const fields: Partial<MemoryRecord> = {};
  for (const [field, value] of Object.entries(copy(set))) {
    if (value !== undefined) Object.assign(fields, { [field]: value });
  }
  return fields;
}

/**
 * Check every precondition of a commit without changing anything, so that a failing commit
 * leaves the store exactly as it was.
 */
function validateCommit(space: TenantSpace, commit: WriteCommit): void {
  const user = space.users.get(commit.userId);
  if (!user) throw MemnexError.notFound('user', { userId: commit.userId });
  if (user.version !== commit.expectedVersion) {
    throw new MemnexError({
      code: 'CONFLICT',
      message: `user version is ${user.version}, expected ${commit.expectedVersion}`,
      details: { currentVersion: user.version, expectedVersion: commit.expectedVersion },
    });
  }
  const inserted = new Set<string>();
  for (const memory of commit.insert) {
    if (space.memoryOwners.has(memory.id) || inserted.has(memory.id)) {
      throw new MemnexError({
        code: 'CONFLICT',
        message: 'memory already exists',
        details: { memoryId: memory.id },
      });
    }
    inserted.add(memory.id);
  }
  const owned = space.buckets.get(commit.userId)?.memories;
  for (const patch of commit.update) {
    if (!owned?.has(patch.id) && !inserted.has(patch.id)) {
      throw MemnexError.notFound('memory', { memoryId: patch.id });
    }
  }
  if (commit.idempotency && space.idempotency.has(commit.idempotency.key)) {
    throw new MemnexError({
      code: 'CONFLICT',
      message: 'idempotency key already used',
      details: { key: commit.idempotency.key },
    });
  }
}

/**
 * Apply a write commit to a tenant space: validate everything, then insert, patch, remember the
 * idempotent result and advance the user's version. Nothing is applied when validation fails.
 */
export function applyCommit(space: TenantSpace, commit: WriteCommit): { version: number } {
  validateCommit(space, commit);
  const bucket = bucketOf(space, commit.userId);
  for (const memory of commit.insert) {
    const stored: MemoryRecord = {
      ...copy(memory),
      tenantId: commit.tenantId,
      userId: commit.userId,
    };
    bucket.memories.set(stored.id, stored);
    space.memoryOwners.set(stored.id, commit.userId);
  }
  for (const patch of commit.update) {
    const existing = bucket.memories.get(patch.id);
    if (existing) bucket.memories.set(patch.id, { ...existing, ...definedFields(patch.set) });
  }
  if (commit.idempotency) {
    const record = { ...copy(commit.idempotency), tenantId: commit.tenantId };
    space.idempotency.set(record.key, record);
    bucketOf(space, record.userId).idempotencyKeys.add(record.key);
  }
  const version = commit.expectedVersion + 1;
  const user = space.users.get(commit.userId);
  if (user) space.users.set(commit.userId, { ...user, version, updatedAt: commit.at });
  return { version };
}
