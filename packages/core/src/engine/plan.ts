import type { ConflictPolicy, MemoryPatch, MemoryRecord, TenantRecord } from '../model.js';
import type { Channel, MemoryType, TrustLevel } from '../wire/common.js';
import type { WriteResult } from '../wire/memory.js';
import type { PreparedItem, RejectedItem } from './prepare.js';
import { initialSalience, reinforcedConfidence } from './salience.js';

/** Everything the planner needs to know about the user's memories and the request. */
export interface PlanInput {
  tenant: TenantRecord;
  userId: string;
  items: PreparedItem[];
  /** The user's current facts. */
  current: MemoryRecord[];
  /** Stored messages of the user whose ids appear in the request, by message id. */
  storedMessages: Map<string, MemoryRecord>;
  /**
   * Stored facts (history included) already taken from a message of the request, by
   * `<message id>\n<content hash>`: the same fact from the same message is not stored again,
   * even once it was resolved or superseded.
   */
  extractedBefore?: Map<string, MemoryRecord>;
  trust: TrustLevel;
  sessionId: string | null;
  channel: Channel | null;
  agentId: string | null;
  now: string;
  newId: () => string;
}

/** The changes one write makes, and the per-item account returned to the caller. */
export interface WritePlan {
  insert: MemoryRecord[];
  update: MemoryPatch[];
  written: WriteResult['written'];
  deduplicated: WriteResult['deduplicated'];
  superseded: WriteResult['superseded'];
  resolved: WriteResult['resolved'];
  rejected: RejectedItem[];
}

/** Policy of a type in a tenant; every fact type defaults to `latest_wins`. */
export function conflictPolicy(tenant: TenantRecord, type: MemoryType): ConflictPolicy {
  return (
    tenant.settings.conflictPolicy?.[type] ?? (type === 'event' ? 'append_only' : 'latest_wins')
  );
}

/**
 * Decide what a write does (DESIGN §4, §4.1): deduplicate, supersede within slots, resolve open
 * issues, apply explicit `supersedes`. Pure: the caller commits the plan atomically.
 */
export function planWrite(input: PlanInput): WritePlan {
  const plan: WritePlan = {
    insert: [],
    update: [],
    written: [],
    deduplicated: [],
    superseded: [],
    resolved: [],
    rejected: [],
  };
  const live = new Map<string, MemoryRecord>(
    input.current.map((record) => [record.id, { ...record }]),
  );
  const patches = new Map<string, MemoryPatch['set']>();
  const inserted = new Map<string, MemoryRecord>();
  const batchMessages = new Map<string, MemoryRecord>();

  const patch = (id: string, set: MemoryPatch['set']) => {
    const target = inserted.get(id) ?? live.get(id);
    if (target) Object.assign(target, set);
    if (!inserted.has(id)) patches.set(id, { ...patches.get(id), ...set });
  };
  const retire = (older: MemoryRecord, newer: MemoryRecord, status: 'superseded' | 'resolved') => {
    patch(older.id, {
      status,
      validTo: newer.validFrom,
      supersededBy: newer.id,
      updatedAt: input.now,
    });
    live.delete(older.id);
    (status === 'resolved' ? plan.resolved : plan.superseded).push({ id: older.id, by: newer.id });
  };
  const currentOf = (predicate: (record: MemoryRecord) => boolean) =>
    [...live.values()].filter(
      (record) => record.status === 'active' && record.validTo === null && predicate(record),
    );

  for (const item of input.items) {
    if (item.kind === 'message') {
      const previous = item.messageId
        ? (input.storedMessages.get(item.messageId) ?? batchMessages.get(item.messageId))
        : undefined;
      if (previous) {
        plan.deduplicated.push({
          kind: 'message',
          index: item.index,
          id: previous.id,
          type: previous.type,
        });
        continue;
      }
      const record = buildRecord(input, item);
      inserted.set(record.id, record);
      plan.insert.push(record);
      if (item.messageId) batchMessages.set(item.messageId, record);
      plan.written.push({ kind: 'message', index: item.index, id: record.id, type: record.type });
      continue;
    }

    const earlier = item.messageId
      ? input.extractedBefore?.get(`${item.messageId}\n${item.contentHash}`)
      : undefined;
    if (earlier) {
      plan.deduplicated.push({
        kind: 'fact',
        index: item.index,
        id: earlier.id,
        type: earlier.type,
      });
      continue;
    }

    const policy = conflictPolicy(input.tenant, item.type);
    const duplicate =
      policy === 'append_only'
        ? undefined
        : currentOf((record) => record.contentHash === item.contentHash)[0];
    if (duplicate) {
      patch(duplicate.id, {
        seenCount: duplicate.seenCount + 1,
        lastSeenAt: input.now,
        confidence: reinforcedConfidence(duplicate.confidence, item.confidence),
        updatedAt: input.now,
      });
      plan.deduplicated.push({
        kind: 'fact',
        index: item.index,
        id: duplicate.id,
        type: duplicate.type,
      });
      continue;
    }

    const targets = item.supersedes.map((id) => live.get(id) ?? inserted.get(id));
    const missing = item.supersedes.filter(
      (_, position) => !targets[position] || targets[position]?.validTo !== null,
    );
    if (missing.length > 0) {
      plan.rejected.push({
        kind: 'fact',
        index: item.index,
        code: 'NOT_FOUND',
        reason: `supersedes: ${missing.join(', ')} is not a current memory of this user`,
      });
      continue;
    }

    const record = buildRecord(input, item);
    inserted.set(record.id, record);
    plan.insert.push(record);
    plan.written.push({ kind: 'fact', index: item.index, id: record.id, type: record.type });
    for (const target of targets) if (target) retire(target, record, 'superseded');

    if (policy === 'latest_wins' && record.slot !== null) {
      for (const other of currentOf(
        (candidate) => candidate.slot === record.slot && candidate.id !== record.id,
      )) {
        if (other.validFrom <= record.validFrom) retire(other, record, 'superseded');
        else {
          // A late-arriving older fact: keep it as history behind the newer one.
          Object.assign(record, {
            status: 'superseded',
            validTo: other.validFrom,
            supersededBy: other.id,
          });
          plan.superseded.push({ id: record.id, by: other.id });
          break;
        }
      }
    }
    if (record.type === 'resolution' && record.validTo === null && record.entities.length > 0) {
      const entities = new Set(record.entities);
      for (const issue of currentOf(
        (candidate) =>
          candidate.type === 'issue' && candidate.entities.some((entity) => entities.has(entity)),
      )) {
        retire(issue, record, 'resolved');
      }
    }
    if (record.validTo === null) live.set(record.id, record);
  }

  plan.update = [...patches].map(([id, set]) => ({ id, set }));
  return plan;
}

function buildRecord(input: PlanInput, item: PreparedItem): MemoryRecord {
  return {
    id: input.newId(),
    tenantId: input.tenant.id,
    userId: input.userId,
    kind: item.kind,
    type: item.type,
    text: item.text,
    contentHash: item.contentHash,
    slot: item.slot,
    entities: item.entities,
    confidence: item.confidence,
    salience: initialSalience(item.type, item.confidence, input.trust),
    trust: input.trust,
    source: {
      channel: input.channel,
      agentId: input.agentId,
      sessionId: input.sessionId,
      messageIds: item.messageId ? [item.messageId] : [],
    },
    observedAt: item.observedAt,
    validFrom: item.observedAt,
    validTo: null,
    supersededBy: null,
    status: 'active',
    expiresAt: item.expiresAt,
    piiFields: item.piiFields,
    metadata: item.metadata,
    embeddingModel: null,
    seenCount: 1,
    lastSeenAt: input.now,
    createdAt: input.now,
    updatedAt: input.now,
  };
}
