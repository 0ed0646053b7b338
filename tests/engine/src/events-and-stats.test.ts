import type { MemnexEvent } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { eventually, setup } from './setup.js';

describe('events', () => {
  it('delivers memory and forget events to subscribers until they unsubscribe', async () => {
    const { memnex, tenantId } = await setup();
    const seen: MemnexEvent[] = [];
    // Subscribed first, so that a throw it let escape would keep the next handler from running.
    memnex.events.subscribe(() => {
      throw new Error('a broken handler must not starve the others');
    });
    const stop = memnex.events.subscribe((event) => seen.push(event));
    await memnex.write({
      tenantId,
      user: 'ann',
      facts: [{ type: 'intent', text: 'Wants a refund' }],
    });
    await eventually(async () =>
      expect(seen).toContainEqual(
        expect.objectContaining({
          type: 'memory.changed',
          tenantId,
          externalId: 'ann',
          version: 1,
        }),
      ),
    );
    await memnex.forget({ tenantId, user: 'ann' });
    await eventually(async () =>
      expect(seen).toContainEqual(
        expect.objectContaining({ type: 'user.forgotten', tenantId, externalId: 'ann' }),
      ),
    );
    stop();
    const before = seen.length;
    await memnex.write({
      tenantId,
      user: 'bob',
      facts: [{ type: 'intent', text: 'Wants a call' }],
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toHaveLength(before);
  });
});

describe('tenant stats', () => {
  it('counts people and current memories by type and channel, one tenant only', async () => {
    const { memnex, tenantId } = await setup();
    const other = await memnex.tenants.create({ name: 'other' });
    await memnex.write({
      tenantId,
      user: { identifier: { channel: 'voice', id: '+44 20 7946 0958' } },
      source: { channel: 'voice' },
      facts: [
        { type: 'profile', text: 'Lives in Leeds', slot: 'profile:city' },
        { type: 'issue', text: 'Order #4521 arrived damaged', entities: ['order:4521'] },
      ],
    });
    await memnex.write({
      tenantId,
      user: { identifier: { channel: 'whatsapp', id: 'wa:442079460958' } },
      source: { channel: 'whatsapp' },
      facts: [{ type: 'profile', text: 'Lives in York', slot: 'profile:city' }],
    });
    await memnex.write({
      tenantId: other.id,
      user: 'zoe',
      facts: [{ type: 'intent', text: 'Hi' }],
    });

    const stats = await memnex.tenants.stats({ tenantId });
    expect(stats).toMatchObject({
      tenantId,
      users: 1,
      memories: {
        current: 2,
        byKind: { fact: 2 },
        byType: { profile: 1, issue: 1 },
        byChannel: { voice: 1, whatsapp: 1 },
      },
    });
    expect(stats.oldest! <= stats.newest!).toBe(true);
    expect((await memnex.tenants.stats({ tenantId: other.id })).users).toBe(1);
    await expect(memnex.tenants.stats({ tenantId: 'not a tenant' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});

describe('tenant settings', () => {
  it('change by section: a section given replaces its own, null removes it, the others stay; audited', async () => {
    const { memnex, tenantId } = await setup();
    const settingsOf = async () => (await memnex.tenants.get({ tenantId }))!.settings;
    await memnex.tenants.update({
      tenantId,
      set: { settings: { defaultRegion: 'in', conflictPolicy: { issue: 'keep_both' } } },
    });
    await memnex.tenants.update({
      tenantId,
      set: { settings: { retention: { intent: 3600 } } },
      actor: 'key:k0123abcd',
    });
    expect(await settingsOf()).toEqual({
      defaultRegion: 'IN',
      conflictPolicy: { issue: 'keep_both' },
      retention: { intent: 3600 },
    });
    await memnex.tenants.update({
      tenantId,
      set: { settings: { retention: { event: 60 }, conflictPolicy: null } },
    });
    expect(await settingsOf()).toEqual({ defaultRegion: 'IN', retention: { event: 60 } });

    await expect(
      memnex.tenants.update({ tenantId, set: { settings: { retention: { intent: -1 } } } }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      memnex.tenants.update({ tenantId, set: { settings: { colour: 'blue' } as never } }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await settingsOf()).toEqual({ defaultRegion: 'IN', retention: { event: 60 } });
    expect(
      await memnex.tenants.update({ tenantId: 't_0000000000000000', set: { settings: {} } }),
    ).toBeNull();

    const entries = await memnex.audit.list({ tenantId, op: 'tenant.update' });
    expect(entries.map((entry) => entry.actor)).toEqual(['system', 'key:k0123abcd', 'system']);
    expect(entries[2]!.payload).toEqual({
      set: { settings: { retention: { event: 60 }, conflictPolicy: null } },
    });
  });
});
