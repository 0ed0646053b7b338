import type { ApplyRetentionResult, CompactResult } from '../../wire/lifecycle.js';
import type { EngineContext } from '../context.js';
import { applyRetention, type ApplyRetentionOptions } from './apply-retention.js';
import { compact, type CompactOptions, type DecaySettings } from './compaction.js';
import { sweepRetention, type RetentionResult } from './retention.js';

export type { ApplyRetentionOptions } from './apply-retention.js';
export type { CompactOptions, DecaySettings } from './compaction.js';
export type { RetentionResult } from './retention.js';

/** Options of the memory lifecycle (`createMemnex({ lifecycle })`). */
export interface LifecycleOptions {
  /**
   * How often this instance tries to run the retention sweep, in ms (default 60000; 0 turns the
   * timer off, `memnex.lifecycle.sweep()` still works). One instance at a time sweeps: the one
   * that holds the `memnex:retention` lease.
   */
  sweepIntervalMs?: number;
  /** Seconds an expired memory stays (out of reads) before it is deleted (default 7 days). */
  graceSeconds?: number;
  /** Memories handled per store round trip by the sweep (default 500). */
  batchSize?: number;
  /** How long the sweep's lease lasts unless renewed, in ms (default 30000). */
  leaseTtlMs?: number;
  /** Salience decay of old facts seen only once, applied by compaction. */
  decay?: Partial<DecaySettings>;
}

/** What `memnex.lifecycle.sweep()` reports. */
export type SweepResult =
  ({ ran: true } & RetentionResult) | { ran: false; reason: 'another instance is sweeping' };

/** Retention and compaction of memories. */
export interface LifecycleApi {
  /**
   * Run the retention sweep now, across every tenant: expire memories whose time to live has
   * passed, delete those expired longer ago than the grace window. Does nothing, and says so,
   * while another instance holds the sweep's lease.
   */
  sweep(): Promise<SweepResult>;
  /** Merge near-duplicate facts and decay old ones, for one person or a whole tenant. */
  compact(options: CompactOptions): Promise<CompactResult>;
  /**
   * Apply the tenant's retention policy to memories already stored (a policy set or shortened
   * applies to later writes by itself): each memory of a type with a retention then expires at
   * most that long after it was written. For one person or a whole tenant; never lengthens a life.
   */
  applyRetention(options: ApplyRetentionOptions): Promise<ApplyRetentionResult>;
}

/** The lifecycle service of one engine: its API and its sweep timer. */
export interface LifecycleService {
  api: LifecycleApi;
  start(): void;
  stop(): Promise<void>;
}

/** Name of the lease the retention sweep runs under. */
export const RETENTION_LEASE = 'memnex:retention';

export function createLifecycleService(
  context: EngineContext,
  options: LifecycleOptions = {},
): LifecycleService {
  const leaseTtlMs = options.leaseTtlMs ?? 30_000;
  const intervalMs = options.sweepIntervalMs ?? 60_000;
  const graceSeconds = options.graceSeconds ?? 7 * 86_400;
  const batchSize = options.batchSize ?? 500;
  const decay: DecaySettings = { afterDays: 90, halfLifeDays: 180, floor: 0.05, ...options.decay };
  const lease = { name: RETENTION_LEASE, holder: context.instanceId, ttlMs: leaseTtlMs };
  const { leases } = context.stores;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<SweepResult> | null = null;

  const sweepOnce = async (): Promise<SweepResult> => {
    if (!(await leases.acquire(lease))) {
      return { ran: false, reason: 'another instance is sweeping' };
    }
    context.logger.debug('retention sweep started', { instanceId: context.instanceId });
    try {
      const result = await sweepRetention(context, {
        graceSeconds,
        batchSize,
        keepGoing: () => leases.acquire(lease),
      });
      if (result.expired + result.purged > 0 || !result.complete) {
        context.logger.info('retention sweep', { ...result });
      }
      return { ran: true, ...result };
    } finally {
      context.logger.debug('retention sweep finished', { instanceId: context.instanceId });
      // Free at once, so that a sweep run by hand (`memnex db vacuum`) need not wait for it.
      await leases
        .release(lease)
        .catch((error: unknown) =>
          context.logger.warn('retention lease release failed', { error }),
        );
    }
  };
  /** One sweep at a time in this instance; a second caller shares the running one. */
  const sweep = () => {
    running ??= sweepOnce().finally(() => (running = null));
    return running;
  };

  return {
    api: {
      sweep,
      compact: (input) => compact(context, input, decay),
      applyRetention: (input) => applyRetention(context, input),
    },
    start() {
      if (intervalMs <= 0 || timer) return;
      timer = setInterval(() => {
        sweep().catch((error: unknown) => context.logger.warn('retention sweep failed', { error }));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
      await leases.release(lease).catch(() => undefined);
    },
  };
}
