import {
  addToTenantStats,
  emptyTenantStats,
  type TenantStatsRecord,
  type UserRecord,
} from '@memnex/core';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { anyOf, rowLimit, selectRows, type Transaction } from './database.js';
import { conflict } from './storage-errors.js';
import { idempotencyRecords, identifiers, memories, users } from './schema.js';
import { toUser, type Options } from './warm-records.js';

export async function getUser(
  transaction: Transaction,
  { tenantId, externalId }: Options<'getUser'>,
): Promise<UserRecord | null> {
  const [row] = await transaction
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.externalId, externalId)));
  return row ? toUser(row) : null;
}

export async function getUserById(
  transaction: Transaction,
  { tenantId, userId }: Options<'getUserById'>,
): Promise<UserRecord | null> {
  const [row] = await transaction
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
  return row ? toUser(row) : null;
}

/**
 * Insert unless the external id exists, then read: of concurrent callers one inserts, the
 * others wait for it on the unique index and then read its row.
 */
export async function ensureUser(
  transaction: Transaction,
  { tenantId, user }: Options<'ensureUser'>,
): Promise<UserRecord> {
  await transaction
    .insert(users)
    .values({
      tenantId,
      id: user.id,
      externalId: user.externalId,
      version: 0,
      mergedInto: user.mergedInto,
      createdAt: user.createdAt,
      updatedAt: user.updatedAt,
    })
    .onConflictDoNothing();
  const existing = await getUser(transaction, { tenantId, externalId: user.externalId });
  if (!existing) throw conflict('user id already exists', { userId: user.id });
  return existing;
}

/**
 * Delete the user, the users merged into it (transitively), and all their rows, counting what
 * goes. The foreign keys would cascade on their own; the explicit deletes are there to count.
 */
export async function deleteUser(
  transaction: Transaction,
  { tenantId, userId }: Options<'deleteUser'>,
): Promise<{ memories: number; identifiers: number; idempotencyRecords: number }> {
  const doomed = await selectRows<{ id: string }>(
    transaction,
    sql`with recursive doomed (id) as (
        select id from users where tenant_id = ${tenantId} and id = ${userId}
        union
        select alias.id from users alias join doomed on alias.merged_into = doomed.id
        where alias.tenant_id = ${tenantId}
      )
      select id from doomed`,
  );
  const ids = doomed.map((row) => row.id);
  const counts = { memories: 0, identifiers: 0, idempotencyRecords: 0 };
  if (ids.length === 0) return counts;
  counts.memories = (
    await transaction
      .delete(memories)
      .where(and(eq(memories.tenantId, tenantId), anyOf(memories.userId, ids)))
      .returning({ id: memories.id })
  ).length;
  counts.identifiers = (
    await transaction
      .delete(identifiers)
      .where(and(eq(identifiers.tenantId, tenantId), anyOf(identifiers.userId, ids)))
      .returning({ value: identifiers.value })
  ).length;
  counts.idempotencyRecords = (
    await transaction
      .delete(idempotencyRecords)
      .where(and(eq(idempotencyRecords.tenantId, tenantId), anyOf(idempotencyRecords.userId, ids)))
      .returning({ key: idempotencyRecords.key })
  ).length;
  await transaction.delete(users).where(and(eq(users.tenantId, tenantId), anyOf(users.id, ids)));
  return counts;
}

export async function listUsers(
  transaction: Transaction,
  { tenantId, afterId, limit }: Options<'listUsers'>,
): Promise<UserRecord[]> {
  const count = rowLimit(limit);
  if (count === 0) return [];
  const where = and(
    eq(users.tenantId, tenantId),
    afterId === undefined ? undefined : gt(users.id, afterId),
  );
  const query = transaction.select().from(users).where(where).orderBy(asc(users.id));
  const rows = count === undefined ? await query : await query.limit(count);
  return rows.map(toUser);
}

/** Users that are not aliases, and current memories counted by kind, type and channel. */
export async function tenantStats(
  transaction: Transaction,
  { tenantId }: Options<'tenantStats'>,
): Promise<TenantStatsRecord> {
  const [people] = await selectRows<{ count: number | string }>(
    transaction,
    sql`select count(*) as count from users
        where tenant_id = ${tenantId} and merged_into is null`,
  );
  const groups = await selectRows<{
    kind: string;
    type: string;
    channel: string | null;
    count: number | string;
    oldest: Date | string;
    newest: Date | string;
  }>(
    transaction,
    sql`select kind, type, source_channel as channel, count(*) as count,
          min(observed_at) as oldest, max(observed_at) as newest
        from memories
        where tenant_id = ${tenantId} and status = 'active' and valid_to is null
        group by kind, type, source_channel`,
  );
  const stats = emptyTenantStats(Number(people?.count ?? 0));
  for (const group of groups) {
    addToTenantStats(stats, {
      ...group,
      count: Number(group.count),
      oldest: new Date(group.oldest).toISOString(),
      newest: new Date(group.newest).toISOString(),
    });
  }
  return stats;
}
