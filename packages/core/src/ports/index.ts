export type { Lifecycle } from './lifecycle.js';
export type {
  WarmStore,
  WarmStoreCapabilities,
  MemoryQuery,
  WriteCommit,
  UserTransfer,
  UserTransferResult,
  TenantStatsRecord,
} from './warm-store.js';
export type { HotStore, HotStoreCapabilities, WorkingSet } from './hot-store.js';
export type {
  SemanticIndex,
  SemanticIndexCapabilities,
  IndexEntry,
  IndexFilter,
  IndexHit,
} from './semantic-index.js';
export type { Bus, BusCapabilities, BusEvent } from './bus.js';
export type { AuditLog, AuditLogCapabilities, AuditLink, AuditSeal } from './audit-log.js';
export { GENESIS_HASH } from './audit-log.js';
export type { Embedder, EmbedOptions } from './embedder.js';
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
export type { RateLimiter, RateLimitOptions, RateLimitResult } from './rate-limiter.js';

import type { AuditLog } from './audit-log.js';
import type { Bus } from './bus.js';
import type { HotStore } from './hot-store.js';
import type { SemanticIndex } from './semantic-index.js';
import type { StateStore } from './state-store.js';
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
}
