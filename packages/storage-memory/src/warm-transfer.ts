import {
  MemnexError,
  type IdentifierRecord,
  type UserTransfer,
  type UserTransferResult,
} from '@memnex/core';
import { copy } from './collections.js';
import { definedFields } from './warm-commit.js';
import { bucketOf, identifierKey, type TenantSpace } from './warm-tenant-space.js';

/** The memory ids and identifier keys of `fromUserId` that a transfer moves. */
function selection(space: TenantSpace, transfer: UserTransfer) {
  const from = space.buckets.get(transfer.fromUserId);
  const owned = [...(from?.memories.keys() ?? [])];
  const memoryIds =
    transfer.memoryIds === 'all'
      ? owned
      : [...new Set(transfer.memoryIds)].filter((id) => from?.memories.has(id));
  const identifierKeys =
    transfer.identifiers === 'all'
      ? [...(from?.identifierKeys ?? [])]
      : [
          ...new Set(
            transfer.identifiers.map((identifier) =>
              identifierKey(identifier.namespace, identifier.value),
            ),
          ),
        ].filter((key) => from?.identifierKeys.has(key));
  return { memoryIds, identifierKeys };
}

/**
 * Apply a user transfer to a tenant space: check everything first, then move memories and
 * identifiers, patch, set the alias and advance both versions. Nothing changes on failure.
 */
export function applyTransfer(space: TenantSpace, transfer: UserTransfer): UserTransferResult {
  const users = [transfer.fromUserId, transfer.toUserId].map((userId) => {
    const user = space.users.get(userId);
    if (!user) throw MemnexError.notFound('user', { userId });
    return user;
  });
  if (![transfer.fromUserId, transfer.toUserId].includes(transfer.alias.userId)) {
    throw MemnexError.validation([
      { path: 'alias.userId', message: 'must be one of the two users', code: 'invalid_value' },
    ]);
  }
  const { memoryIds, identifierKeys } = selection(space, transfer);
  const moved = new Set(memoryIds);
  const ownerAfter = (id: string) => {
    if (moved.has(id)) return transfer.toUserId;
    const owner = space.memoryOwners.get(id);
    return owner === transfer.fromUserId || owner === transfer.toUserId ? owner : undefined;
  };
  for (const patch of transfer.update) {
    if (!ownerAfter(patch.id)) throw MemnexError.notFound('memory', { memoryId: patch.id });
  }

  const from = bucketOf(space, transfer.fromUserId);
  const to = bucketOf(space, transfer.toUserId);
  for (const id of memoryIds) {
    const memory = from.memories.get(id)!;
    from.memories.delete(id);
    to.memories.set(id, { ...memory, userId: transfer.toUserId, updatedAt: transfer.at });
    space.memoryOwners.set(id, transfer.toUserId);
  }
  const identifiers: IdentifierRecord[] = [];
  for (const key of identifierKeys) {
    const identifier = { ...space.identifiers.get(key)!, userId: transfer.toUserId };
    space.identifiers.set(key, identifier);
    from.identifierKeys.delete(key);
    to.identifierKeys.add(key);
    identifiers.push(copy(identifier));
  }
  for (const patch of transfer.update) {
    const bucket = ownerAfter(patch.id) === transfer.toUserId ? to : from;
    const existing = bucket.memories.get(patch.id)!;
    bucket.memories.set(patch.id, { ...existing, ...definedFields(patch.set) });
  }
  const versions: Record<string, number> = {};
  for (const user of users) {
    const version = user.version + 1;
    const mergedInto =
      user.id === transfer.alias.userId ? transfer.alias.mergedInto : user.mergedInto;
    space.users.set(user.id, { ...user, version, mergedInto, updatedAt: transfer.at });
    versions[user.id] = version;
  }
  return { memoryIds, identifiers, versions };
}
