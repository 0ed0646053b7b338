import { MemnexError } from '../errors.js';
import type { RateLimitOptions, RateLimitResult } from '../ports/rate-limiter.js';

/**
 * A limit as the generic cell rate algorithm (GCRA) sees it, in integer microseconds so that the
 * arithmetic is exact (well below 2^53) in both JavaScript and Redis Lua.
 */
export interface GcraPolicy {
  /** Time that restores one point. */
  intervalMicros: number;
  /** Time that restores the whole allowance: `intervalMicros * limit`. */
  periodMicros: number;
  /** Points per window. */
  limit: number;
}

/** Validate a limit and derive its policy. */
export function gcraPolicy({ points, durationSeconds }: RateLimitOptions): GcraPolicy {
  if (!Number.isSafeInteger(points) || points < 1) {
    throw invalid(`rate limit points must be a positive integer, got ${points}`);
  }
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) {
    throw invalid(`rate limit durationSeconds must be positive, got ${durationSeconds}`);
  }
  // Rounded down, so the burst is exactly `points` and the long-run rate at most 1 ppm above it.
  const intervalMicros = Math.floor((durationSeconds * 1_000_000) / points);
  if (intervalMicros < 1) {
    throw invalid('rate limit too fine: at most one point per microsecond');
  }
  return { intervalMicros, periodMicros: intervalMicros * points, limit: points };
}

/** Validate the cost of one request against a policy. */
export function checkCost(policy: GcraPolicy, cost: number): void {
  if (!Number.isSafeInteger(cost) || cost < 0 || cost > policy.limit) {
    throw invalid(`rate limit cost must be an integer from 0 to ${policy.limit}, got ${cost}`);
  }
}

/** A decision and the theoretical arrival time to store (unchanged when nothing was consumed). */
export interface GcraDecision {
  result: RateLimitResult;
  /** Theoretical arrival time in microseconds after the decision. */
  tat: number;
}

/**
 * One GCRA step. `tat` (theoretical arrival time) is when the key's allowance would be full
 * again; a request of `cost` fits when the backlog after it, `tat + cost * interval - now`, stays
 * within one period. Mirrored line for line by the Redis limiter's Lua script.
 */
export function gcraDecide(
  policy: GcraPolicy,
  storedTat: number | null,
  nowMicros: number,
  cost: number,
): GcraDecision {
  const { intervalMicros, periodMicros, limit } = policy;
  const tat = Math.max(storedTat ?? nowMicros, nowMicros);
  const backlog = tat - nowMicros;
  const after = backlog + cost * intervalMicros;
  if (after > periodMicros) {
    const remaining = Math.floor((periodMicros - backlog) / intervalMicros);
    return { result: decision(false, remaining, after - periodMicros, limit), tat };
  }
  const remaining = Math.floor((periodMicros - after) / intervalMicros);
  return { result: decision(true, remaining, after, limit), tat: nowMicros + after };
}

/** A result from microsecond quantities. */
export function decision(
  allowed: boolean,
  remaining: number,
  resetMicros: number,
  limit: number,
): RateLimitResult {
  return { allowed, remaining, resetMs: Math.ceil(resetMicros / 1000), limit };
}

function invalid(message: string): MemnexError {
  return new MemnexError({ code: 'VALIDATION_FAILED', message });
}
