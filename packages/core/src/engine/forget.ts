import { signReceipt } from '@memnex/audit';
import { v7 as uuidv7 } from 'uuid';
import { forgetInputSchema, type ForgetInput, type ForgetReceipt } from '../wire/memory.js';
import type { CallContext, EngineContext } from './context.js';
import { announceChange, appendAudit } from './effects.js';
import { identifierKey } from './identifiers.js';
import { externalIdKey, externalIdOf, resolveUser, type UserHandle } from './users.js';
import { parseInput, splitTenant } from './validate.js';

/** Options of `memnex.forget`. */
export type ForgetOptions = ForgetInput & { tenantId: string } & CallContext;

type Deleted = ForgetReceipt['deleted'];

const NOTHING: Deleted = {
  memories: 0,
  identifiers: 0,
  vectors: 0,
  stateKeys: 0,
  cacheEntries: 0,
  idempotencyRecords: 0,
};

/**
 * Delete everything of a user (or only `memoryIds`) from every store, on every instance, and
 * return a receipt signed with the audit key. Forgetting an unknown user is not an error: the
 * receipt says nothing was deleted.
 */
export async function forget(
  context: EngineContext,
  options: ForgetOptions,
): Promise<ForgetReceipt> {
  const [tenantId, { actor = 'system', ...wire }] = splitTenant(options);
  const input = parseInput(forgetInputSchema, wire);
  const tenant = await context.tenants.require(tenantId);
  const user = await resolveUser(context, tenant, input.user, false);
  const externalId = user?.externalId ?? externalIdOf(input.user) ?? '';
  const scope = input.memoryIds ? 'memories' : 'user';

  let deleted = NOTHING;
  if (user) {
    deleted = await context.userLocks.run(`${tenantId}:${user.id}`, () =>
      input.memoryIds ? forgetMemories(context, user, input.memoryIds) : forgetUser(context, user),
    );
  }

  const receiptId = uuidv7();
  const timestamp = context.now().toISOString();
  const entry = await appendAudit(context, tenantId, {
    op: scope === 'user' ? 'user.forget' : 'memory.forget',
    actor,
    subject: user?.id ?? null,
    payload: { receiptId, reason: input.reason, deleted, memoryIds: input.memoryIds ?? null },
  });
  const body = {
    receiptId,
    tenantId,
    user: externalId,
    reason: input.reason,
    scope,
    deleted,
    ledgerSeq: entry?.seq ?? null,
    timestamp,
  } as const;
  return signReceipt(body, context.auditKeys);
}

async function forgetUser(context: EngineContext, user: UserHandle): Promise<Deleted> {
  const { warm, hot, semantic, bus } = context.stores;
  const key = { tenantId: user.tenantId, userId: user.id };
  const identifiers = await warm.listIdentifiers(key);
  const identifierKeys = [externalIdKey(user.externalId), ...identifiers.map(identifierKey)];
  const vectors = await semantic.delete(key);
  const rows = await warm.deleteUser(key);
  const cacheEntries = await hot.forgetUser({ ...key, identifierKeys });
  await bus.publish({
    origin: context.instanceId,
    type: 'user.forgotten',
    ...key,
    externalId: user.externalId,
    identifierKeys,
  });
  return {
    memories: rows.memories,
    identifiers: rows.identifiers,
    vectors,
    stateKeys: 0,
    cacheEntries,
    idempotencyRecords: rows.idempotencyRecords,
  };
}

async function forgetMemories(
  context: EngineContext,
  user: UserHandle,
  ids: string[],
): Promise<Deleted> {
  const { memoryIds, memories, vectors } = await deleteUserMemories(context, user, ids);
  if (memoryIds.length === 0) return NOTHING;
  return { ...NOTHING, memories, vectors, cacheEntries: 1 };
}

/**
 * Delete those of `ids` that belong to the user, everywhere: the index entries first (a crash in
 * between leaves the rows, so a retry finds them again), then the rows, then every instance's
 * cache. The caller holds the user's write lock. Returns the ids deleted and the counts.
 */
export async function deleteUserMemories(
  context: EngineContext,
  user: UserHandle,
  ids: string[],
): Promise<{ memoryIds: string[]; memories: number; vectors: number }> {
  const { warm, semantic } = context.stores;
  const key = { tenantId: user.tenantId, userId: user.id };
  const memoryIds = (await warm.getMemories({ tenantId: user.tenantId, ids }))
    .filter((record) => record.userId === user.id)
    .map((record) => record.id);
  if (memoryIds.length === 0) return { memoryIds, memories: 0, vectors: 0 };
  const vectors = await semantic.delete({ ...key, memoryIds });
  const { deleted, version } = await warm.deleteMemories({ ...key, ids: memoryIds });
  await announceChange(context, user, version);
  return { memoryIds, memories: deleted, vectors };
}
