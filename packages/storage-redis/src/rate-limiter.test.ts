import {
  expectMemnexError,
  randomHex,
  runRateLimiterConformance,
} from '@memnex/storage-conformance';
import { afterAll, describe, expect, it } from 'vitest';
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

describeWithRedis('redis rate limiter', () => {
  const keyPrefix = uniquePrefix('ratelimit');
  afterAll(() => deleteKeysUnder(keyPrefix));

  runRateLimiterConformance({
    name: 'redis',
    create: (limit, now) =>
      createRedisRateLimiter({ ...limit, now, redis: TEST_REDIS_URL, keyPrefix }),
  });

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
