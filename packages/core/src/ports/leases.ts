import type { Lifecycle } from './lifecycle.js';

/** What a lease store can do. */
export interface LeasesCapabilities {
  /** Leases hold across processes that share the store (not only within one process). */
  shared: boolean;
}

/**
 * Named, time-limited locks: at most one holder per name at any instant. The maintenance sweep
 * takes one so that, of many instances sharing storage, one sweeps at a time. A lease that is not
 * renewed lapses after its time-to-live, so a crashed holder never blocks the others for long.
 */
export interface Leases extends Lifecycle {
  readonly capabilities: LeasesCapabilities;
  /**
   * Take the lease `name` for `holder`, or renew it when `holder` already holds it, for `ttlMs`
   * from now. Returns true when `holder` holds the lease afterwards, false when another holder's
   * lease has not lapsed.
   */
  acquire(options: { name: string; holder: string; ttlMs: number }): Promise<boolean>;
  /** Give the lease up if `holder` holds it; otherwise nothing changes. */
  release(options: { name: string; holder: string }): Promise<void>;
}
