import { signReceipt } from '@memnex/audit';
import { v7 as uuidv7 } from 'uuid';
import { MemnexError } from '../errors.js';
import type { AuditEntry, MemoryPatch, MemoryRecord, TenantRecord } from '../model.js';
import {
  mergeInputSchema,
  unmergeInputSchema,
  type MergeInput,
  type MergeReceipt,
  type UnmergeInput,
  type UnmergeReceipt,
} from '../wire/users.js';
import type { CallContext, EngineContext } from './context.js';
import { announceChange, appendAudit, updateIndex } from './effects.js';
import { identifierKey } from './identifiers.js';
import { entryIsIntact, ledgerDigest } from './ledger.js';
import { conflictPolicy } from './plan.js';
import { externalIdKey, resolveUser, type UserHandle } from './users.js';
import { parseInput, splitTenant } from './validate.js';

/** Options of `memnex.users.merge`. */
export type MergeOptions = MergeInput & { tenantId: string } & CallContext;
/** Options of `memnex.users.unmerge`. */
export type UnmergeOptions = UnmergeInput & { tenantId: string } & CallContext;

/** What a merge entry of the ledger records: ids, counts and keyed digests, never PII. */
interface MergePayload {
  receiptId: string;
  from: string;
  into: string;
  memoryIds: string[];
  /** Keyed digests of the moved identifiers (see `ledgerDigest`). */
  identifiers: string[];
  digestKeyId: string;
  superseded: Array<{ id: string; by: string }>;
}

/** Run work holding both users' locks, taken in a fixed order so two merges cannot deadlock. */
function withBothLocks<T>(
  context: EngineContext,
  tenantId: string,
  ids: [string, string],
  work: () => Promise<T>,
): Promise<T> {
  const [first, second] = [...ids].sort();
  return context.userLocks.run(`${tenantId}:${first}`, () =>
    context.userLocks.run(`${tenantId}:${second}`, work),
  );
}

/**
 * Facts that contradict each other once two people's memories meet: the same latest-wins slot,
 * or the same content, on both sides. The newer fact of a slot (or the survivor's copy of a
 * duplicate) stays current; the other becomes history behind it.
 */
export function mergeConflicts(
  tenant: TenantRecord,
  survivor: MemoryRecord[],
  merged: MemoryRecord[],
): Array<{ id: string; by: string }> {
  const retired: Array<{ id: string; by: string }> = [];
  const survivorHashes = new Map(survivor.map((record) => [record.contentHash, record]));
  const remaining = merged.filter((record) => {
    const twin = survivorHashes.get(record.contentHash);
    if (twin && conflictPolicy(tenant, record.type) !== 'append_only') {
      retired.push({ id: record.id, by: twin.id });
      return false;
    }
    return true;
  });
  const slots = new Map<string, { survivor: MemoryRecord[]; merged: MemoryRecord[] }>();
  for (const [side, records] of [
    ['survivor', survivor],
    ['merged', remaining],
  ] as const) {
    for (const record of records) {
      if (record.slot === null || conflictPolicy(tenant, record.type) !== 'latest_wins') continue;
      const group = slots.get(record.slot) ?? { survivor: [], merged: [] };
      group[side].push(record);
      slots.set(record.slot, group);
    }
  }
  for (const group of slots.values()) {
    if (group.survivor.length === 0 || group.merged.length === 0) continue;
    const all = [...group.survivor, ...group.merged];
    const winner = all.reduce((best, record) =>
      record.validFrom > best.validFrom ? record : best,
    );
    for (const record of all) if (record !== winner) retired.push({ id: record.id, by: winner.id });
  }
  return retired;
}

function supersedePatch(
  records: Map<string, MemoryRecord>,
  retired: { id: string; by: string },
  at: string,
): MemoryPatch {
  const winner = records.get(retired.by);
  return {
    id: retired.id,
    set: {
      status: 'superseded',
      validTo: winner?.validFrom ?? at,
      supersededBy: retired.by,
      updatedAt: at,
    },
  };
}

/** Drop cached state of both users, here and on every instance. */
async function announceIdentityChange(
  context: EngineContext,
  tenantId: string,
  users: Array<{ user: UserHandle; version: number }>,
  identifierKeys: string[],
): Promise<void> {
  const { hot, bus } = context.stores;
  try {
    for (const key of identifierKeys) await hot.deleteIdentifier({ tenantId, key });
    await bus.publish({
      origin: context.instanceId,
      type: 'identity.changed',
      tenantId,
      identifierKeys,
    });
  } catch (error) {
    context.logger.error('identifier cache invalidation failed', { tenantId, error });
  }
  for (const { user, version } of users) await announceChange(context, user, version);
}

async function requireUser(
  context: EngineContext,
  tenant: TenantRecord,
  input: MergeInput['from'],
  follow: boolean,
  field: string,
): Promise<UserHandle> {
  const user = await resolveUser(context, tenant, input, false, follow);
  if (!user) throw MemnexError.notFound(`user (${field})`);
  return user;
}

/**
 * Merge two records of one person: `from`'s memories, identifiers and vectors move to `into`,
 * contradicting facts become history behind the newer one, and `from` stays behind as an alias
 * whose external id resolves to `into`. The ledger entry records enough to undo it.
 */
export async function mergeUsers(
  context: EngineContext,
  options: MergeOptions,
): Promise<MergeReceipt> {
  const [tenantId, { actor = 'system', ...wire }] = splitTenant(options);
  const input = parseInput(mergeInputSchema, wire);
  const tenant = await context.tenants.require(tenantId);
  const from = await requireUser(context, tenant, input.from, true, 'from');
  const into = await requireUser(context, tenant, input.into, true, 'into');
  if (from.id === into.id) {
    throw MemnexError.validation([
      { path: 'into', message: 'from and into are the same user', code: 'same_user' },
    ]);
  }
  const { warm } = context.stores;

  return withBothLocks(context, tenantId, [from.id, into.id], async () => {
    const key = (userId: string) => ({ tenantId, userId, kinds: ['fact' as const] });
    const [survivorFacts, mergedFacts, mergedAll, identifiers] = await Promise.all([
      warm.listMemories(key(into.id)),
      warm.listMemories(key(from.id)),
      warm.listMemories({ tenantId, userId: from.id, scope: 'all' }),
      warm.listIdentifiers({ tenantId, userId: from.id }),
    ]);
    const at = context.now().toISOString();
    const records = new Map([...survivorFacts, ...mergedFacts].map((r) => [r.id, r]));
    const superseded = mergeConflicts(tenant, survivorFacts, mergedFacts);
    const result = await warm.transferUserData({
      tenantId,
      fromUserId: from.id,
      toUserId: into.id,
      memoryIds: mergedAll.map((record) => record.id),
      identifiers: identifiers.map(({ namespace, value }) => ({ namespace, value })),
      update: superseded.map((retired) => supersedePatch(records, retired, at)),
      alias: { userId: from.id, mergedInto: into.id },
      at,
    });
    const vectors = await moveVectors(context, tenantId, from.id, into.id, result.memoryIds);
    await updateIndex(context, tenantId, into.id, { retired: superseded.map((item) => item.id) });

    const receiptId = uuidv7();
    const digestKeyId = context.auditKeys.current.id;
    const payload: MergePayload = {
      receiptId,
      from: from.id,
      into: into.id,
      memoryIds: result.memoryIds,
      identifiers: result.identifiers.map((identifier) =>
        ledgerDigest(context.auditKeys, identifierKey(identifier), digestKeyId)!,
      ),
      digestKeyId,
      superseded,
    };
    const entry = await appendAudit(context, tenantId, {
      op: 'user.merge',
      actor,
      subject: into.id,
      payload: { ...payload },
    });
    await announceIdentityChange(
      context,
      tenantId,
      [
        { user: into, version: result.versions[into.id]! },
        { user: from, version: result.versions[from.id]! },
      ],
      [externalIdKey(from.externalId), ...result.identifiers.map(identifierKey)],
    );
    return signReceipt(
      {
        receiptId,
        op: 'user.merge' as const,
        tenantId,
        from: from.externalId,
        into: into.externalId,
        moved: {
          memories: result.memoryIds.length,
          identifiers: result.identifiers.length,
          vectors,
        },
        superseded: superseded.length,
        ledgerSeq: entry?.seq ?? null,
        timestamp: at,
      },
      context.auditKeys,
    );
  });
}

async function moveVectors(
  context: EngineContext,
  tenantId: string,
  fromUserId: string,
  toUserId: string,
  memoryIds: string[],
): Promise<number> {
  if (memoryIds.length === 0) return 0;
  try {
    return await context.stores.semantic.reassign({ tenantId, fromUserId, toUserId, memoryIds });
  } catch (error) {
    context.logger.error('semantic index reassign failed', { tenantId, error });
    return 0;
  }
}

/** The latest intact merge entry of the ledger that merged `userId` away. */
async function findMergeEntry(
  context: EngineContext,
  tenantId: string,
  userId: string,
): Promise<AuditEntry & { payload: MergePayload }> {
  const merges = await context.stores.audit.list({ tenantId, op: 'user.merge' });
  const entry = merges.reverse().find((candidate) => candidate.payload.from === userId);
  if (!entry) throw MemnexError.notFound('merge of this user in the audit ledger');
  const intact = entryIsIntact(context.auditKeys, entry);
  if (!intact.ok) {
    throw new MemnexError({
      code: 'CONFLICT',
      message: `the ledger entry of this merge fails verification (${intact.problem}); it cannot be undone from it`,
      details: { ledgerSeq: entry.seq, problem: intact.problem },
    });
  }
  return entry as AuditEntry & { payload: MergePayload };
}

/**
 * Undo a merge from its ledger entry: the merged user's memories and identifiers go back, facts
 * the merge made history are current again, and the alias is cleared. Memories written to the
 * survivor after the merge stay with the survivor.
 */
export async function unmergeUser(
  context: EngineContext,
  options: UnmergeOptions,
): Promise<UnmergeReceipt> {
  const [tenantId, { actor = 'system', ...wire }] = splitTenant(options);
  const input = parseInput(unmergeInputSchema, wire);
  const tenant = await context.tenants.require(tenantId);
  const handle = await requireUser(context, tenant, input.user, false, 'user');
  const merged = await context.stores.warm.getUserById({ tenantId, userId: handle.id });
  if (!merged) throw MemnexError.notFound('user (user)');
  if (!merged.mergedInto) {
    throw new MemnexError({ code: 'CONFLICT', message: 'this user is not merged into another' });
  }
  const survivorId = merged.mergedInto;
  const { warm } = context.stores;

  return withBothLocks(context, tenantId, [merged.id, survivorId], async () => {
    const entry = await findMergeEntry(context, tenantId, merged.id);
    const survivor = await warm.getUserById({ tenantId, userId: survivorId });
    if (!survivor) throw MemnexError.notFound('user the merge went into');
    const { payload } = entry;
    const digests = new Set(payload.identifiers);
    const identifiers = (await warm.listIdentifiers({ tenantId, userId: survivorId })).filter(
      (identifier) =>
        digests.has(
          ledgerDigest(context.auditKeys, identifierKey(identifier), payload.digestKeyId) ?? '',
        ),
    );
    const stillThere = await warm.getMemories({
      tenantId,
      ids: [...payload.memoryIds, ...payload.superseded.map((item) => item.id)],
    });
    const byId = new Map(stillThere.map((record) => [record.id, record]));
    const at = context.now().toISOString();
    const restore = payload.superseded.filter(
      (item) => byId.get(item.id)?.supersededBy === item.by,
    );
    const result = await warm.transferUserData({
      tenantId,
      fromUserId: survivorId,
      toUserId: merged.id,
      memoryIds: payload.memoryIds.filter((id) => byId.get(id)?.userId === survivorId),
      identifiers: identifiers.map(({ namespace, value }) => ({ namespace, value })),
      update: restore.map((item) => ({
        id: item.id,
        set: { status: 'active', validTo: null, supersededBy: null, updatedAt: at },
      })),
      alias: { userId: merged.id, mergedInto: null },
      at,
    });
    const vectors = await moveVectors(context, tenantId, survivorId, merged.id, result.memoryIds);
    const moved = new Set(result.memoryIds);
    const restored = restore.map((item) => item.id);
    await updateIndex(context, tenantId, merged.id, {
      restored: restored.filter((id) => moved.has(id)),
    });
    await updateIndex(context, tenantId, survivorId, {
      restored: restored.filter((id) => !moved.has(id)),
    });

    const receiptId = uuidv7();
    const ledger = await appendAudit(context, tenantId, {
      op: 'user.unmerge',
      actor,
      subject: merged.id,
      payload: {
        receiptId,
        mergeSeq: entry.seq,
        from: survivorId,
        memories: result.memoryIds.length,
        identifiers: result.identifiers.length,
        restored: restore.length,
      },
    });
    await announceIdentityChange(
      context,
      tenantId,
      [
        { user: survivor, version: result.versions[survivorId]! },
        { user: merged, version: result.versions[merged.id]! },
      ],
      [externalIdKey(merged.externalId), ...result.identifiers.map(identifierKey)],
    );
    return signReceipt(
      {
        receiptId,
        op: 'user.unmerge' as const,
        tenantId,
        user: merged.externalId,
        from: survivor.externalId,
        mergeSeq: entry.seq,
        restored: {
          memories: result.memoryIds.length,
          identifiers: result.identifiers.length,
          vectors,
        },
        ledgerSeq: ledger?.seq ?? null,
        timestamp: at,
      },
      context.auditKeys,
    );
  });
}
