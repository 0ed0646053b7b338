import { MemnexError } from '../errors.js';
import type { MemoryRecord } from '../model.js';
import {
  exportInputSchema,
  importInputSchema,
  type ExportDocument,
  type ExportInput,
  type ImportInput,
} from '../wire/memory.js';
import type { CallContext, EngineContext } from './context.js';
import { announceChange, appendAudit, embedTexts, indexEntryOf, updateIndex } from './effects.js';
import { canonicalIdentifier, storeIdentifier } from './identifiers.js';
import { contentHashOf } from './prepare.js';
import { resolveUser } from './users.js';
import { parseInput, splitTenant } from './validate.js';
import { toView } from './views.js';

/** Options of `memnex.export`. */
export type ExportOptions = ExportInput & { tenantId: string } & CallContext;
/** Options of `memnex.import`. */
export type ImportOptions = ImportInput & { tenantId: string } & CallContext;

/** Everything Memnex holds of a user, with history, as one portable JSON document. */
export async function exportUser(
  context: EngineContext,
  options: ExportOptions,
): Promise<ExportDocument> {
  const [tenantId, { actor = 'system', ...wire }] = splitTenant(options);
  const input = parseInput(exportInputSchema, wire);
  const tenant = await context.tenants.require(tenantId);
  const user = await resolveUser(context, tenant, input.user, false);
  const exportedAt = context.now().toISOString();
  if (!user)
    return {
      format: 'memnex.export.v1',
      exportedAt,
      tenantId,
      user: null,
      identifiers: [],
      memories: [],
    };

  const key = { tenantId, userId: user.id };
  const [stored, identifiers, memories] = await Promise.all([
    context.stores.warm.getUserById(key),
    context.stores.warm.listIdentifiers(key),
    context.stores.warm.listMemories({ ...key, scope: 'all' }),
  ]);
  await appendAudit(context, tenantId, {
    op: 'user.export',
    actor,
    subject: user.id,
    payload: { memories: memories.length },
  });
  return {
    format: 'memnex.export.v1',
    exportedAt,
    tenantId,
    user: { userId: user.externalId, createdAt: stored?.createdAt ?? exportedAt },
    identifiers: identifiers.map((identifier) => ({
      channel: identifier.channel,
      id: identifier.value,
      linkedAt: identifier.linkedAt,
    })),
    memories: memories.map(toView),
  };
}

/**
 * Load an export document into a tenant, as the same or another user id. Memory ids are kept, so
 * importing the same document twice is refused with `CONFLICT` rather than duplicating.
 */
export async function importUser(
  context: EngineContext,
  options: ImportOptions,
): Promise<{ userId: string; memories: number; identifiers: number; version: number }> {
  const [tenantId, { actor = 'system', ...wire }] = splitTenant(options);
  const input = parseInput(importInputSchema, wire);
  const tenant = await context.tenants.require(tenantId);
  const externalId = input.userId ?? input.document.user?.userId;
  if (!externalId) {
    throw MemnexError.validation([
      { path: 'userId', message: 'the document has no user; pass userId', code: 'invalid_type' },
    ]);
  }
  const user = (await resolveUser(context, tenant, externalId, true))!;
  const key = { tenantId, userId: user.id };
  const existing = await context.stores.warm.getMemories({
    tenantId,
    ids: input.document.memories.map((memory) => memory.id),
  });
  if (existing.length > 0) {
    throw new MemnexError({
      code: 'CONFLICT',
      message: 'memories of this document already exist',
      details: { ids: existing.map((record) => record.id).slice(0, 20) },
    });
  }

  return context.userLocks.run(`${tenantId}:${user.id}`, async () => {
    const stored = (await context.stores.warm.getUserById(key))!;
    const now = context.now().toISOString();
    const records: MemoryRecord[] = input.document.memories.map((memory) => ({
      ...memory,
      tenantId,
      userId: user.id,
      contentHash: contentHashOf(memory.type, memory.text),
      embeddingModel: null,
      seenCount: 1,
      lastSeenAt: memory.updatedAt,
    }));
    const { vectors, model } = await embedTexts(
      context,
      records.map((record) => record.text),
    );
    records.forEach((record, position) => {
      if (vectors[position]) record.embeddingModel = model;
    });
    const { version } = await context.stores.warm.commitWrite({
      ...key,
      expectedVersion: stored.version,
      insert: records,
      update: [],
      at: now,
    });

    let identifiers = 0;
    for (const identifier of input.document.identifiers) {
      await storeIdentifier(context, {
        tenantId,
        userId: user.id,
        canonical: canonicalIdentifier(context, tenant, identifier),
        channel: identifier.channel,
        linkedAt: identifier.linkedAt,
      });
      identifiers += 1;
    }
    await updateIndex(context, tenantId, user.id, {
      written: {
        entries: records.map((record, position) => indexEntryOf(record, vectors[position], model)),
        embeddedWith: model,
      },
    });
    await appendAudit(context, tenantId, {
      op: 'user.import',
      actor,
      subject: user.id,
      payload: { memories: records.length, identifiers },
    });
    await announceChange(context, user, version);
    return { userId: user.externalId, memories: records.length, identifiers, version };
  });
}
