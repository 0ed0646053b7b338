import { signReceipt } from '@memnex/audit';
import { v7 as uuidv7 } from 'uuid';
import { MemnexError } from '../errors.js';
import type { MemoryRecord, TenantRecord } from '../model.js';
import { requestHashOf } from './request-hash.js';
import { LIMITS } from '../wire/common.js';
import {
  writeInputSchema,
  type Extraction,
  type WriteInput,
  type WriteRequest,
  type WriteResult,
} from '../wire/memory.js';
import type { CallContext, EngineContext } from './context.js';
import { announceChange, appendAudit, embedTexts, indexEntryOf, updateIndex } from './effects.js';
import { extractRawText, type RawTextExtraction } from './extraction.js';
import { planWrite } from './plan.js';
import {
  prepareItems,
  type PrepareInput,
  type PreparedItem,
  type RejectedItem,
} from './prepare.js';
import { resolveUser, type UserHandle } from './users.js';
import { parseInput, splitTenant } from './validate.js';

/** Options of `memnex.write`. */
export type WriteOptions = WriteInput & { tenantId: string } & CallContext;

/** How often a write is re-planned when another writer changed the user in between. */
const MAX_ATTEMPTS = 5;

export async function write(context: EngineContext, options: WriteOptions): Promise<WriteResult> {
  const [tenantId, { actor = 'system', ...wire }] = splitTenant(options);
  const input = parseInput(writeInputSchema, wire);
  const tenant = await context.tenants.require(tenantId);
  context.usage.count(tenantId, 'writes');
  const { idempotencyKey, ...request } = input;
  const requestHash = requestHashOf(request);

  const replay = async () => {
    if (!idempotencyKey) return null;
    const prior = await context.stores.warm.getIdempotency({ tenantId, key: idempotencyKey });
    if (!prior) return null;
    if (prior.requestHash !== requestHash) {
      throw new MemnexError({
        code: 'CONFLICT',
        message: 'idempotency key was already used for a different request',
        details: { idempotencyKey },
      });
    }
    // Results remembered before raw-text writes existed have no `extraction`.
    const result = prior.result as Omit<WriteResult, 'extraction'> & Partial<WriteResult>;
    return { ...result, extraction: result.extraction ?? null };
  };
  const earlier = await replay();
  if (earlier) return earlier;

  const user = (await resolveUser(context, tenant, input.user, true)) as UserHandle;
  // Outside the user's lock: a model extractor may take seconds.
  const extraction = await extractRawText(context, tenant, input);
  return context.userLocks.run(`${tenantId}:${user.id}`, async () => {
    const raced = await replay();
    if (raced) return raced;
    const prepared = await prepareItems(context, tenant, withExtraction(input, extraction));
    return commitWithRetry(context, {
      tenant,
      user,
      input,
      items: prepared.items,
      rejected: [...prepared.rejected, ...overflowOf(input, extraction)],
      extraction: summaryOf(input, extraction),
      requestHash,
      actor,
      replay,
    });
  });
}

/** The write's facts and messages followed by those of its raw text. */
function withExtraction(input: WriteRequest, extraction: RawTextExtraction | null): PrepareInput {
  if (!extraction) return input;
  return {
    trust: input.trust,
    facts: [...input.facts, ...extraction.facts.slice(0, LIMITS.extractedFactsPerWrite)],
    messages: [...input.messages, ...extraction.messages],
  };
}

/** Extracted facts past the per-write limit, refused by name rather than dropped. */
function overflowOf(input: WriteRequest, extraction: RawTextExtraction | null): RejectedItem[] {
  const limit = LIMITS.extractedFactsPerWrite;
  return (extraction?.facts.slice(limit) ?? []).map((_, position) => ({
    kind: 'fact',
    index: input.facts.length + limit + position,
    code: 'PAYLOAD_TOO_LARGE',
    reason: `raw text gave more than ${limit} facts; send it in smaller parts`,
  }));
}

function summaryOf(input: WriteRequest, extraction: RawTextExtraction | null): Extraction | null {
  if (!extraction) return null;
  return {
    extractor: extraction.extractor,
    facts: extraction.facts.length,
    messages: extraction.messages.length,
    firstFactIndex: input.facts.length,
    firstMessageIndex: input.messages.length,
    fallback: extraction.fallback,
  };
}

interface WriteJob {
  tenant: TenantRecord;
  user: UserHandle;
  input: WriteRequest;
  items: PreparedItem[];
  rejected: RejectedItem[];
  /** What extraction made of the raw text, for the result; null without raw text. */
  extraction: Extraction | null;
  requestHash: string;
  actor: string;
  /** The remembered result of this request's idempotency key, if any. */
  replay: () => Promise<WriteResult | null>;
}

async function commitWithRetry(context: EngineContext, job: WriteJob): Promise<WriteResult> {
  const { warm } = context.stores;
  const { tenant, input } = job;
  const tenantId = tenant.id;
  for (let attempt = 1; ; attempt += 1) {
    const user = await warm.getUserById({ tenantId, userId: job.user.id });
    if (!user) throw MemnexError.notFound(`user ${job.user.externalId}`);
    const messageIds = job.items.flatMap((item) =>
      item.kind === 'message' && item.messageId ? [item.messageId] : [],
    );
    const extracted = job.items.filter((item) => item.kind === 'fact' && item.messageId);
    const [current, stored, latestMessage, extractedBefore] = await Promise.all([
      warm.listMemories({ tenantId, userId: user.id, scope: 'current', kinds: ['fact'] }),
      messageIds.length > 0
        ? warm.listMemories({
            tenantId,
            userId: user.id,
            scope: 'all',
            kinds: ['message'],
            messageIds,
          })
        : Promise.resolve([]),
      job.items.some((item) => item.kind === 'message') && input.sessionId
        ? warm.listMemories({
            tenantId,
            userId: user.id,
            scope: 'all',
            kinds: ['message'],
            order: 'desc',
            limit: 1,
          })
        : Promise.resolve([]),
      extracted.length > 0
        ? warm.listMemories({
            tenantId,
            userId: user.id,
            scope: 'all',
            kinds: ['fact'],
            messageIds: [...new Set(extracted.map((item) => item.messageId!))],
            contentHashes: [...new Set(extracted.map((item) => item.contentHash))],
          })
        : Promise.resolve([]),
    ]);
    const storedMessages = new Map(
      stored.flatMap((record) => record.source.messageIds.map((id) => [id, record] as const)),
    );
    const now = context.now().toISOString();
    const plan = planWrite({
      tenant,
      userId: user.id,
      items: job.items,
      current,
      storedMessages,
      extractedBefore: new Map(
        extractedBefore.flatMap((record) =>
          record.source.messageIds.map((id) => [`${id}\n${record.contentHash}`, record] as const),
        ),
      ),
      trust: input.trust,
      sessionId: input.sessionId ?? null,
      channel: input.source?.channel ?? null,
      agentId: input.source?.agentId ?? null,
      now,
      newId: uuidv7,
    });

    const { vectors, model } = await embedTexts(
      context,
      plan.insert.map((record) => record.text),
    );
    plan.insert.forEach((record, position) => {
      if (vectors[position]) record.embeddingModel = model;
    });

    const rejected = [...job.rejected, ...plan.rejected].sort((a, b) =>
      a.kind === b.kind ? a.index - b.index : a.kind === 'fact' ? -1 : 1,
    );
    const changed = plan.insert.length + plan.update.length;
    const version = changed > 0 || input.idempotencyKey ? user.version + 1 : user.version;
    const changes = requestHashOf({
      tenantId,
      userId: user.id,
      version,
      requestHash: job.requestHash,
      written: plan.written.map((item) => item.id),
      deduplicated: plan.deduplicated.map((item) => item.id),
      superseded: plan.superseded,
      resolved: plan.resolved,
    });
    const result: WriteResult = {
      written: plan.written,
      deduplicated: plan.deduplicated,
      superseded: plan.superseded,
      resolved: plan.resolved,
      rejected,
      version,
      receipt: signReceipt(
        {
          op: 'memory.write' as const,
          tenantId,
          userId: user.externalId,
          version,
          changes,
          timestamp: now,
        },
        context.auditKeys,
      ),
      ledgerSeq: null,
      extraction: job.extraction,
    };
    if (version === user.version) return result;

    try {
      await warm.commitWrite({
        tenantId,
        userId: user.id,
        expectedVersion: user.version,
        insert: plan.insert,
        update: plan.update,
        idempotency: input.idempotencyKey
          ? {
              tenantId,
              key: input.idempotencyKey,
              userId: user.id,
              requestHash: job.requestHash,
              result,
              createdAt: now,
            }
          : undefined,
        at: now,
      });
    } catch (error) {
      if (!MemnexError.isInstance(error) || error.code !== 'CONFLICT') throw error;
      // Another process committed the same idempotency key first: answer with its result.
      const replayed = await job.replay();
      if (replayed) return replayed;
      const versionRace = error.details?.currentVersion !== undefined;
      if (versionRace && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }

    const contexts = messageContexts(job, latestMessage[0], plan.written);
    await updateIndex(context, tenantId, user.id, {
      written: {
        entries: plan.insert.map((record, position) =>
          indexEntryOf(record, vectors[position], model, contexts.get(record.id)),
        ),
        embeddedWith: model,
      },
      retired: [...plan.superseded, ...plan.resolved].map((item) => item.id),
    });
    const entry = await appendAudit(context, tenantId, {
      op: 'memory.write',
      actor: job.actor,
      subject: user.id,
      payload: {
        version,
        receiptHash: result.receipt.hash,
        written: plan.written.map((item) => item.id),
        deduplicated: plan.deduplicated.length,
        superseded: plan.superseded.map((item) => item.id),
        resolved: plan.resolved.map((item) => item.id),
        rejected: rejected.length,
      },
    });
    await announceChange(context, user, version);
    return { ...result, ledgerSeq: entry?.seq ?? null };
  }
}

/**
 * The message each newly written message follows in its conversation: the previous message of
 * the same write, or for the first one the user's latest stored message when it belongs to the
 * same session. Indexed as context, it lets a short reply ("Yes, last May") be found by what it
 * answers.
 */
function messageContexts(
  job: WriteJob,
  latestStored: MemoryRecord | undefined,
  written: WriteResult['written'],
): Map<string, string> {
  const contexts = new Map<string, string>();
  const idByIndex = new Map(
    written.filter((item) => item.kind === 'message').map((item) => [item.index, item.id]),
  );
  const sessionId = job.input.sessionId;
  let previous =
    sessionId && latestStored?.source.sessionId === sessionId ? latestStored.text : null;
  for (const item of job.items) {
    if (item.kind !== 'message') continue;
    const id = idByIndex.get(item.index);
    if (id && previous) contexts.set(id, previous);
    previous = item.text;
  }
  return contexts;
}
