import type { Logger } from '../logger.js';
import type { UsageBucket, UsageCounts, UsageStore } from '../ports/index.js';

const HOUR_MS = 3_600_000;
const COUNTERS = ['reads', 'writes', 'cacheHits', 'cacheMisses'] as const;

/** Settings of the usage counters. */
export interface UsageOptions {
  /** How often this instance adds what it counted to the shared store, in ms (default 10 000). */
  flushIntervalMs?: number;
  /** Hours of counts kept per tenant (default 24 × 30); older hours are deleted. */
  retentionHours?: number;
}

/** A tenant's activity per hour over a window, with the hot cache's hit ratio over it. */
export interface TenantUsage {
  tenantId: string;
  /** One bucket per hour of the window, oldest first, zeros included. */
  hours: UsageBucket[];
  /** The window's sums. */
  totals: UsageCounts;
  /** Hits over working-set lookups in the window; null when there were none. */
  cacheHitRatio: number | null;
}

/** The start of the hour that `ms` (since the epoch) falls in, in ms. */
const hourStart = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;

const zero = (): UsageCounts => ({ reads: 0, writes: 0, cacheHits: 0, cacheMisses: 0 });

/**
 * Counts reads, writes and cache lookups per tenant and hour in process, and adds them to the
 * {@link UsageStore} every few seconds. Adding is commutative, so every instance of a cluster
 * adds its own counts to the same rows and the store holds the cluster's totals. Counting costs
 * a map update; a store that is down loses nothing until it answers again (counts wait).
 */
export class UsageRecorder {
  private pending = new Map<string, Map<string, UsageCounts>>();
  /** The hour `count` last counted in, kept so that counting formats no date. */
  private hour = { start: Number.NaN, key: '' };
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  /** When each tenant's old hours were last deleted (ms). */
  private readonly pruned = new Map<string, number>();
  private readonly flushIntervalMs: number;
  private readonly retentionHours: number;

  constructor(
    private readonly store: UsageStore,
    private readonly now: () => Date,
    private readonly logger: Logger,
    options: UsageOptions = {},
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 10_000;
    this.retentionHours = options.retentionHours ?? 24 * 30;
  }

  /**
   * Count one event of the tenant, in the current hour. On every read and write: no store call,
   * no promise, and no allocation but the clock's `Date` (and a bucket once per tenant and hour).
   */
  count(tenantId: string, counter: keyof UsageCounts): void {
    const now = this.now().getTime();
    if (!(now >= this.hour.start && now < this.hour.start + HOUR_MS)) {
      const start = hourStart(now);
      this.hour = { start, key: new Date(start).toISOString() };
    }
    this.countAt(tenantId, this.hour.key, counter, 1);
  }

  /** Flush periodically from now on. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      void this.flush().catch((error: unknown) =>
        this.logger.warn('usage counts could not be stored; keeping them for later', { error }),
      );
    }, this.flushIntervalMs);
    this.timer.unref();
  }

  /** Stop flushing periodically, and store what is left (before the stores close). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush().catch((error: unknown) =>
      this.logger.warn('usage counts lost at shutdown', { error }),
    );
  }

  /** Add what was counted to the store; counts of a tenant whose add fails are kept. */
  flush(tenantId?: string): Promise<void> {
    // One flush at a time, so that counts are never added twice.
    const run = this.flushing.then(() => this.flushNow(tenantId));
    this.flushing = run.catch(() => undefined);
    return run;
  }

  /** The tenant's hours over the last `hours` hours (this one included), zeros filled in. */
  async usage(tenantId: string, hours: number): Promise<TenantUsage> {
    await this.flush(tenantId);
    const current = hourStart(this.now().getTime());
    const since = new Date(current - (hours - 1) * HOUR_MS).toISOString();
    const until = new Date(current + HOUR_MS).toISOString();
    const stored = new Map(
      (await this.store.list({ tenantId, since, until })).map((bucket) => [bucket.hour, bucket]),
    );
    const buckets: UsageBucket[] = [];
    const totals = zero();
    for (let index = hours - 1; index >= 0; index -= 1) {
      const hour = new Date(current - index * HOUR_MS).toISOString();
      const bucket = { ...zero(), ...stored.get(hour), hour };
      for (const counter of COUNTERS) totals[counter] += bucket[counter];
      buckets.push(bucket);
    }
    const lookups = totals.cacheHits + totals.cacheMisses;
    return {
      tenantId,
      hours: buckets,
      totals,
      cacheHitRatio: lookups === 0 ? null : totals.cacheHits / lookups,
    };
  }

  private async flushNow(only: string | undefined): Promise<void> {
    const tenants = only === undefined ? [...this.pending.keys()] : [only];
    const failures: unknown[] = [];
    for (const tenantId of tenants) {
      const hours = this.pending.get(tenantId);
      if (!hours || hours.size === 0) continue;
      this.pending.delete(tenantId);
      const buckets = [...hours].map(([hour, counts]) => ({ hour, ...counts }));
      try {
        await this.store.add({ tenantId, buckets });
      } catch (error) {
        // Put them back, merged with whatever was counted meanwhile.
        for (const bucket of buckets) {
          for (const counter of COUNTERS) {
            if (bucket[counter] > 0) this.countAt(tenantId, bucket.hour, counter, bucket[counter]);
          }
        }
        failures.push(error);
        continue;
      }
      await this.prune(tenantId);
    }
    if (failures.length > 0) throw failures[0];
  }

  private countAt(tenantId: string, hour: string, counter: keyof UsageCounts, amount: number) {
    let hours = this.pending.get(tenantId);
    if (!hours) {
      hours = new Map();
      this.pending.set(tenantId, hours);
    }
    let counts = hours.get(hour);
    if (!counts) {
      counts = zero();
      hours.set(hour, counts);
    }
    counts[counter] += amount;
  }

  /** Delete the tenant's hours past retention, at most once an hour per tenant and instance. */
  private async prune(tenantId: string): Promise<void> {
    const now = this.now().getTime();
    if (now - (this.pruned.get(tenantId) ?? 0) < HOUR_MS) return;
    this.pruned.set(tenantId, now);
    const before = new Date(hourStart(now) - this.retentionHours * HOUR_MS).toISOString();
    await this.store
      .prune({ tenantId, before })
      .catch((error: unknown) => this.logger.warn('old usage counts not deleted', { error }));
  }
}
