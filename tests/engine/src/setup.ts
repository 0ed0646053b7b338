import { createMemnex, type Memnex, type MemnexOptions } from '@memnex/core';
import { createHashEmbedder } from '@memnex/embeddings';
import { createMemoryStores } from '@memnex/storage-memory';

export const AUDIT_KEY = 'engine-tests-audit-key-0123456789';
export const PII_KEY = 'engine-tests-pii-key-0123456789';

/** A fresh engine on in-memory stores with the deterministic hash embedder, and one tenant. */
export async function setup(
  options: Partial<MemnexOptions> = {},
): Promise<{ memnex: Memnex; tenantId: string }> {
  const memnex = createMemnex({
    stores: createMemoryStores(),
    embedder: createHashEmbedder({ dimensions: 256 }),
    auditKey: AUDIT_KEY,
    piiKey: PII_KEY,
    ...options,
  });
  await memnex.init();
  const tenant = await memnex.tenants.create({ name: 'acme' });
  return { memnex, tenantId: tenant.id };
}

/** A clock the test moves by hand. */
export function manualClock(start = '2026-03-01T09:00:00.000Z') {
  let now = Date.parse(start);
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

export const MINUTE = 60_000;

/** Retry an assertion until it passes or the deadline passes (no fixed sleeps). */
export async function eventually(assertion: () => Promise<void>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
