import type { Channel, MemoryKind, MemoryStatus, MemoryType, TrustLevel } from './wire/common.js';

/** Conflict policy of one memory type within a tenant. */
export type ConflictPolicy = 'latest_wins' | 'keep_both' | 'append_only';

/** Settings of a tenant. All fields optional; the engine fills defaults. */
export interface TenantSettings {
  /** Conflict policy per fact type; `latest_wins` when absent. */
  conflictPolicy?: Partial<Record<MemoryType, ConflictPolicy>>;
  /** Default region for phone numbers (ISO 3166-1 alpha-2), used by identity normalisation. */
  defaultRegion?: string;
  /** Retention in seconds per memory type; absent means keep. */
  retention?: Partial<Record<MemoryType, number>>;
  /**
   * Lowest trust level accepted per fact type. A fact written with less trust is refused and
   * reported in `rejected` with code `TRUST_TOO_LOW`; absent types accept any trust.
   */
  minTrust?: Partial<Record<MemoryType, TrustLevel>>;
}

/** A tenant. Every row of every store carries its id. All timestamps are ISO-8601 UTC strings. */
export interface TenantRecord {
  id: string;
  name: string;
  createdAt: string;
  disabled: boolean;
  settings: TenantSettings;
}

/** A stored API key; the raw secret is never stored, only its SHA-256. */
export interface ApiKeyRecord {
  /** Public key id, `k<8 hex>`. */
  id: string;
  tenantId: string;
  label: string;
  /** Hex SHA-256 of the secret part of the key. */
  secretHash: string;
  scopes: string[];
  /** Channel used when a request does not say one. */
  defaultChannel: Channel | null;
  /** When set, the key can only address this external user id. */
  pinnedUserId: string | null;
  environment: 'live' | 'test';
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A person, as known to one tenant. */
export interface UserRecord {
  /** Internal id (UUIDv7). */
  id: string;
  tenantId: string;
  /** The caller's opaque id for the person. */
  externalId: string;
  /** Monotonic per-user version, increased by every committed change. */
  version: number;
  /**
   * Internal id of the user this one was merged into, or null. A merged user keeps its row as an
   * alias: its external id resolves to the surviving user until an unmerge restores it.
   */
  mergedInto: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * Identifier namespaces. Phone channels (voice, sms, whatsapp) share `phone`, so one number
 * reaches one person whatever the channel.
 */
export type IdentifierNamespace = 'phone' | 'email' | 'web' | 'app';

/** A channel identifier linked to a user, in canonical form. Unique per (namespace, value). */
export interface IdentifierRecord {
  tenantId: string;
  userId: string;
  namespace: IdentifierNamespace;
  /** Canonical value, e.g. `+919241063955` for phones. */
  value: string;
  /** Channel the identifier was linked from. */
  channel: Channel;
  linkedAt: string;
}

/** Provenance of a memory. */
export interface MemorySource {
  channel: Channel | null;
  agentId: string | null;
  sessionId: string | null;
  /** Ids of the conversation messages the memory came from. */
  messageIds: string[];
}

/** A memory row: a fact or a message, current or historical. */
export interface MemoryRecord {
  /** UUIDv7. */
  id: string;
  tenantId: string;
  /** Internal user id. */
  userId: string;
  kind: MemoryKind;
  type: MemoryType;
  /** Text after PII masking. */
  text: string;
  /** Hash of the normalised text, for deduplication. */
  contentHash: string;
  /** Conflict slot (`type:entity` or explicit), or null. */
  slot: string | null;
  entities: string[];
  confidence: number;
  salience: number;
  trust: TrustLevel;
  source: MemorySource;
  observedAt: string;
  validFrom: string;
  /** Null while current. */
  validTo: string | null;
  supersededBy: string | null;
  status: MemoryStatus;
  expiresAt: string | null;
  /** Which kinds of PII were masked in `text`. */
  piiFields: string[];
  metadata: Record<string, unknown>;
  /** Model id of the stored vector, or null when the memory has no vector. */
  embeddingModel: string | null;
  /** How many times the same fact was written (1 for new). */
  seenCount: number;
  lastSeenAt: string;
  createdAt: string;
  updatedAt: string;
}

/** A change to an existing memory, applied within a write commit. */
export interface MemoryPatch {
  id: string;
  set: Partial<
    Pick<
      MemoryRecord,
      | 'validTo'
      | 'supersededBy'
      | 'status'
      | 'confidence'
      | 'salience'
      | 'seenCount'
      | 'lastSeenAt'
      | 'updatedAt'
      | 'expiresAt'
      | 'metadata'
    >
  >;
}

/** The remembered result of an idempotent request. */
export interface IdempotencyRecord {
  tenantId: string;
  key: string;
  userId: string;
  /** Hash of the request, to reject the same key reused with another body. */
  requestHash: string;
  result: unknown;
  createdAt: string;
}

/** An audit entry before the ledger seals it. Payloads hold ids, counts and hashes, never PII. */
export interface AuditDraft {
  op: string;
  /** Key id or `system`. */
  actor: string;
  /** Affected subject: user id, key id, ... */
  subject: string | null;
  payload: Record<string, unknown>;
}

/** A sealed, hash-chained audit entry. */
export interface AuditEntry extends AuditDraft {
  tenantId: string;
  /** Gapless per tenant, starting at 1. */
  seq: number;
  ts: string;
  prevHash: string;
  hash: string;
  mac: string;
  /** Id of the audit key that computed `mac`, so keys can rotate. */
  keyId: string;
}
