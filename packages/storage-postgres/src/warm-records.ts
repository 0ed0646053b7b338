import type {
  ApiKeyRecord,
  IdempotencyRecord,
  IdentifierRecord,
  MemoryPatch,
  MemoryRecord,
  TenantRecord,
  UserRecord,
  WarmStore,
} from '@memnex/core';
import type {
  apiKeys,
  idempotencyRecords,
  identifiers,
  memories,
  tenants,
  users,
} from './schema.js';

/** The options object of a {@link WarmStore} method. */
export type Options<Method extends keyof WarmStore> = WarmStore[Method] extends (
  options: infer Input,
) => unknown
  ? Input
  : never;

type TenantRow = typeof tenants.$inferSelect;
type ApiKeyRow = typeof apiKeys.$inferSelect;
type UserRow = typeof users.$inferSelect;
type IdentifierRow = typeof identifiers.$inferSelect;
type MemoryRow = typeof memories.$inferSelect;
type IdempotencyRow = typeof idempotencyRecords.$inferSelect;

/** A tenant row as a record. */
export function toTenant(row: TenantRow): TenantRecord {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt,
    disabled: row.disabled,
    settings: row.settings,
  };
}

/** An API key row as a record. */
export function toApiKey(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    tenantId: row.tenantId,
    label: row.label,
    secretHash: row.secretHash,
    scopes: row.scopes,
    defaultChannel: row.defaultChannel ?? null,
    pinnedUserId: row.pinnedUserId ?? null,
    environment: row.environment,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt ?? null,
    revokedAt: row.revokedAt ?? null,
  };
}

/** A user row as a record. */
export function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    tenantId: row.tenantId,
    externalId: row.externalId,
    version: row.version,
    mergedInto: row.mergedInto ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** An identifier row as a record. */
export function toIdentifier(row: IdentifierRow): IdentifierRecord {
  return {
    tenantId: row.tenantId,
    userId: row.userId,
    namespace: row.namespace,
    value: row.value,
    channel: row.channel,
    linkedAt: row.linkedAt,
  };
}

/** A memory row as a record; the source is spread over four columns. */
export function toMemory(row: MemoryRow): MemoryRecord {
  return {
    id: row.id,
    tenantId: row.tenantId,
    userId: row.userId,
    kind: row.kind,
    type: row.type,
    text: row.text,
    contentHash: row.contentHash,
    slot: row.slot ?? null,
    entities: row.entities,
    confidence: row.confidence,
    salience: row.salience,
    trust: row.trust,
    source: {
      channel: row.sourceChannel ?? null,
      agentId: row.sourceAgentId ?? null,
      sessionId: row.sourceSessionId ?? null,
      messageIds: row.sourceMessageIds,
    },
    observedAt: row.observedAt,
    validFrom: row.validFrom,
    validTo: row.validTo ?? null,
    supersededBy: row.supersededBy ?? null,
    status: row.status,
    expiresAt: row.expiresAt ?? null,
    piiFields: row.piiFields,
    metadata: row.metadata,
    embeddingModel: row.embeddingModel ?? null,
    seenCount: row.seenCount,
    lastSeenAt: row.lastSeenAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The row of a memory, stored under the given tenant and user whatever the record says. */
export function memoryRow(memory: MemoryRecord, tenantId: string, userId: string): MemoryRow {
  return {
    tenantId,
    id: memory.id,
    userId,
    kind: memory.kind,
    type: memory.type,
    text: memory.text,
    contentHash: memory.contentHash,
    slot: memory.slot,
    entities: memory.entities,
    confidence: memory.confidence,
    salience: memory.salience,
    trust: memory.trust,
    sourceChannel: memory.source.channel,
    sourceAgentId: memory.source.agentId,
    sourceSessionId: memory.source.sessionId,
    sourceMessageIds: memory.source.messageIds,
    observedAt: memory.observedAt,
    validFrom: memory.validFrom,
    validTo: memory.validTo,
    supersededBy: memory.supersededBy,
    status: memory.status,
    expiresAt: memory.expiresAt,
    piiFields: memory.piiFields,
    metadata: memory.metadata,
    embeddingModel: memory.embeddingModel,
    seenCount: memory.seenCount,
    lastSeenAt: memory.lastSeenAt,
    createdAt: memory.createdAt,
    updatedAt: memory.updatedAt,
  };
}

/** The fields a {@link MemoryPatch} may change; anything else in a patch is ignored. */
const PATCHABLE_FIELDS = [
  'validTo',
  'supersededBy',
  'status',
  'confidence',
  'salience',
  'seenCount',
  'lastSeenAt',
  'updatedAt',
  'expiresAt',
  'metadata',
] as const satisfies ReadonlyArray<keyof MemoryPatch['set'] & keyof MemoryRow>;

/** The columns a patch sets; an `undefined` field means "leave as is". */
export function patchColumns(set: MemoryPatch['set']): Partial<MemoryRow> {
  const columns: Partial<MemoryRow> = {};
  for (const field of PATCHABLE_FIELDS) {
    if (set[field] !== undefined) Object.assign(columns, { [field]: set[field] });
  }
  return columns;
}

/** An idempotency row as a record. */
export function toIdempotency(row: IdempotencyRow): IdempotencyRecord {
  return {
    tenantId: row.tenantId,
    key: row.key,
    userId: row.userId,
    requestHash: row.requestHash,
    result: row.result,
    createdAt: row.createdAt,
  };
}
