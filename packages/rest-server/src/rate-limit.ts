import { MemnexError, type RateLimiter } from '@memnex/core';
import type { Context } from 'hono';

/**
 * Take one point from the key's allowance; `RATE_LIMITED` (429, `Retry-After`) when it is spent.
 * Every answer carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds).
 */
export async function rateLimit(
  limiter: RateLimiter,
  keyId: string,
  context: Context,
): Promise<void> {
  const result = await limiter.consume(`key:${keyId}`);
  const resetSeconds = Math.ceil(result.resetMs / 1000);
  context.header('RateLimit-Limit', String(result.limit));
  context.header('RateLimit-Remaining', String(result.remaining));
  context.header('RateLimit-Reset', String(resetSeconds));
  if (!result.allowed) {
    throw new MemnexError({
      code: 'RATE_LIMITED',
      message: `this key made too many requests; retry in ${resetSeconds} s`,
      details: { retryAfterSeconds: Math.max(resetSeconds, 1), limit: result.limit },
    });
  }
}
