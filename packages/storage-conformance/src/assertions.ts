import { MemnexError, type Lifecycle, type MemnexErrorCode } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceOptions } from './conformance-options.js';
import { randomTenantId } from './fixtures.js';

/** Await `promise` and assert that it rejects with a MemnexError of `code`; returns the error. */
export async function expectMemnexError(
  promise: Promise<unknown>,
  code: MemnexErrorCode,
): Promise<MemnexError> {
  let caught: unknown = undefined;
  let rejected = false;
  try {
    await promise;
  } catch (error) {
    caught = error;
    rejected = true;
  }
  expect(rejected, `expected a rejection with ${code}`).toBe(true);
  expect(MemnexError.isInstance(caught), `expected a MemnexError, got ${String(caught)}`).toBe(
    true,
  );
  expect((caught as MemnexError).code).toBe(code);
  return caught as MemnexError;
}

/** Poll `check` until it returns true or `timeoutMs` passes; fails the test on timeout. */
export async function waitFor(
  check: () => boolean,
  description: string,
  timeoutMs = 2000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * The lifecycle tests every port shares: `init` and `close` are idempotent, and a closed port
 * either still answers or fails with `STORAGE_UNAVAILABLE`, never with anything else.
 */
export function describeLifecycle<Port extends Lifecycle>(
  options: ConformanceOptions<Port>,
  probe: (port: Port, tenantId: string) => Promise<unknown>,
): void {
  describe('lifecycle', () => {
    it('init twice and close twice are harmless', async () => {
      const port = await options.create();
      await port.init();
      await port.init();
      await probe(port, randomTenantId());
      await options.cleanup?.(port);
      await port.close();
      await port.close();
    });

    it('a call after close succeeds or fails with STORAGE_UNAVAILABLE', async () => {
      const port = await options.create();
      await port.init();
      await options.cleanup?.(port);
      await port.close();
      try {
        await probe(port, randomTenantId());
      } catch (error) {
        expect(MemnexError.isInstance(error)).toBe(true);
        expect((error as MemnexError).code).toBe('STORAGE_UNAVAILABLE');
      }
    });
  });
}
