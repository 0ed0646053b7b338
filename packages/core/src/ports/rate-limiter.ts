import type { Lifecycle } from './lifecycle.js';

/** The outcome of one {@link RateLimiter.consume}. */
export interface RateLimitResult {
  /** Whether the request may proceed; a denied request consumes nothing. */
  allowed: boolean;
  /** Points still available right now, after this request when it was allowed. */
  remaining: number;
  /**
   * When allowed: milliseconds until every point is available again (`remaining === limit`), for
   * a `RateLimit-Reset`-style header. When denied: milliseconds until this request would be
   * allowed, for `Retry-After`.
   */
  resetMs: number;
  /** Points per window: the burst a key may spend at once. */
  limit: number;
}

/** A per-key rate limit of `points` per `durationSeconds`. */
export interface RateLimiter extends Lifecycle {
  /**
   * Take `cost` points (an integer from 0 to `limit`; 0 only reads the state) from `key`'s
   * allowance, atomically. Fails with `VALIDATION_FAILED` for an impossible cost.
   */
  consume(key: string, cost?: number): Promise<RateLimitResult>;
}

/** A limit: the options every rate limiter factory takes. */
export interface RateLimitOptions {
  /** Points per window, and the largest burst; a positive integer. */
  points: number;
  /** Window length in seconds; points are restored evenly over it. */
  durationSeconds: number;
}
