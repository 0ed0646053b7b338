import {
  MemnexError,
  type IdentifierRecord,
  type UserTransfer,
  type UserTransferResult,
} from '@memnex/core';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { anyOf, textArray, type Transaction } from './database.js';
import { identifiers, memories, users } from './schema.js';
import { applyPatches } from './warm-memories.js';
import { toIdentifier } from './warm-records.js';

/** Lock both users (in id order, so two opposite transfers cannot deadlock); `NOT_FOUND` if one is missing. */
async function lockUsers(transaction: Transaction, transfer: UserTransfer): Promise<void> {
  const ids = [transfer.fromUserId, transfer.toUserId];
  const found = await transaction
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, transfer.tenantId), anyOf(users.id, ids)))
    .orderBy(users.id)
    .for('update');
  for (const userId of ids) {
    if (!found.some((row) => row.id === userId)) throw MemnexError.notFound('user', { userId });
  }
}

/** The `(namespace, value)` pairs a transfer names, as a condition on `identifiers`. */
function namedIdentifiers(transfer: UserTransfer): SQL {
  if (transfer.identifiers === 'all') return sql`true`;
  const namespaces = transfer.identifiers.map((identifier) => identifier.namespace);
  const values = transfer.identifiers.map((identifier) => identifier.value);
  return sql`(${identifiers.namespace}, ${identifiers.value}) in (
    select * from unnest(${textArray(namespaces)}, ${textArray(values)}))`;
}

/**
 * Move memories and identifiers from one user to the other, patch, set the alias and advance
 * both versions, in the caller's transaction: any failure rolls all of it back.
 */
export async function transferUserData(
  transaction: Transaction,
  transfer: UserTransfer,
): Promise<UserTransferResult> {
  const { tenantId, fromUserId, toUserId, at } = transfer;
  if (![fromUserId, toUserId].includes(transfer.alias.userId)) {
    throw MemnexError.validation([
      { path: 'alias.userId', message: 'must be one of the two users', code: 'invalid_value' },
    ]);
  }
  await lockUsers(transaction, transfer);

  const movedMemories = await transaction
    .update(memories)
    .set({ userId: toUserId, updatedAt: at })
    .where(
      and(
        eq(memories.tenantId, tenantId),
        eq(memories.userId, fromUserId),
        transfer.memoryIds === 'all' ? undefined : anyOf(memories.id, transfer.memoryIds),
      ),
    )
    .returning({ id: memories.id });
  const movedIdentifiers = await transaction
    .update(identifiers)
    .set({ userId: toUserId })
    .where(
      and(
        eq(identifiers.tenantId, tenantId),
        eq(identifiers.userId, fromUserId),
        namedIdentifiers(transfer),
      ),
    )
    .returning();
  await applyPatches(transaction, tenantId, [fromUserId, toUserId], transfer.update);

  const advanced = await transaction
    .update(users)
    .set({
      version: sql`${users.version} + 1`,
      updatedAt: at,
      mergedInto: sql`case when ${users.id} = ${transfer.alias.userId}
        then ${transfer.alias.mergedInto}::text else ${users.mergedInto} end`,
    })
    .where(and(eq(users.tenantId, tenantId), anyOf(users.id, [fromUserId, toUserId])))
    .returning({ id: users.id, version: users.version });

  const versions: Record<string, number> = {};
  for (const row of advanced) versions[row.id] = row.version;
  const moved: IdentifierRecord[] = movedIdentifiers.map(toIdentifier);
  return { memoryIds: movedMemories.map((row) => row.id), identifiers: moved, versions };
}
