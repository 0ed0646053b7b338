import { expectMemnexError, randomHex } from '@memnex/storage-conformance';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMemoryRateLimiter } from './memory-rate-limiter.js';
import type { RateLimitOptions, RateLimiter } from './rate-limiter.js';
import { createRedisRateLimiter } from './redis-rate-limiter.js';
import {
  CLOSED_REDIS_URL,
  TEST_REDIS_URL,
  createTestClient,
  deleteKeysUnder,
  describeWithRedis,
  pollUntil,
  uniquePrefix,
} from './redis-test-support.js';

/** Creates a limiter that reads the given clock (ms). */
type LimiterFactory = (limit: RateLimitOptions, now: () => number) => RateLimiter;

/** The behaviour both limiters share, on a clock the test moves by hand. */
function describeRateLimiter(name: string, create: LimiterFactory): void {
  describe(`${name} rate limiter`, () => {
    let now = 1_750_000_000_000;
    const opened: RateLimiter[] = [];
    const open = async (limit: RateLimitOptions) => {
      const limiter = create(limit, () => now);
      opened.push(limiter);
      await limiter.init();
      return limiter;
    };
    const key = () => `k-${randomHex(6)}`;
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((limiter) => limiter.close()));
    });

    it('allows up to the limit, then blocks with the time until a point is back', async () => {
      const limiter = await open({ points: 3, durationSeconds: 1 });
      const id = key();
      const results = [];
      for (let index = 0; index < 4; index += 1) results.push(await limiter.consume(id));
      expect(results.map((result) => [result.allowed, result.remaining])).toEqual([
        [true, 2],
        [true, 1],
        [true, 0],
        [false, 0],
      ]);
      expect(results[2]).toMatchObject({ limit: 3, resetMs: 1000 });
      expect(results[3]).toMatchObject({ limit: 3, resetMs: 334 });
    });

    it('is full again once the window has passed', async () => {
      const limiter = await open({ points: 2, durationSeconds: 1 });
      const id = key();
      await limiter.consume(id);
      await limiter.consume(id);
      expect((await limiter.consume(id)).allowed).toBe(false);
      now += 1000;
      expect(await limiter.consume(id)).toEqual({
        allowed: true,
        remaining: 1,
        resetMs: 500,
        limit: 2,
      });
    });

    it('restores points evenly over the window', async () => {
      const limiter = await open({ points: 10, durationSeconds: 10 });
      const id = key();
      expect((await limiter.consume(id, 10)).remaining).toBe(0);
      now += 3000;
      expect(await limiter.consume(id, 0)).toMatchObject({ allowed: true, remaining: 3 });
      expect((await limiter.consume(id, 4)).allowed).toBe(false);
      expect((await limiter.consume(id, 3)).allowed).toBe(true);
    });

    it('does not count a denied request', async () => {
      const limiter = await open({ points: 1, durationSeconds: 2 });
      const id = key();
      await limiter.consume(id);
      for (let index = 0; index < 5; index += 1)
        expect((await limiter.consume(id)).allowed).toBe(false);
      now += 2000;
      expect((await limiter.consume(id)).allowed).toBe(true);
    });

    it('keeps keys apart', async () => {
      const limiter = await open({ points: 1, durationSeconds: 60 });
      const [first, second] = [key(), key()];
      expect((await limiter.consume(first)).allowed).toBe(true);
      expect((await limiter.consume(first)).allowed).toBe(false);
      expect((await limiter.consume(second)).allowed).toBe(true);
    });

    it('rejects a cost that could never be allowed', async () => {
      const limiter = await open({ points: 5, durationSeconds: 1 });
      await expectMemnexError(limiter.consume(key(), 6), 'VALIDATION_FAILED');
      await expectMemnexError(limiter.consume(key(), -1), 'VALIDATION_FAILED');
      await expectMemnexError(limiter.consume(key(), 1.5), 'VALIDATION_FAILED');
    });

    it('rejects an impossible limit when created', () => {
      expect(() => create({ points: 0, durationSeconds: 1 }, () => now)).toThrow(/points/);
      expect(() => create({ points: 1, durationSeconds: 0 }, () => now)).toThrow(/duration/);
    });
  });
}

describeRateLimiter('memory', (limit, now) => createMemoryRateLimiter({ ...limit, now }));

describeWithRedis('redis rate limiter', () => {
  const keyPrefix = uniquePrefix('ratelimit');
  afterAll(() => deleteKeysUnder(keyPrefix));

  describeRateLimiter('redis', (limit, now) =>
    createRedisRateLimiter({ ...limit, now, redis: TEST_REDIS_URL, keyPrefix }),
  );

  it('uses the server clock by default and stores one expiring key per limited key', async () => {
    const raw = createTestClient();
    const limiter = createRedisRateLimiter({
      redis: raw,
      keyPrefix,
      points: 2,
      durationSeconds: 1,
    });
    try {
      await limiter.init();
      const id = `clock-${randomHex(6)}`;
      expect((await limiter.consume(id)).allowed).toBe(true);
      expect((await limiter.consume(id)).allowed).toBe(true);
      const denied = await limiter.consume(id);
      expect(denied.allowed).toBe(false);
      expect(denied.resetMs).toBeGreaterThan(0);
      expect(denied.resetMs).toBeLessThanOrEqual(500);
      const ttl = await raw.pttl(`${keyPrefix}${id}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(1000);
      await pollUntil(
        async () => (await limiter.consume(id)).allowed,
        'a point to come back',
        3000,
      );
    } finally {
      await limiter.close();
      raw.disconnect();
    }
  });
});

describe('redis rate limiter without Redis', () => {
  it('fails with STORAGE_UNAVAILABLE', async () => {
    const limiter = createRedisRateLimiter({
      redis: CLOSED_REDIS_URL,
      points: 1,
      durationSeconds: 1,
    });
    try {
      const error = await expectMemnexError(limiter.consume('k'), 'STORAGE_UNAVAILABLE');
      expect(error.cause).toBeInstanceOf(Error);
    } finally {
      await limiter.close();
    }
  });
});
