import type { Lifecycle } from './lifecycle.js';

/** What a tenant did in one hour. */
export interface UsageCounts {
  /** Memory reads (`read`), counted once the tenant is found. */
  reads: number;
  /** Memory writes (`write`), counted once the tenant is found (idempotent replays too). */
  writes: number;
  /** Reads whose working set came from the hot cache. */
  cacheHits: number;
  /** Reads whose working set had to be loaded from the warm store. */
  cacheMisses: number;
}

/** The counts of one tenant in one hour. */
export interface UsageBucket extends UsageCounts {
  /** Start of the hour, ISO-8601 UTC (`2025-01-01T10:00:00.000Z`). */
  hour: string;
}

/** What a usage store can do. */
export interface UsageStoreCapabilities {
  /** Counts survive a process restart. */
  durable: boolean;
  /** Several processes may add to the same counts. */
  shared: boolean;
}

/**
 * Hourly activity counters per tenant, added to by every engine instance and read by the
 * console's overview. Adding is commutative, so instances need no coordination.
 */
export interface UsageStore extends Lifecycle {
  readonly capabilities: UsageStoreCapabilities;
  /**
   * Add counts to the tenant's hours, atomically per hour: concurrent adds from several
   * processes all count. `hour` must be the start of an hour.
   */
  add(options: {
    tenantId: string;
    buckets: Array<{ hour: string } & Partial<UsageCounts>>;
  }): Promise<void>;
  /** The tenant's hours in `[since, until)`, oldest first; hours with nothing are left out. */
  list(options: { tenantId: string; since: string; until: string }): Promise<UsageBucket[]>;
  /** Delete the tenant's hours that start before `before`; returns how many went. */
  prune(options: { tenantId: string; before: string }): Promise<number>;
}
