import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type {
  ApiKeyRecord,
  AuditDraft,
  AuditLink,
  AuditSeal,
  IdempotencyRecord,
  IdentifierRecord,
  IndexEntry,
  MemoryRecord,
  TenantRecord,
  UserRecord,
} from '@memnex/core';

const BASE_TIME = Date.parse('2025-01-01T00:00:00.000Z');

/** `bytes` random bytes as lower-case hex. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** A fresh tenant id, `t_<16 hex>`, so suites can share one real database. */
export function randomTenantId(): string {
  return `t_${randomHex(8)}`;
}

/** A fresh lower-case UUID, usable as a user, memory or message id. */
export function randomId(): string {
  return randomUUID();
}

/** An ISO-8601 instant `offsetSeconds` after 2025-01-01T00:00:00Z, for readable timelines. */
export function timestamp(offsetSeconds = 0): string {
  return new Date(BASE_TIME + offsetSeconds * 1000).toISOString();
}

/** Hex SHA-256 of a text. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A tenant record; override any field. */
export function makeTenant(overrides: Partial<TenantRecord> = {}): TenantRecord {
  return {
    id: randomTenantId(),
    name: 'Conformance tenant',
    createdAt: timestamp(),
    disabled: false,
    settings: {},
    ...overrides,
  };
}

/** An API key record with a random `k<8 hex>` id; override any field. */
export function makeApiKey(overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id: `k${randomHex(4)}`,
    tenantId: randomTenantId(),
    label: 'conformance key',
    secretHash: sha256(randomHex(32)),
    scopes: ['memory:read', 'memory:write'],
    defaultChannel: null,
    pinnedUserId: null,
    environment: 'test',
    createdAt: timestamp(),
    lastUsedAt: null,
    revokedAt: null,
    ...overrides,
  };
}

/** A user record at version 0 with a random id and external id; override any field. */
export function makeUser(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id: randomId(),
    tenantId: randomTenantId(),
    externalId: `user-${randomHex(6)}`,
    version: 0,
    mergedInto: null,
    createdAt: timestamp(),
    updatedAt: timestamp(),
    ...overrides,
  };
}

/** A phone identifier with a random number; override any field. */
export function makeIdentifier(overrides: Partial<IdentifierRecord> = {}): IdentifierRecord {
  return {
    tenantId: randomTenantId(),
    userId: randomId(),
    namespace: 'phone',
    value: `+1555${String(randomBytes(4).readUInt32BE() % 10_000_000).padStart(7, '0')}`,
    channel: 'voice',
    linkedAt: timestamp(),
    ...overrides,
  };
}

/** A current (active, open-ended) preference fact; override any field. */
export function makeMemory(overrides: Partial<MemoryRecord> = {}): MemoryRecord {
  const text = overrides.text ?? 'Prefers to be contacted by email';
  const at = overrides.observedAt ?? timestamp();
  return {
    id: randomId(),
    tenantId: randomTenantId(),
    userId: randomId(),
    kind: 'fact',
    type: 'preference',
    text,
    contentHash: sha256(text.toLowerCase()),
    slot: null,
    entities: [],
    confidence: 0.9,
    salience: 0.5,
    trust: 'user_content',
    source: { channel: 'web', agentId: 'agent-1', sessionId: 'session-1', messageIds: [] },
    observedAt: at,
    validFrom: at,
    validTo: null,
    supersededBy: null,
    status: 'active',
    expiresAt: null,
    piiFields: [],
    metadata: {},
    embeddingModel: null,
    seenCount: 1,
    lastSeenAt: at,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/** An idempotency record with a random key; override any field. */
export function makeIdempotencyRecord(
  overrides: Partial<IdempotencyRecord> = {},
): IdempotencyRecord {
  return {
    tenantId: randomTenantId(),
    key: `idem-${randomHex(8)}`,
    userId: randomId(),
    requestHash: sha256(randomHex(8)),
    result: { written: [], version: 1 },
    createdAt: timestamp(),
    ...overrides,
  };
}

/** A current index entry without a vector; override any field. */
export function makeIndexEntry(overrides: Partial<IndexEntry> = {}): IndexEntry {
  return {
    memoryId: randomId(),
    userId: randomId(),
    text: 'Prefers to be contacted by email',
    type: 'preference',
    kind: 'fact',
    current: true,
    observedAt: timestamp(),
    vector: null,
    model: null,
    ...overrides,
  };
}

/** An audit draft; override any field. */
export function makeAuditDraft(overrides: Partial<AuditDraft> = {}): AuditDraft {
  return {
    op: 'memory.write',
    actor: 'k00000000',
    subject: randomId(),
    payload: { written: 1 },
    ...overrides,
  };
}

/** The text a test seal hashes: every link and draft field, in a fixed order. */
function sealInput(entry: AuditDraft & AuditLink): string {
  return JSON.stringify([
    entry.tenantId,
    entry.seq,
    entry.ts,
    entry.prevHash,
    entry.op,
    entry.actor,
    entry.subject,
    entry.payload,
  ]);
}

/**
 * A deterministic seal for tests: `sha256:<hex>` over the entry's fields and an HMAC-SHA256
 * MAC. Not the production canonical form; adapters only need a seal that depends on the link.
 */
export function createTestSeal(secret = 'conformance-secret'): AuditSeal {
  return (entry) => {
    const input = sealInput(entry);
    return {
      hash: `sha256:${sha256(input)}`,
      mac: createHmac('sha256', secret).update(input).digest('hex'),
      keyId: 'k-conformance',
    };
  };
}

/** A copy of `items` sorted by a string field, for comparing results whose order is free. */
export function sortBy<Item>(items: Item[], field: (item: Item) => string): Item[] {
  return [...items].sort((left, right) => {
    const a = field(left);
    const b = field(right);
    return a < b ? -1 : a > b ? 1 : 0;
  });
}
