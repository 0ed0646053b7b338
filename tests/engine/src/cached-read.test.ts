import { createMemnex, instrumentStores, type StoreCall } from '@memnex/core';
import { createMemoryStores } from '@memnex/storage-memory';
import { describe, expect, it } from 'vitest';
import { AUDIT_KEY, PII_KEY } from './setup.js';

describe('a cached read', () => {
  it('by identifier or user id asks only the hot cache, and forget drops what it trusted', async () => {
    const calls: StoreCall[] = [];
    const memnex = createMemnex({
      stores: instrumentStores(createMemoryStores(), (call) => calls.push(call)),
      auditKey: AUDIT_KEY,
      piiKey: PII_KEY,
    });
    await memnex.init();
    const { id: tenantId } = await memnex.tenants.create({ name: 'acme' });
    const phone = { identifier: { channel: 'voice', id: '+44 20 7946 0958' } } as const;
    const written = await memnex.write({
      tenantId,
      user: phone,
      facts: [{ type: 'issue', text: 'Order #4521 arrived damaged' }],
    });
    const { userId } = written.receipt;
    await memnex.read({ tenantId, user: phone });
    await memnex.read({ tenantId, user: userId });

    for (const user of [phone, userId]) {
      calls.length = 0;
      expect((await memnex.read({ tenantId, user })).items).toHaveLength(1);
      expect(calls.filter((call) => call.store !== 'hot').map((call) => call.operation)).toEqual(
        [],
      );
    }

    await memnex.forget({ tenantId, user: phone });
    expect((await memnex.read({ tenantId, user: phone })).items).toEqual([]);
    expect((await memnex.read({ tenantId, user: userId })).items).toEqual([]);
  });
});
