import { createAuditKeyRing, verifyReceipt } from '@memnex/audit';
import { describe, expect, it } from 'vitest';
import { AUDIT_KEY, setup } from './setup.js';

describe('forget', () => {
  it('removes everything of the user from read, search, export and timeline, and only that user', async () => {
    const { memnex, tenantId } = await setup();
    const facts = [
      { type: 'issue' as const, text: 'Order #4521 arrived damaged', entities: ['order:4521'] },
      { type: 'profile' as const, text: 'Lives in Pune', slot: 'profile:city' },
    ];
    await memnex.write({
      tenantId,
      user: { identifier: { channel: 'voice', id: '+91 92410 63955' } },
      facts,
    });
    await memnex.write({ tenantId, user: 'ravi', facts });
    const owner = await memnex.identifiers.resolve({
      tenantId,
      identifier: { channel: 'whatsapp', id: 'wa:919241063955' },
    });
    expect(owner).not.toBeNull();
    await memnex.read({ tenantId, user: owner!.userId });

    const receipt = await memnex.forget({
      tenantId,
      user: { identifier: { channel: 'sms', id: '+919241063955' } },
      reason: 'gdpr_request',
    });
    expect(receipt.deleted).toMatchObject({ memories: 2, identifiers: 1, vectors: 2 });
    expect(receipt.deleted.cacheEntries).toBeGreaterThan(0);
    expect(verifyReceipt(receipt, createAuditKeyRing(AUDIT_KEY)).ok).toBe(true);
    expect(receipt.ledgerSeq).toBeGreaterThan(0);

    const user = owner!.userId;
    expect((await memnex.read({ tenantId, user })).items).toEqual([]);
    expect(
      (await memnex.search({ tenantId, user, query: 'order damaged', includeHistory: true })).hits,
    ).toEqual([]);
    expect(await memnex.export({ tenantId, user })).toMatchObject({
      user: null,
      memories: [],
      identifiers: [],
    });
    expect((await memnex.timeline({ tenantId, user })).entries).toEqual([]);
    expect(
      await memnex.identifiers.resolve({
        tenantId,
        identifier: { channel: 'voice', id: '+919241063955' },
      }),
    ).toBeNull();

    expect((await memnex.read({ tenantId, user: 'ravi' })).items).toHaveLength(2);
    expect(
      (await memnex.search({ tenantId, user: 'ravi', query: 'order damaged' })).hits[0]?.text,
    ).toBe('Order #4521 arrived damaged');
  });

  it('deletes only the targeted memories', async () => {
    const { memnex, tenantId } = await setup();
    const result = await memnex.write({
      tenantId,
      user: 'priya',
      facts: [
        { type: 'intent', text: 'Wants a refund' },
        { type: 'preference', text: 'Prefers email' },
      ],
    });
    const receipt = await memnex.forget({
      tenantId,
      user: 'priya',
      memoryIds: [result.written[0]!.id],
    });
    expect(receipt).toMatchObject({ scope: 'memories', deleted: { memories: 1, vectors: 1 } });
    expect((await memnex.read({ tenantId, user: 'priya' })).items.map((item) => item.text)).toEqual(
      ['Prefers email'],
    );
  });

  it("cannot delete another user's memory by id", async () => {
    const { memnex, tenantId } = await setup();
    const ravi = await memnex.write({
      tenantId,
      user: 'ravi',
      facts: [{ type: 'intent', text: 'Wants a refund' }],
    });
    await memnex.write({
      tenantId,
      user: 'priya',
      facts: [{ type: 'intent', text: 'Wants to upgrade' }],
    });
    const receipt = await memnex.forget({
      tenantId,
      user: 'priya',
      memoryIds: [ravi.written[0]!.id],
    });
    expect(receipt.deleted.memories).toBe(0);
    expect((await memnex.read({ tenantId, user: 'ravi' })).items).toHaveLength(1);
  });
});

describe('tenant isolation', () => {
  it('tenant A never sees tenant B, even for the same user id and identifier', async () => {
    const { memnex, tenantId: tenantA } = await setup();
    const tenantB = (await memnex.tenants.create({ name: 'globex' })).id;
    await memnex.write({
      tenantId: tenantA,
      user: 'priya',
      facts: [{ type: 'issue', text: 'Order #4521 arrived damaged' }],
    });
    await memnex.write({
      tenantId: tenantA,
      user: { identifier: { channel: 'email', id: 'Priya@Example.com' } },
      facts: [{ type: 'intent', text: 'Wants a refund' }],
    });

    expect((await memnex.read({ tenantId: tenantB, user: 'priya' })).items).toEqual([]);
    expect(
      (
        await memnex.search({
          tenantId: tenantB,
          user: 'priya',
          query: 'order damaged',
          includeHistory: true,
        })
      ).hits,
    ).toEqual([]);
    expect((await memnex.export({ tenantId: tenantB, user: 'priya' })).memories).toEqual([]);
    expect(
      await memnex.identifiers.resolve({
        tenantId: tenantB,
        identifier: { channel: 'email', id: 'priya@example.com' },
      }),
    ).toBeNull();
    const receipt = await memnex.forget({ tenantId: tenantB, user: 'priya' });
    expect(receipt.deleted.memories).toBe(0);
    expect((await memnex.read({ tenantId: tenantA, user: 'priya' })).items).toHaveLength(1);
  });

  it('refuses a second tenant with a taken id and leaves the first as it was', async () => {
    const { memnex } = await setup();
    await memnex.tenants.create({ name: 'first', id: 'acme-eu' });
    await expect(memnex.tenants.create({ name: 'second', id: 'acme-eu' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect((await memnex.tenants.get({ tenantId: 'acme-eu' }))?.name).toBe('first');
  });

  it('refuses unknown and disabled tenants', async () => {
    const { memnex, tenantId } = await setup();
    await expect(memnex.read({ tenantId: 't_missing', user: 'priya' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await memnex.tenants.update({ tenantId, set: { disabled: true } });
    await expect(
      memnex.write({ tenantId, user: 'priya', facts: [{ type: 'intent', text: 'x' }] }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
