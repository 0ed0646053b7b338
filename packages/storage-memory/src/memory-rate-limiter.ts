import {
  checkCost,
  gcraDecide,
  gcraPolicy,
  type RateLimitOptions,
  type RateLimiter,
} from '@memnex/core';

/** Options of {@link createMemoryRateLimiter}. */
export interface MemoryRateLimiterOptions extends RateLimitOptions {
  /** Clock in milliseconds since the epoch; defaults to `Date.now`. Inject one in tests. */
  now?: () => number;
}

/** How many calls pass between two sweeps of keys whose allowance is full again. */
const SWEEP_EVERY = 1024;

/**
 * A {@link RateLimiter} in process memory, with the same algorithm (GCRA) and results as the Redis
 * one. Limits are per process: use it for tests and single-instance deployments.
 */
export function createMemoryRateLimiter(options: MemoryRateLimiterOptions): RateLimiter {
  const policy = gcraPolicy(options);
  const now = options.now ?? Date.now;
  /** Theoretical arrival time (µs) per key; a key whose time has passed is as good as absent. */
  const arrivals = new Map<string, number>();
  let calls = 0;

  function sweep(nowMicros: number): void {
    for (const [key, tat] of arrivals) if (tat <= nowMicros) arrivals.delete(key);
  }

  return {
    async init() {},
    async close() {},

    async consume(key, cost = 1) {
      checkCost(policy, cost);
      const nowMicros = Math.round(now() * 1000);
      calls += 1;
      if (calls % SWEEP_EVERY === 0) sweep(nowMicros);
      const { result, tat } = gcraDecide(policy, arrivals.get(key) ?? null, nowMicros, cost);
      if (result.allowed && cost > 0) arrivals.set(key, tat);
      return result;
    },
  };
}
