import {
  checkCost,
  decision,
  gcraPolicy,
  silentLogger,
  type Logger,
  type RateLimitOptions,
  type RateLimiter,
} from '@memnex/core';
import { defineScript, runScript } from './lua-script.js';
import type { RedisConnectionOption } from './redis-connection.js';
import { createRedisLifecycle } from './redis-lifecycle.js';

/** Options of {@link createRedisRateLimiter}. */
export interface RedisRateLimiterOptions extends RateLimitOptions {
  /**
   * A `redis://` URL (the limiter opens and closes the connection) or an ioredis client (used,
   * never closed, by the limiter).
   */
  redis: RedisConnectionOption;
  /** Prefix of every limiter key. Defaults to `memnex:ratelimit:`. */
  keyPrefix?: string;
  /**
   * Clock in milliseconds since the epoch, for tests. By default the Redis server's clock is
   * used, so instances whose clocks disagree still share one limit.
   */
  now?: () => number;
  /** Receives connection errors; silent by default. */
  logger?: Logger;
}

/**
 * GCRA in one atomic step, mirroring `gcraDecide`. The key holds the theoretical arrival time in
 * microseconds and expires when the allowance is full again, so idle keys cost nothing.
 * KEYS: limiter key. ARGV: interval µs, period µs, cost, now µs ('' for the server clock).
 * Returns {allowed (0/1), remaining, reset µs}.
 */
const CONSUME = defineScript(`
local interval = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local now
if ARGV[4] == '' then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000000 + tonumber(time[2])
else
  now = tonumber(ARGV[4])
end
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local backlog = tat - now
local after = backlog + cost * interval
if after > period then
  return {0, math.floor((period - backlog) / interval), after - period}
end
if cost > 0 then
  redis.call('SET', KEYS[1], string.format('%.0f', now + after), 'PX', math.ceil(after / 1000))
end
return {1, math.floor((period - after) / interval), after}
`);

/**
 * A {@link RateLimiter} shared by every instance on the same Redis: the generic cell rate
 * algorithm (GCRA) run as one Lua script per request, with one small key per limited key.
 */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const policy = gcraPolicy(options);
  const prefix = options.keyPrefix ?? 'memnex:ratelimit:';
  const lifecycle = createRedisLifecycle({
    redis: options.redis,
    name: 'redis rate limiter',
    logger: options.logger ?? silentLogger,
  });

  return {
    init: lifecycle.init,
    close: lifecycle.close,

    async consume(key, cost = 1) {
      checkCost(policy, cost);
      const now = options.now ? String(Math.round(options.now() * 1000)) : '';
      const reply = await lifecycle.run('consume', (client) =>
        runScript(
          client,
          CONSUME,
          [`${prefix}${key}`],
          [policy.intervalMicros, policy.periodMicros, cost, now],
        ),
      );
      const [allowed, remaining, resetMicros] = reply as [number, number, number];
      return decision(allowed === 1, remaining, resetMicros, policy.limit);
    },
  };
}
