import type { MemoryRecord } from '../model.js';
import type { MemoryType } from '../wire/common.js';

let counter = 0;

/** A memory record with sensible defaults, for unit tests of pure functions. */
export function memoryRecord(
  overrides: Partial<MemoryRecord> & { text: string; type?: MemoryType },
): MemoryRecord {
  counter += 1;
  const at = overrides.observedAt ?? '2026-01-01T10:00:00.000Z';
  return {
    id: `00000000-0000-7000-8000-${String(counter).padStart(12, '0')}`,
    tenantId: 't_test',
    userId: 'u_internal',
    kind: 'fact',
    type: 'issue',
    contentHash: `hash-${counter}`,
    slot: null,
    entities: [],
    confidence: 0.9,
    salience: 0.7,
    trust: 'agent_action',
    source: { channel: 'voice', agentId: null, sessionId: null, messageIds: [] },
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
