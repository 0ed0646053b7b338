import type { Memnex } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { setup } from './setup.js';

const PHONE_VOICE = { channel: 'voice', id: '+91 92410 63955' } as const;
const PHONE_WHATSAPP = { channel: 'whatsapp', id: 'wa:919241063955' } as const;

/** Everything observable of a user, without the fields that change on every write. */
async function snapshot(memnex: Memnex, tenantId: string, user: string) {
  const document = await memnex.export({ tenantId, user });
  const read = await memnex.read({ tenantId, user, format: 'app' });
  return {
    user: document.user,
    identifiers: document.identifiers,
    memories: document.memories
      .map(({ updatedAt: _updatedAt, ...memory }) => memory)
      .sort((a, b) => a.id.localeCompare(b.id)),
    current: read.items.map((item) => item.id).sort(),
  };
}

describe('cross-channel identity', () => {
  it('reads through WhatsApp what a voice agent wrote for the same number', async () => {
    const { memnex, tenantId } = await setup();
    await memnex.write({
      tenantId,
      user: { identifier: PHONE_VOICE },
      facts: [{ type: 'issue', text: 'Order #4521 arrived damaged', entities: ['order:4521'] }],
    });
    const read = await memnex.read({ tenantId, user: { identifier: PHONE_WHATSAPP } });
    expect(read.items.map((item) => item.text)).toEqual(['Order #4521 arrived damaged']);
  });

  it("resolves a national SMS number through the tenant's phone region", async () => {
    const { memnex } = await setup();
    const tenant = await memnex.tenants.create({
      name: 'india',
      settings: { defaultRegion: 'IN' },
    });
    await memnex.write({
      tenantId: tenant.id,
      user: { identifier: { channel: 'sms', id: '09241063955' } },
      facts: [{ type: 'preference', text: 'Prefers Hindi' }],
    });
    for (const identifier of [
      PHONE_VOICE,
      PHONE_WHATSAPP,
      { channel: 'sms', id: '9241063955' } as const,
    ]) {
      const read = await memnex.read({ tenantId: tenant.id, user: { identifier } });
      expect(read.items.map((item) => item.text)).toEqual(['Prefers Hindi']);
    }
  });

  it('refuses identifiers with no canonical form, creating nobody', async () => {
    const { memnex, tenantId } = await setup();
    for (const identifier of [
      { channel: 'voice', id: 'uid:u_receipt' },
      { channel: 'sms', id: '09241063955' },
      { channel: 'email', id: 'not-an-email' },
    ] as const) {
      await expect(
        memnex.write({ tenantId, user: { identifier }, facts: [{ type: 'intent', text: 'x' }] }),
      ).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { issues: [expect.objectContaining({ path: 'identifier.id' })] },
      });
    }
    await expect(
      memnex.tenants.create({ name: 'nowhere', settings: { defaultRegion: 'ZZ' } }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      memnex.tenants.update({ tenantId, set: { settings: { defaultRegion: 'ZZ' } } }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await memnex.tenants.get({ tenantId }))?.settings.defaultRegion).toBeUndefined();
  });
});

describe('merge and unmerge', () => {
  async function twoRecordsOfOnePerson() {
    const { memnex, tenantId } = await setup();
    await memnex.write({
      tenantId,
      user: 'crm-ravi',
      facts: [
        {
          type: 'profile',
          text: 'Lives in Pune',
          slot: 'profile:city',
          observedAt: '2026-01-01T00:00:00Z',
        },
        { type: 'issue', text: 'Router keeps rebooting', entities: ['ticket:77'] },
      ],
    });
    await memnex.write({
      tenantId,
      user: { identifier: PHONE_VOICE },
      facts: [
        {
          type: 'profile',
          text: 'Lives in Mumbai now',
          slot: 'profile:city',
          observedAt: '2026-02-01T00:00:00Z',
        },
        { type: 'preference', text: 'Prefers WhatsApp over calls' },
      ],
    });
    await memnex.identifiers.link({
      tenantId,
      user: { identifier: PHONE_VOICE },
      identifier: { channel: 'email', id: 'Ravi@Example.com' },
    });
    const phoneUser = (await memnex.identifiers.resolve({ tenantId, identifier: PHONE_VOICE }))!
      .userId;
    return { memnex, tenantId, phoneUser };
  }

  it('moves memories, identifiers and vectors, and makes the older slot value history', async () => {
    const { memnex, tenantId, phoneUser } = await twoRecordsOfOnePerson();
    const receipt = await memnex.users.merge({ tenantId, from: phoneUser, into: 'crm-ravi' });
    expect(receipt).toMatchObject({
      op: 'user.merge',
      from: phoneUser,
      into: 'crm-ravi',
      moved: { memories: 2, identifiers: 2, vectors: 2 },
      superseded: 1,
    });
    expect(memnex.audit.verifyReceipt(receipt)).toEqual({ ok: true, keyId: receipt.keyId });

    const read = await memnex.read({ tenantId, user: 'crm-ravi', format: 'app' });
    expect(read.items.map((item) => item.text).sort()).toEqual([
      'Lives in Mumbai now',
      'Prefers WhatsApp over calls',
      'Router keeps rebooting',
    ]);
    // The phone, the e-mail and the merged user id all reach the survivor now.
    for (const user of [
      { identifier: PHONE_WHATSAPP },
      { identifier: { channel: 'email' as const, id: 'ravi@example.com' } },
      phoneUser,
    ]) {
      expect((await memnex.read({ tenantId, user })).items).toHaveLength(3);
    }
    const hits = await memnex.search({ tenantId, user: 'crm-ravi', query: 'whatsapp calls' });
    expect(hits.hits[0]?.text).toBe('Prefers WhatsApp over calls');
    const [entry] = await memnex.audit.list({ tenantId, op: 'user.merge' });
    expect(entry?.seq).toBe(receipt.ledgerSeq);
    expect(JSON.stringify(entry)).not.toMatch(/9241063955|ravi@example/iu);
  });

  it('restores both users exactly as they were on unmerge', async () => {
    const { memnex, tenantId, phoneUser } = await twoRecordsOfOnePerson();
    const before = {
      survivor: await snapshot(memnex, tenantId, 'crm-ravi'),
      merged: await snapshot(memnex, tenantId, phoneUser),
    };
    await memnex.users.merge({ tenantId, from: phoneUser, into: 'crm-ravi' });
    const receipt = await memnex.users.unmerge({ tenantId, user: phoneUser });
    expect(receipt).toMatchObject({
      op: 'user.unmerge',
      user: phoneUser,
      from: 'crm-ravi',
      restored: { memories: 2, identifiers: 2, vectors: 2 },
    });
    expect(memnex.audit.verifyReceipt(receipt).ok).toBe(true);
    expect(await snapshot(memnex, tenantId, 'crm-ravi')).toEqual(before.survivor);
    expect(await snapshot(memnex, tenantId, phoneUser)).toEqual(before.merged);
    const owner = await memnex.identifiers.resolve({ tenantId, identifier: PHONE_WHATSAPP });
    expect(owner?.userId).toBe(phoneUser);
    const search = await memnex.search({ tenantId, user: 'crm-ravi', query: 'whatsapp calls' });
    expect(search.hits.map((hit) => hit.text)).not.toContain('Prefers WhatsApp over calls');
    const back = await memnex.search({ tenantId, user: phoneUser, query: 'whatsapp calls' });
    expect(back.hits[0]?.text).toBe('Prefers WhatsApp over calls');
    expect(await memnex.audit.verify({ tenantId })).toMatchObject({ ok: true });
  });

  it('leaves what was written to the survivor after the merge with the survivor', async () => {
    const { memnex, tenantId, phoneUser } = await twoRecordsOfOnePerson();
    await memnex.users.merge({ tenantId, from: phoneUser, into: 'crm-ravi' });
    const later = await memnex.write({
      tenantId,
      user: { identifier: PHONE_WHATSAPP },
      facts: [{ type: 'intent', text: 'Wants to upgrade to fibre' }],
    });
    await memnex.users.unmerge({ tenantId, user: phoneUser });
    const survivor = await memnex.export({ tenantId, user: 'crm-ravi' });
    expect(survivor.memories.map((memory) => memory.id)).toContain(later.written[0]!.id);
    const merged = await memnex.export({ tenantId, user: phoneUser });
    expect(merged.memories.map((memory) => memory.text)).not.toContain('Wants to upgrade to fibre');
  });

  it('refuses to merge a user into itself, unknown users, or to unmerge an unmerged user', async () => {
    const { memnex, tenantId, phoneUser } = await twoRecordsOfOnePerson();
    await expect(
      memnex.users.merge({ tenantId, from: phoneUser, into: { identifier: PHONE_WHATSAPP } }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      memnex.users.merge({ tenantId, from: 'nobody', into: 'crm-ravi' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(memnex.users.unmerge({ tenantId, user: 'crm-ravi' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const other = await memnex.tenants.create({ name: 'other' });
    await expect(
      memnex.users.merge({ tenantId: other.id, from: phoneUser, into: 'crm-ravi' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('forgets the merged record together with the survivor', async () => {
    const { memnex, tenantId, phoneUser } = await twoRecordsOfOnePerson();
    await memnex.users.merge({ tenantId, from: phoneUser, into: 'crm-ravi' });
    const receipt = await memnex.forget({ tenantId, user: phoneUser, reason: 'gdpr_request' });
    expect(receipt.deleted.memories).toBe(4);
    expect(await memnex.export({ tenantId, user: 'crm-ravi' })).toMatchObject({ user: null });
    expect(await memnex.export({ tenantId, user: phoneUser })).toMatchObject({ user: null });
    await expect(memnex.users.unmerge({ tenantId, user: phoneUser })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
