import { createMemnex, instrumentStores, type Memnex, type StoreCall } from '@memnex/core';
import { createMemoryStores } from '@memnex/storage-memory';
import { describe, expect, it } from 'vitest';
import { AUDIT_KEY, manualClock, MINUTE, PII_KEY, setup } from './setup.js';

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

describe('reads of an unchanged working set within one second', () => {
  const texts = (result: Awaited<ReturnType<Memnex['read']>>) =>
    result.items.map((item) => item.text).sort();

  it('share one answer, yet see a write, an expiry, the next second and another shape', async () => {
    const clock = manualClock('2026-03-01T09:00:00.400Z');
    const { memnex, tenantId } = await setup({ now: clock.now });
    const user = { identifier: { channel: 'voice', id: '+44 20 7946 0958' } } as const;
    const facts = ['Order #4521 arrived damaged', 'Prefers a call after 6pm', 'Lives in Leeds'];
    await memnex.write({
      tenantId,
      user,
      facts: facts.map((text) => ({ type: 'issue' as const, text })),
    });
    await memnex.write({
      tenantId,
      user,
      facts: [{ type: 'intent', text: 'Wants a callback today', ttl: 1 }],
    });
    const read = (tokenBudget?: number) => memnex.read({ tenantId, user, tokenBudget });

    // 09:00:01.200: the callback (expiring at 01.400) is still current.
    clock.advance(800);
    const first = await read();
    expect(texts(first)).toContain('Wants a callback today');
    const again = await read();
    expect(again).toEqual(first);
    // One answer, not a second one ranked and packed alike.
    expect(again).toBe(first);
    // The answer is frozen with its items, so no caller changes what another reads.
    expect(Object.isFrozen(again) && Object.isFrozen(again.items)).toBe(true);
    expect(() => again.items.splice(0)).toThrow(TypeError);
    expect(() => Object.assign(again, { context: '' })).toThrow(TypeError);
    expect((await read()).items).toHaveLength(4);

    // Another shape in the same second is ranked and packed for itself.
    const small = await read(10);
    expect(small.items.length).toBeLessThan(4);
    expect(small.tokenBudget).toBe(10);

    // 09:00:01.500, the same second: the callback has expired since.
    clock.advance(300);
    expect(texts(await read())).toEqual([...facts].sort());

    // A write in the same second is read back at once.
    await memnex.write({ tenantId, user, facts: [{ type: 'preference', text: 'Likes email' }] });
    expect(texts(await read())).toContain('Likes email');

    // A minute on, the context says so.
    expect((await read()).context).toContain('just now');
    clock.advance(MINUTE);
    expect((await read()).context).toContain('1 min ago');
  });
});
