import type { AuditDraft, AuditEntry, MemoryRecord } from '../model.js';
import type { IndexEntry } from '../ports/index.js';
import type { EngineContext } from './context.js';
import { writeModels } from './embedding-models.js';
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

/**
 * Embed texts with the active model, or return nulls when there is none or it fails (the write
 * still lands). `model` is the model asked, null when there is none.
 */
export async function embedTexts(
  context: EngineContext,
  texts: string[],
): Promise<{ vectors: Array<Float32Array | null>; model: string | null }> {
  const embedder = texts.length === 0 ? null : await context.models.activeEmbedder();
  if (!embedder) return { vectors: texts.map(() => null), model: null };
  try {
    return { vectors: await embedder.embed(texts), model: embedder.model };
  } catch (error) {
    context.logger.warn('embedding failed; memories stored without vectors', {
      error,
      count: texts.length,
    });
    return { vectors: texts.map(() => null), model: embedder.model };
  }
}

/** A change to one user's index entries. */
export interface IndexChange {
  /**
   * Entries to insert or replace, and the model their vectors were asked of, even if it failed:
   * it is not asked again.
   */
  written?: { entries: IndexEntry[]; embeddedWith: string | null };
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
  const { written, retired = [], restored = [] } = change;
  const entries = written?.entries ?? [];
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
    return;
  }
  if (written && entries.length > 0) await completeVectors(context, tenantId, written);
}

/**
 * Add to just-written entries the vectors of the other models writes must cover: a re-embed's
 * target, and for a while the model active before a switch. The models are those known when the
 * entries are in the index, read again when what this instance knows is older than a refresh
 * period (see `EmbeddingModels.forWrite`), so that a re-embed cannot switch without them.
 */
async function completeVectors(
  context: EngineContext,
  tenantId: string,
  { entries, embeddedWith }: NonNullable<IndexChange['written']>,
): Promise<void> {
  const { models, logger } = context;
  if (!models.enabled) return;
  const state = await models.forWrite().catch((error: unknown) => {
    logger.error('reading the embedding models after a write failed', { tenantId, error });
    return models.state;
  });
  if (!state) return;
  for (const model of writeModels(state, context.now())) {
    if (model.model === embeddedWith) continue;
    const embedder = await models.embedderOf(model);
    if (!embedder) continue;
    try {
      const vectors = await embedder.embed(entries.map((entry) => entry.text));
      await context.stores.semantic.upsertVectors({
        tenantId,
        entries: entries.map((entry, position) => ({
          ...entry,
          vector: vectors[position] ?? null,
          model: embedder.model,
        })),
      });
    } catch (error) {
      logger.warn('adding vectors of another embedding model failed', {
        tenantId,
        model: model.model,
        error,
      });
    }
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
