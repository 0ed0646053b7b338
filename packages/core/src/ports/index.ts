export type { Lifecycle } from './lifecycle.js';
export type {
  WarmStore,
  WarmStoreCapabilities,
  MemoryQuery,
  WriteCommit,
  UserTransfer,
  UserTransferResult,
  TenantStatsRecord,
  ExpiredMemoryRef,
} from './warm-store.js';
export type { HotStore, HotStoreCapabilities, WorkingSet } from './hot-store.js';
export type {
  SemanticIndex,
  SemanticIndexCapabilities,
  IndexEntry,
  IndexFilter,
  IndexHit,
  ScannedEntry,
  ScanCursor,
  EmbeddingModel,
  EmbeddingModelState,
  RetiringModel,
} from './semantic-index.js';
export type { Bus, BusCapabilities, BusEvent } from './bus.js';
export type { AuditLog, AuditLogCapabilities, AuditLink, AuditSeal } from './audit-log.js';
export { GENESIS_HASH } from './audit-log.js';
export type { Embedder, EmbedderResolver, EmbedOptions } from './embedder.js';
export type {
  StateStore,
  StateStoreCapabilities,
  StateRecord,
  StateChange,
  StateSchemaEntry,
  StateWrite,
  StateDeletion,
  StateRefusal,
} from './state-store.js';
export type { Leases, LeasesCapabilities } from './leases.js';
export type { RateLimiter, RateLimitOptions, RateLimitResult } from './rate-limiter.js';
export type {
  AccountRecord,
  AccountRole,
  AccountStore,
  AccountStoreCapabilities,
} from './account-store.js';
export type {
  UsageBucket,
  UsageCounts,
  UsageStore,
  UsageStoreCapabilities,
} from './usage-store.js';

import type { AccountStore } from './account-store.js';
import type { AuditLog } from './audit-log.js';
import type { Bus } from './bus.js';
import type { HotStore } from './hot-store.js';
import type { Leases } from './leases.js';
import type { SemanticIndex } from './semantic-index.js';
import type { StateStore } from './state-store.js';
import type { UsageStore } from './usage-store.js';
import type { WarmStore } from './warm-store.js';

/** A full set of stores, as an adapter factory returns it. */
export interface Stores {
  warm: WarmStore;
  hot: HotStore;
  semantic: SemanticIndex;
  bus: Bus;
  audit: AuditLog;
  /** Shared state values, their history and schemas. */
  state: StateStore;
  /** Named locks with a time limit: who runs the maintenance sweep. */
  leases: Leases;
  /** Accounts of the web console. */
  accounts: AccountStore;
  /** Hourly read and write counts per tenant, for the console's overview. */
  usage: UsageStore;
}
