import type {
  AccountRole,
  EmbeddingModel,
  IdentifierNamespace,
  RetiringModel,
  TenantSettings,
} from '@memnex/core';
import type { Channel, MemoryKind, MemoryStatus, MemoryType, TrustLevel } from '@memnex/core/wire';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  foreignKey,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * An id, compared byte by byte (`COLLATE "C"`): ids sort the same way in every database as in
 * Memnex itself, whatever the server's default collation, and prefix scans can use the index.
 */
const id = customType<{ data: string; driverData: string }>({
  dataType: () => 'text COLLATE "C"',
});

/**
 * An instant, stored as `timestamptz` and exchanged as an ISO-8601 UTC string with milliseconds
 * (`2025-01-01T00:00:00.000Z`), the form every Memnex record uses.
 */
const instant = customType<{ data: string; driverData: string }>({
  dataType: () => 'timestamp with time zone',
  fromDriver: (value) => new Date(value).toISOString(),
});

/** Raw bytes: vectors as little-endian float32 when pgvector is not installed. */
const bytes = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => new Uint8Array(value),
});

/** A text-search document; only written by Postgres (generated column) and never read back. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** A tenant. Its `id` is the tenant id every other table carries. */
export const tenants = pgTable('tenants', {
  id: id('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: instant('created_at').notNull(),
  disabled: boolean('disabled').notNull().default(false),
  settings: jsonb('settings').$type<TenantSettings>().notNull().default({}),
});

/**
 * API keys. Key ids are unique across tenants as well: authentication looks a key up by id
 * before it knows the tenant.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    tenantId: id('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: id('id').notNull(),
    label: text('label').notNull(),
    secretHash: text('secret_hash').notNull(),
    scopes: text('scopes').array().notNull(),
    defaultChannel: text('default_channel').$type<Channel>(),
    pinnedUserId: text('pinned_user_id'),
    environment: text('environment').$type<'live' | 'test'>().notNull(),
    createdAt: instant('created_at').notNull(),
    lastUsedAt: instant('last_used_at'),
    revokedAt: instant('revoked_at'),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('api_keys_id_key').on(table.id),
  ],
);

/** People as known to one tenant. A merged user stays as an alias of the surviving one. */
export const users = pgTable(
  'users',
  {
    tenantId: id('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: id('id').notNull(),
    externalId: text('external_id').notNull(),
    version: bigint('version', { mode: 'number' }).notNull().default(0),
    mergedInto: id('merged_into'),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('users_tenant_external_id_key').on(table.tenantId, table.externalId),
    index('users_tenant_merged_into_idx').on(table.tenantId, table.mergedInto),
    // Deleting a user deletes the users merged into it: an alias must not outlive its target.
    foreignKey({
      name: 'users_merged_into_fk',
      columns: [table.tenantId, table.mergedInto],
      foreignColumns: [table.tenantId, table.id],
    }).onDelete('cascade'),
  ],
);

/** Channel identifiers in canonical form, each linked to one user of the tenant. */
export const identifiers = pgTable(
  'identifiers',
  {
    tenantId: id('tenant_id').notNull(),
    namespace: id('namespace').$type<IdentifierNamespace>().notNull(),
    value: id('value').notNull(),
    userId: id('user_id').notNull(),
    channel: text('channel').$type<Channel>().notNull(),
    linkedAt: instant('linked_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.namespace, table.value] }),
    index('identifiers_tenant_user_idx').on(table.tenantId, table.userId),
    foreignKey({
      name: 'identifiers_user_fk',
      columns: [table.tenantId, table.userId],
      foreignColumns: [users.tenantId, users.id],
    }).onDelete('cascade'),
  ],
);

/** Memories, current and historical: a superseded fact keeps its row with `valid_to` set. */
export const memories = pgTable(
  'memories',
  {
    tenantId: id('tenant_id').notNull(),
    id: id('id').notNull(),
    userId: id('user_id').notNull(),
    kind: text('kind').$type<MemoryKind>().notNull(),
    type: text('type').$type<MemoryType>().notNull(),
    text: text('text').notNull(),
    contentHash: text('content_hash').notNull(),
    slot: text('slot'),
    entities: text('entities').array().notNull(),
    confidence: doublePrecision('confidence').notNull(),
    salience: doublePrecision('salience').notNull(),
    trust: text('trust').$type<TrustLevel>().notNull(),
    sourceChannel: text('source_channel').$type<Channel>(),
    sourceAgentId: text('source_agent_id'),
    sourceSessionId: text('source_session_id'),
    sourceMessageIds: text('source_message_ids').array().notNull(),
    observedAt: instant('observed_at').notNull(),
    validFrom: instant('valid_from').notNull(),
    validTo: instant('valid_to'),
    supersededBy: id('superseded_by'),
    status: text('status').$type<MemoryStatus>().notNull(),
    expiresAt: instant('expires_at'),
    piiFields: text('pii_fields').array().notNull(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull(),
    embeddingModel: text('embedding_model'),
    seenCount: integer('seen_count').notNull(),
    lastSeenAt: instant('last_seen_at').notNull(),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('memories_tenant_user_observed_idx').on(
      table.tenantId,
      table.userId,
      table.observedAt,
      table.id,
    ),
    index('memories_tenant_expires_idx')
      .on(table.tenantId, table.expiresAt)
      .where(sql`${table.expiresAt} is not null`),
    // The retention sweep looks across tenants for the earliest expiries.
    index('memories_expires_idx')
      .on(table.expiresAt)
      .where(sql`${table.expiresAt} is not null`),
    foreignKey({
      name: 'memories_user_fk',
      columns: [table.tenantId, table.userId],
      foreignColumns: [users.tenantId, users.id],
    }).onDelete('cascade'),
  ],
);

/** Remembered results of idempotent writes, deleted with their user. */
export const idempotencyRecords = pgTable(
  'idempotency_records',
  {
    tenantId: id('tenant_id').notNull(),
    key: text('key').notNull(),
    userId: id('user_id').notNull(),
    requestHash: text('request_hash').notNull(),
    result: jsonb('result').notNull(),
    createdAt: instant('created_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.key] }),
    index('idempotency_records_tenant_user_idx').on(table.tenantId, table.userId),
    foreignKey({
      name: 'idempotency_records_user_fk',
      columns: [table.tenantId, table.userId],
      foreignColumns: [users.tenantId, users.id],
    }).onDelete('cascade'),
  ],
);

/**
 * Shared state: one JSON value per key, versioned per key. A deleted key keeps its row as a
 * tombstone (`deleted`, no value) holding the version, so versions never repeat. State belongs to
 * the tenant id it is written under; it does not reference `tenants` (a tenant's state goes with
 * `StateStore.dropTenant`).
 */
export const stateValues = pgTable(
  'state_values',
  {
    tenantId: id('tenant_id').notNull(),
    key: id('key').notNull(),
    /** The value; null for a tombstone. */
    value: jsonb('value'),
    version: bigint('version', { mode: 'number' }).notNull(),
    deleted: boolean('deleted').notNull().default(false),
    updatedAt: instant('updated_at').notNull(),
    /** Id of the API key (or `system`) that made the last change. */
    updatedBy: text('updated_by').notNull(),
    expiresAt: instant('expires_at'),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.key] }),
    // What the expiry sweep looks for, across tenants.
    index('state_values_expires_idx')
      .on(table.expiresAt)
      .where(sql`${table.expiresAt} is not null and not ${table.deleted}`),
  ],
);

/** The recent changes of every state key, for subscribers to replay. */
export const stateChanges = pgTable(
  'state_changes',
  {
    tenantId: id('tenant_id').notNull(),
    key: id('key').notNull(),
    version: bigint('version', { mode: 'number' }).notNull(),
    kind: text('kind').$type<'value' | 'delete'>().notNull(),
    /** The value written; null for a deletion. */
    value: jsonb('value'),
    updatedAt: instant('updated_at').notNull(),
    updatedBy: text('updated_by').notNull(),
    expiresAt: instant('expires_at'),
    /** For a deletion: `deleted` or `expired`. */
    reason: text('reason').$type<'deleted' | 'expired'>(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.key, table.version] }),
    // What trimming by age looks for, across tenants.
    index('state_changes_updated_at_idx').on(table.updatedAt),
  ],
);

/** JSON Schemas for state keys, registered for an exact key or a glob. */
export const stateSchemas = pgTable(
  'state_schemas',
  {
    tenantId: id('tenant_id').notNull(),
    /** An exact key, or a glob such as `plan:*`. */
    pattern: id('pattern').notNull(),
    schema: jsonb('schema').notNull(),
    updatedAt: instant('updated_at').notNull(),
    updatedBy: text('updated_by').notNull(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.pattern] })],
);

/**
 * The revision of a tenant's state schemas, + 1 on every schema change. A state write holds
 * this row with `FOR SHARE` while it checks the revision it was validated against, so a schema
 * change (which updates the row) waits for writes in flight, and writes after it see the new
 * revision.
 */
export const stateSchemaRevisions = pgTable('state_schema_revisions', {
  tenantId: id('tenant_id').primaryKey(),
  revision: bigint('revision', { mode: 'number' }).notNull(),
});

/**
 * The audit ledger: gapless `seq` per tenant, each entry chained to the one before. `ts` and
 * `payload` keep the exact text that was sealed (`json`, unlike `jsonb`, keeps key order and
 * every escape), so an entry reads back as it was hashed.
 */
export const auditEntries = pgTable(
  'audit_entries',
  {
    tenantId: id('tenant_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    ts: text('ts').notNull(),
    op: text('op').notNull(),
    actor: text('actor').notNull(),
    subject: text('subject'),
    payload: json('payload').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    mac: text('mac').notNull(),
    keyId: text('key_id').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.seq] }),
    index('audit_entries_tenant_op_seq_idx').on(table.tenantId, table.op, table.seq),
  ],
);

/**
 * The semantic index: one searchable entry per memory. Kept apart from `memories` because it is
 * a separate port (it may live in Qdrant instead), holds index-only data (`context`), and can
 * be dropped and rebuilt from the memories at any time. The weighted text-search document is a
 * generated column; the pgvector `embedding` column is added by a migration only where the
 * extension exists.
 */
export const memoryIndex = pgTable(
  'memory_index',
  {
    tenantId: id('tenant_id').notNull(),
    memoryId: id('memory_id').notNull(),
    userId: id('user_id').notNull(),
    text: text('text').notNull(),
    context: text('context'),
    type: text('type').$type<MemoryType>().notNull(),
    kind: text('kind').$type<MemoryKind>().notNull(),
    current: boolean('current').notNull(),
    observedAt: instant('observed_at').notNull(),
    /**
     * `model`, `vector` and `dimensions` are no longer written: vectors live in `memory_vectors`,
     * one per model. They stay so that instances of the previous release can still write during a
     * rolling upgrade.
     */
    model: text('model'),
    vector: bytes('vector'),
    dimensions: integer('dimensions'),
    document: tsvector('document')
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('english'::regconfig, "text"), 'A') || setweight(to_tsvector('english'::regconfig, coalesce("context", '')), 'B')`,
      ),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.memoryId] }),
    index('memory_index_tenant_user_model_idx').on(table.tenantId, table.userId, table.model),
    index('memory_index_document_idx').using('gin', table.document),
  ],
);

/**
 * Leases: which process holds a named, time-limited lock (the maintenance sweep's leader).
 * Not tenant data: a lease names a job, never a tenant's rows. Expiry uses the database clock,
 * so instances with skewed clocks agree on who holds it.
 */
export const leases = pgTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: instant('expires_at').notNull(),
});

// The web console: its accounts, and the hourly activity counts of its overview.

/**
 * Console accounts. E-mails are unique across tenants (signing in starts from one), and, like the
 * state tables, accounts do not reference `tenants`.
 */
export const accounts = pgTable(
  'accounts',
  {
    tenantId: id('tenant_id').notNull(),
    id: id('id').notNull(),
    /** Trimmed and lower-cased. */
    email: text('email').notNull(),
    /** PHC string of a slow, salted hash; never the password. */
    passwordHash: text('password_hash').notNull(),
    role: text('role').$type<AccountRole>().notNull(),
    createdAt: instant('created_at').notNull(),
    lastLoginAt: instant('last_login_at'),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('accounts_id_key').on(table.id),
    uniqueIndex('accounts_email_key').on(table.email),
  ],
);

/** Reads, writes and cache lookups per tenant and hour, added to by every instance. */
export const usageCounts = pgTable(
  'usage_counts',
  {
    tenantId: id('tenant_id').notNull(),
    /** Start of the hour. */
    hour: instant('hour').notNull(),
    reads: bigint('reads', { mode: 'number' }).notNull().default(0),
    writes: bigint('writes', { mode: 'number' }).notNull().default(0),
    cacheHits: bigint('cache_hits', { mode: 'number' }).notNull().default(0),
    cacheMisses: bigint('cache_misses', { mode: 'number' }).notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.hour] })],
);

// Re-embedding: vectors of several embedding models per memory, and the models the index serves.

/**
 * The vectors of the semantic index, one per memory and embedding model: while a re-embed fills
 * in a new model, a memory has vectors of both. A vector goes with its index entry. The pgvector
 * `embedding` column is added by a migration only where the extension exists.
 */
export const memoryVectors = pgTable(
  'memory_vectors',
  {
    tenantId: id('tenant_id').notNull(),
    memoryId: id('memory_id').notNull(),
    model: text('model').notNull(),
    dimensions: integer('dimensions').notNull(),
    /** The vector as little-endian float32, read when pgvector is not installed. */
    vector: bytes('vector').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.memoryId, table.model] }),
    foreignKey({
      name: 'memory_vectors_entry_fk',
      columns: [table.tenantId, table.memoryId],
      foreignColumns: [memoryIndex.tenantId, memoryIndex.memoryId],
    }).onDelete('cascade'),
  ],
);

/**
 * Which embedding models the semantic index serves, in one row (`id` 1) shared by every instance:
 * searches use `active`; writes add vectors of `target` while a re-embed fills it in, and of
 * `previous` until its `until`. `revision` grows by one with every change. Not tenant data.
 */
export const embeddingModels = pgTable('embedding_models', {
  id: integer('id').primaryKey(),
  active: jsonb('active').$type<EmbeddingModel>().notNull(),
  target: jsonb('target').$type<EmbeddingModel>(),
  previous: jsonb('previous').$type<RetiringModel>(),
  revision: bigint('revision', { mode: 'number' }).notNull(),
  updatedAt: instant('updated_at').notNull(),
});
