import {
  MemnexError,
  type ExpiredMemoryRef,
  type IdempotencyRecord,
  type MemoryPatch,
  type MemoryQuery,
  type MemoryRecord,
} from '@memnex/core';
import { and, asc, desc, eq, gt, gte, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { anyOf, overlaps, rowLimit, type Transaction } from './database.js';
import { conflict } from './storage-errors.js';
import { idempotencyRecords, memories, users } from './schema.js';
import { memoryRow, patchColumns, toIdempotency, toMemory, type Options } from './warm-records.js';

/** The SQL conditions of a {@link MemoryQuery}, tenant and user included. */
function queryConditions(query: MemoryQuery): SQL[] {
  const conditions: SQL[] = [
    eq(memories.tenantId, query.tenantId),
    eq(memories.userId, query.userId),
  ];
  if (query.asOf !== undefined) {
    conditions.push(lte(memories.validFrom, query.asOf));
    conditions.push(or(isNull(memories.validTo), gt(memories.validTo, query.asOf)) as SQL);
  } else if ((query.scope ?? 'current') === 'current') {
    conditions.push(eq(memories.status, 'active'), isNull(memories.validTo));
  }
  if (query.statuses) conditions.push(anyOf(memories.status, query.statuses));
  if (query.types) conditions.push(anyOf(memories.type, query.types));
  if (query.kinds) conditions.push(anyOf(memories.kind, query.kinds));
  if (query.slots) conditions.push(anyOf(memories.slot, query.slots));
  if (query.contentHashes) conditions.push(anyOf(memories.contentHash, query.contentHashes));
  if (query.entities) conditions.push(overlaps(memories.entities, query.entities));
  if (query.messageIds) conditions.push(overlaps(memories.sourceMessageIds, query.messageIds));
  if (query.since !== undefined) conditions.push(gte(memories.observedAt, query.since));
  if (query.until !== undefined) conditions.push(lt(memories.observedAt, query.until));
  return conditions;
}

export async function listMemories(
  transaction: Transaction,
  query: MemoryQuery,
): Promise<MemoryRecord[]> {
  const limit = rowLimit(query.limit);
  if (limit === 0) return [];
  const direction = query.order === 'desc' ? desc : asc;
  const select = transaction
    .select()
    .from(memories)
    .where(and(...queryConditions(query)))
    .orderBy(direction(memories.observedAt), direction(memories.id));
  const rows = limit === undefined ? await select : await select.limit(limit);
  return rows.map(toMemory);
}

export async function getMemories(
  transaction: Transaction,
  { tenantId, ids }: Options<'getMemories'>,
): Promise<MemoryRecord[]> {
  if (ids.length === 0) return [];
  const rows = await transaction
    .select()
    .from(memories)
    .where(and(eq(memories.tenantId, tenantId), anyOf(memories.id, ids)));
  return rows.map(toMemory);
}

/**
 * Apply patches to memories of the given owners; `NOT_FOUND` (rolling the transaction back)
 * for a patch of a memory none of them owns.
 */
export async function applyPatches(
  transaction: Transaction,
  tenantId: string,
  owners: string[],
  patches: MemoryPatch[],
): Promise<void> {
  for (const patch of patches) {
    const columns = patchColumns(patch.set);
    const where = and(
      eq(memories.tenantId, tenantId),
      eq(memories.id, patch.id),
      anyOf(memories.userId, owners),
    );
    const touched =
      Object.keys(columns).length === 0
        ? await transaction.select({ id: memories.id }).from(memories).where(where)
        : await transaction.update(memories).set(columns).where(where).returning({
            id: memories.id,
          });
    if (touched.length === 0) throw MemnexError.notFound('memory', { memoryId: patch.id });
  }
}

/** Advance the user's version from `expected`; `CONFLICT` or `NOT_FOUND` when it cannot. */
async function advanceVersion(
  transaction: Transaction,
  options: { tenantId: string; userId: string; expected: number; at: string },
): Promise<number> {
  const { tenantId, userId, expected, at } = options;
  const [advanced] = await transaction
    .update(users)
    .set({ version: sql`${users.version} + 1`, updatedAt: at })
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId), eq(users.version, expected)))
    .returning({ version: users.version });
  if (advanced) return advanced.version;
  const [current] = await transaction
    .select({ version: users.version })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
  if (!current) throw MemnexError.notFound('user', { userId });
  throw conflict(`user version is ${current.version}, expected ${expected}`, {
    currentVersion: current.version,
    expectedVersion: expected,
  });
}

/**
 * One write, all or nothing: the version compare-and-set first (it also locks the user row,
 * so concurrent commits of one user queue behind it), then inserts, patches and the
 * idempotency record. A reused memory id or idempotency key is a unique violation, which
 * becomes `CONFLICT` and rolls everything back.
 */
export async function commitWrite(
  transaction: Transaction,
  commit: Options<'commitWrite'>,
): Promise<{ version: number }> {
  const { tenantId, userId } = commit;
  const version = await advanceVersion(transaction, {
    tenantId,
    userId,
    expected: commit.expectedVersion,
    at: commit.at,
  });
  if (commit.insert.length > 0) {
    await transaction
      .insert(memories)
      .values(commit.insert.map((memory) => memoryRow(memory, tenantId, userId)));
  }
  await applyPatches(transaction, tenantId, [userId], commit.update);
  if (commit.idempotency) {
    const record = commit.idempotency;
    await transaction.insert(idempotencyRecords).values({
      tenantId,
      key: record.key,
      userId: record.userId,
      requestHash: record.requestHash,
      result: record.result,
      createdAt: record.createdAt,
    });
  }
  return { version };
}

export async function deleteMemories(
  transaction: Transaction,
  { tenantId, userId, ids }: Options<'deleteMemories'>,
): Promise<{ deleted: number; version: number }> {
  const removed =
    ids.length === 0
      ? []
      : await transaction
          .delete(memories)
          .where(
            and(
              eq(memories.tenantId, tenantId),
              eq(memories.userId, userId),
              anyOf(memories.id, ids),
            ),
          )
          .returning({ id: memories.id });
  const where = and(eq(users.tenantId, tenantId), eq(users.id, userId));
  const [user] =
    removed.length === 0
      ? await transaction.select({ version: users.version }).from(users).where(where)
      : await transaction
          .update(users)
          .set({ version: sql`${users.version} + 1` })
          .where(where)
          .returning({ version: users.version });
  return { deleted: removed.length, version: user?.version ?? 0 };
}

export async function getIdempotency(
  transaction: Transaction,
  { tenantId, key }: Options<'getIdempotency'>,
): Promise<IdempotencyRecord | null> {
  const [row] = await transaction
    .select()
    .from(idempotencyRecords)
    .where(and(eq(idempotencyRecords.tenantId, tenantId), eq(idempotencyRecords.key, key)));
  return row ? toIdempotency(row) : null;
}

export async function listExpiredMemories(
  transaction: Transaction,
  { before, statuses, limit }: Options<'listExpiredMemories'>,
): Promise<ExpiredMemoryRef[]> {
  const count = rowLimit(limit) ?? 0;
  if (count === 0) return [];
  // The partial index `memories_expires_idx` serves this scan across tenants.
  const conditions: SQL[] = [
    sql`${memories.expiresAt} is not null`,
    lte(memories.expiresAt, before),
  ];
  if (statuses) conditions.push(anyOf(memories.status, statuses));
  const rows = await transaction
    .select({
      tenantId: memories.tenantId,
      userId: memories.userId,
      id: memories.id,
      status: memories.status,
      expiresAt: memories.expiresAt,
    })
    .from(memories)
    .where(and(...conditions))
    .orderBy(asc(memories.expiresAt), asc(memories.tenantId), asc(memories.id))
    .limit(count);
  return rows.map((row) => ({ ...row, expiresAt: row.expiresAt! }));
}
