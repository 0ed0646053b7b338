import type { RateLimitOptions, RateLimiter } from '@memnex/core';
import { afterEach, describe, expect, it } from 'vitest';
import { expectMemnexError } from './assertions.js';
import { randomHex } from './fixtures.js';

/** Creates a limiter that reads the given clock (ms). */
export type LimiterFactory = (limit: RateLimitOptions, now: () => number) => RateLimiter;

/** Options of {@link runRateLimiterConformance}. */
export interface RateLimiterConformanceOptions {
  name: string;
  /** A limiter with this limit that reads the given clock (milliseconds since the epoch). */
  create: LimiterFactory;
}

/**
 * Register the RateLimiter conformance suite: GCRA results every limiter gives alike, on a clock
 * the test moves by hand. Call it at the top of a test file.
 */
export function runRateLimiterConformance({ name, create }: RateLimiterConformanceOptions): void {
  describe(`RateLimiter conformance: ${name}`, () => {
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
