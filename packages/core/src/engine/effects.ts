import type { AuditDraft, AuditEntry, MemoryRecord } from '../model.js';
import type { IndexEntry } from '../ports/index.js';
import type { EngineContext } from './context.js';
import { ledgerSeal } from './ledger.js';
import type { UserHandle } from './users.js';

/**
 * Append to the audit ledger. A ledger failure after a committed change is logged, not thrown:
 * the change is acknowledged and must not be reported as failed.
 */
export async function appendAudit(
  context: EngineContext,
  tenantId: string,
  draft: AuditDraft,
): Promise<AuditEntry | null> {
  try {
    return await context.stores.audit.append({
      tenantId,
      draft,
      seal: ledgerSeal(context.auditKeys),
      at: context.now().toISOString(),
    });
  } catch (error) {
    context.logger.error('audit append failed', { tenantId, op: draft.op, error });
    return null;
  }
}

/** Drop the user's cached working set here and on every instance. */
export async function announceChange(
  context: EngineContext,
  user: UserHandle,
  version: number,
): Promise<void> {
  const { hot, bus } = context.stores;
  // Both steps run even when one fails: a missed publish is covered by the TTL, a missed local
  // invalidation by the event (other instances) and the generation check (this one).
  try {
    await hot.invalidate({ tenantId: user.tenantId, userId: user.id });
  } catch (error) {
    context.logger.error('cache invalidation failed', { tenantId: user.tenantId, error });
  }
  try {
    await bus.publish({
      origin: context.instanceId,
      type: 'memory.changed',
      tenantId: user.tenantId,
      userId: user.id,
      externalId: user.externalId,
      version,
    });
  } catch (error) {
    context.logger.error('change event publish failed', { tenantId: user.tenantId, error });
  }
}

/** Embed texts, or return nulls when no embedder is set or it fails (the write still lands). */
export async function embedTexts(
  context: EngineContext,
  texts: string[],
): Promise<{ vectors: Array<Float32Array | null>; model: string | null }> {
  if (!context.embedder || texts.length === 0)
    return { vectors: texts.map(() => null), model: null };
  try {
    return { vectors: await context.embedder.embed(texts), model: context.embedder.model };
  } catch (error) {
    context.logger.warn('embedding failed; memories stored without vectors', {
      error,
      count: texts.length,
    });
    return { vectors: texts.map(() => null), model: null };
  }
}

/** A change to one user's index entries. */
export interface IndexChange {
  /** Entries to insert or replace. */
  entries?: IndexEntry[];
  /** Memories that stopped being current (superseded, resolved). */
  retired?: string[];
  /** Memories that are current again (an unmerge restored them). */
  restored?: string[];
}

/** Update the semantic index; failures are logged (the warm store stays the source of truth). */
export async function updateIndex(
  context: EngineContext,
  tenantId: string,
  userId: string,
  change: IndexChange,
): Promise<void> {
  const { semantic } = context.stores;
  const { entries = [], retired = [], restored = [] } = change;
  try {
    if (entries.length > 0) await semantic.upsert({ tenantId, entries });
    for (const [memoryIds, current] of [
      [retired, false],
      [restored, true],
    ] as const) {
      if (memoryIds.length > 0) await semantic.setCurrent({ tenantId, userId, memoryIds, current });
    }
  } catch (error) {
    context.logger.error('semantic index update failed', { tenantId, error });
  }
}

/** The index entry of a stored memory, with its vector (if any) and lexical context. */
export function indexEntryOf(
  record: MemoryRecord,
  vector: Float32Array | null | undefined,
  model: string | null,
  context: string | null = null,
): IndexEntry {
  return {
    memoryId: record.id,
    userId: record.userId,
    text: record.text,
    context,
    type: record.type,
    kind: record.kind,
    current: record.validTo === null && record.status === 'active',
    observedAt: record.observedAt,
    vector: vector ?? null,
    model: vector ? model : null,
  };
}
