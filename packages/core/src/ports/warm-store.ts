import type {
  ApiKeyRecord,
  IdempotencyRecord,
  IdentifierNamespace,
  IdentifierRecord,
  MemoryPatch,
  MemoryRecord,
  TenantRecord,
  UserRecord,
} from '../model.js';
import type { MemoryKind, MemoryStatus, MemoryType } from '../wire/common.js';
import type { Lifecycle } from './lifecycle.js';

/** What a warm store can do beyond the required contract. */
export interface WarmStoreCapabilities {
  /** Commits survive a process restart. */
  durable: boolean;
  /** Several processes may share the store safely. */
  shared: boolean;
}

/**
 * Filter for {@link WarmStore.listMemories}. Every condition narrows the result; an empty list
 * filter matches nothing.
 */
export interface MemoryQuery {
  tenantId: string;
  userId: string;
  /** `current`: status `active` and no `validTo` (the default); `all`: with history. */
  scope?: 'current' | 'all';
  /** Memories current at this instant (`validFrom <= asOf < validTo`), overriding `scope`. */
  asOf?: string;
  statuses?: MemoryStatus[];
  types?: MemoryType[];
  kinds?: MemoryKind[];
  slots?: string[];
  contentHashes?: string[];
  /** Any of these entities. */
  entities?: string[];
  /** Any of these source message ids. */
  messageIds?: string[];
  /** `observedAt >= since`. */
  since?: string;
  /** `observedAt < until`. */
  until?: string;
  /** Most recent first (`observedAt`, then id) when `desc`; default `asc`. */
  order?: 'asc' | 'desc';
  limit?: number;
}

/** One atomic change to a user's memories, produced by the engine's write path. */
export interface WriteCommit {
  tenantId: string;
  userId: string;
  /** The commit fails with `CONFLICT` unless the user's version still equals this. */
  expectedVersion: number;
  insert: MemoryRecord[];
  update: MemoryPatch[];
  /** Remembered result for an idempotency key; stored in the same transaction. */
  idempotency?: IdempotencyRecord;
  /** Time of the commit. */
  at: string;
}

/**
 * Moves data from one user to another in one atomic step: the storage side of merging two
 * users and of undoing a merge.
 */
export interface UserTransfer {
  tenantId: string;
  fromUserId: string;
  toUserId: string;
  /** Memories of `fromUserId` to move; `all` moves every one. Ids it does not own are skipped. */
  memoryIds: string[] | 'all';
  /** Identifiers of `fromUserId` to move; `all` moves every one. Others are skipped. */
  identifiers: Array<{ namespace: IdentifierNamespace; value: string }> | 'all';
  /** Patches applied after the move, to memories of either user. */
  update: MemoryPatch[];
  /** The new `mergedInto` of one of the two users (set by a merge, cleared by an unmerge). */
  alias: { userId: string; mergedInto: string | null };
  at: string;
}

/** What a tenant holds, as counted by {@link WarmStore.tenantStats}. */
export interface TenantStatsRecord {
  /** People: users that are not aliases of another (merged) user. */
  users: number;
  memories: {
    /** Current memories (status `active`, no `validTo`). */
    current: number;
    byKind: Record<string, number>;
    byType: Record<string, number>;
    /** By source channel; `unknown` when a write named none. */
    byChannel: Record<string, number>;
  };
  /** Earliest and latest `observedAt` of the current memories; null when there are none. */
  oldest: string | null;
  newest: string | null;
}

/** A memory whose time to live has passed, as {@link WarmStore.listExpiredMemories} finds it. */
export interface ExpiredMemoryRef {
  tenantId: string;
  userId: string;
  id: string;
  status: MemoryStatus;
  expiresAt: string;
}

/** What a {@link UserTransfer} moved, and both users' new versions. */
export interface UserTransferResult {
  memoryIds: string[];
  identifiers: IdentifierRecord[];
  /** New version by internal user id (each increased by one). */
  versions: Record<string, number>;
}

/**
 * Durable store of tenants, keys, users, identifiers, memories with history and idempotency
 * records. Every method is scoped by `tenantId`, except the key lookup used to authenticate.
 */
export interface WarmStore extends Lifecycle {
  readonly capabilities: WarmStoreCapabilities;

  /** Create a tenant; `CONFLICT` when the id exists. */
  createTenant(options: { tenant: TenantRecord }): Promise<void>;
  getTenant(options: { tenantId: string }): Promise<TenantRecord | null>;
  updateTenant(options: {
    tenantId: string;
    set: Partial<Pick<TenantRecord, 'name' | 'disabled' | 'settings'>>;
  }): Promise<TenantRecord | null>;

  /** Store a key; `CONFLICT` when the key id exists. */
  createApiKey(options: { tenantId: string; key: ApiKeyRecord }): Promise<void>;
  /** Look a key up by its public id, across tenants: the only unscoped read, used for auth. */
  findApiKey(options: { keyId: string }): Promise<ApiKeyRecord | null>;
  listApiKeys(options: { tenantId: string }): Promise<ApiKeyRecord[]>;
  /** Mark revoked; returns the updated key or null when it does not exist in the tenant. */
  revokeApiKey(options: {
    tenantId: string;
    keyId: string;
    at: string;
  }): Promise<ApiKeyRecord | null>;
  touchApiKey(options: { tenantId: string; keyId: string; at: string }): Promise<void>;

  /** The user with this external id, or null. */
  getUser(options: { tenantId: string; externalId: string }): Promise<UserRecord | null>;
  getUserById(options: { tenantId: string; userId: string }): Promise<UserRecord | null>;
  /** Return the user, creating it (version 0) when absent; safe under concurrency. */
  ensureUser(options: { tenantId: string; user: UserRecord }): Promise<UserRecord>;
  /**
   * Delete the user row; its memories, identifiers and idempotency records go with it, and so do
   * the rows of users merged into it (their `mergedInto` names it).
   */
  deleteUser(options: { tenantId: string; userId: string }): Promise<{
    memories: number;
    identifiers: number;
    idempotencyRecords: number;
  }>;
  /** Counts of the tenant's users and current memories (status `active`, no `validTo`). */
  tenantStats(options: { tenantId: string }): Promise<TenantStatsRecord>;
  /** Users of a tenant in id order, for stats and maintenance. */
  listUsers(options: { tenantId: string; afterId?: string; limit?: number }): Promise<UserRecord[]>;

  /** The user an identifier belongs to. */
  findIdentifier(options: {
    tenantId: string;
    namespace: IdentifierNamespace;
    value: string;
  }): Promise<IdentifierRecord | null>;
  /** Link; fails with `CONFLICT` when the identifier belongs to another user. Idempotent. */
  linkIdentifier(options: { tenantId: string; identifier: IdentifierRecord }): Promise<void>;
  /** Returns whether a link was removed. */
  unlinkIdentifier(options: {
    tenantId: string;
    namespace: IdentifierNamespace;
    value: string;
  }): Promise<boolean>;
  listIdentifiers(options: { tenantId: string; userId: string }): Promise<IdentifierRecord[]>;

  listMemories(query: MemoryQuery): Promise<MemoryRecord[]>;
  /** The memories of the tenant with these ids (any user); missing ids are left out. */
  getMemories(options: { tenantId: string; ids: string[] }): Promise<MemoryRecord[]>;
  /**
   * Apply a write atomically and return the user's new version (expected + 1). Fails, changing
   * nothing, with `CONFLICT` and `details.currentVersion` when the version moved; `CONFLICT` for
   * a reused idempotency key or an existing memory id; `NOT_FOUND` for an unknown user or a patch
   * of a memory the user does not own.
   */
  commitWrite(commit: WriteCommit): Promise<{ version: number }>;
  /** Delete some memories of a user (by id), bumping the user's version; returns how many. */
  deleteMemories(options: {
    tenantId: string;
    userId: string;
    ids: string[];
  }): Promise<{ deleted: number; version: number }>;

  /**
   * Apply a {@link UserTransfer} atomically, increasing both users' versions. `NOT_FOUND`, changing
   * nothing, when either user is missing or a patch names a memory neither user owns afterwards.
   */
  transferUserData(transfer: UserTransfer): Promise<UserTransferResult>;

  getIdempotency(options: { tenantId: string; key: string }): Promise<IdempotencyRecord | null>;

  /**
   * Memories of every tenant whose `expiresAt` is at or before `before`, earliest first (then by
   * tenant and id), at most `limit`; only those with one of `statuses` when it is given. The
   * retention sweep's read across tenants: it returns references, never text.
   */
  listExpiredMemories(options: {
    before: string;
    statuses?: MemoryStatus[];
    limit: number;
  }): Promise<ExpiredMemoryRef[]>;
}
