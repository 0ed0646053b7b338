import { createMemnex, type UsageStore } from '@memnex/core';
import { createMemoryStores } from '@memnex/storage-memory';
import { describe, expect, it } from 'vitest';
import { AUDIT_KEY, manualClock, setup } from './setup.js';

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';

describe('console accounts', () => {
  it('creates an account with a normalised e-mail, finds it from any tenant, and audits it', async () => {
    const { memnex, tenantId } = await setup();
    const account = await memnex.accounts.create({
      tenantId,
      email: '  Ada@Example.COM ',
      passwordHash: HASH,
      role: 'owner',
    });
    expect(account).toMatchObject({ email: 'ada@example.com', role: 'owner', lastLoginAt: null });
    expect(account).not.toHaveProperty('passwordHash');
    expect((await memnex.accounts.findByEmail({ email: 'ADA@example.com' }))?.passwordHash).toBe(
      HASH,
    );
    expect(await memnex.accounts.findByEmail({ email: 'not an address' })).toBeNull();
    await memnex.accounts.recordLogin({ tenantId, accountId: account.id });
    expect((await memnex.accounts.get({ tenantId, accountId: account.id }))?.lastLoginAt).not.toBe(
      null,
    );
    const other = await memnex.tenants.create({ name: 'other' });
    expect(await memnex.accounts.get({ tenantId: other.id, accountId: account.id })).toBeNull();
    await expect(
      memnex.accounts.create({
        tenantId: other.id,
        email: 'ada@example.com',
        passwordHash: HASH,
        role: 'owner',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const ledger = await memnex.audit.list({ tenantId });
    expect(ledger.map((entry) => [entry.op, entry.actor])).toEqual(
      expect.arrayContaining([
        ['account.create', `account:${account.id}`],
        ['account.login', `account:${account.id}`],
      ]),
    );
    expect(JSON.stringify(ledger)).not.toContain('ada@example.com');
    expect(JSON.stringify(ledger)).not.toContain(HASH);
  });

  it('refuses a password in place of a hash', async () => {
    const { memnex, tenantId } = await setup();
    await expect(
      memnex.accounts.create({ tenantId, email: 'a@b.co', passwordHash: 'hunter2', role: 'owner' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('users.get', () => {
  it("gives a user's identifiers without creating anyone or writing to the ledger", async () => {
    const { memnex, tenantId } = await setup();
    await memnex.write({
      tenantId,
      user: { identifier: { channel: 'voice', id: '+44 20 7946 0958' } },
      facts: [{ type: 'intent', text: 'Wants a refund' }],
    });
    const { userId } = (await memnex.identifiers.resolve({
      tenantId,
      identifier: { channel: 'whatsapp', id: 'wa:442079460958' },
    }))!;
    const before = (await memnex.audit.list({ tenantId })).length;
    const profile = await memnex.users.get({ tenantId, user: { userId } });
    expect(profile).toMatchObject({
      userId,
      version: 1,
      identifiers: [{ channel: 'voice', id: '+442079460958' }],
    });
    expect(await memnex.users.get({ tenantId, user: { userId: 'nobody' } })).toBeNull();
    expect(await memnex.users.get({ tenantId, user: 'nobody' })).toBeNull();
    expect((await memnex.audit.list({ tenantId })).length).toBe(before);
  });
});

describe('usage', () => {
  it('counts reads, writes and cache lookups per hour, zeros included', async () => {
    const clock = manualClock('2026-03-01T09:30:00.000Z');
    const { memnex, tenantId } = await setup({ now: clock.now });
    await memnex.write({
      tenantId,
      user: 'ann',
      facts: [{ type: 'intent', text: 'Wants a call' }],
    });
    await memnex.read({ tenantId, user: 'ann' });
    await memnex.read({ tenantId, user: 'ann' });
    clock.advance(3600_000);
    await memnex.read({ tenantId, user: 'ann' });
    const usage = await memnex.tenants.usage({ tenantId, hours: 3 });
    expect(usage.hours.map((hour) => hour.hour)).toEqual([
      '2026-03-01T08:00:00.000Z',
      '2026-03-01T09:00:00.000Z',
      '2026-03-01T10:00:00.000Z',
    ]);
    expect(usage.hours.map((hour) => [hour.reads, hour.writes])).toEqual([
      [0, 0],
      [2, 1],
      [1, 0],
    ]);
    expect(usage.totals).toEqual({ reads: 3, writes: 1, cacheHits: 2, cacheMisses: 1 });
    expect(usage.cacheHitRatio).toBeCloseTo(2 / 3);
    const other = await memnex.tenants.create({ name: 'other' });
    expect((await memnex.tenants.usage({ tenantId: other.id })).totals.reads).toBe(0);
  });

  it('adds the counts of every instance sharing the store, and keeps counts a failed store missed', async () => {
    const shared = createMemoryStores();
    let failing = false;
    const usage: UsageStore = {
      ...shared.usage,
      init: () => shared.usage.init(),
      close: () => shared.usage.close(),
      capabilities: shared.usage.capabilities,
      add: (options) => (failing ? Promise.reject(new Error('down')) : shared.usage.add(options)),
      list: (options) => shared.usage.list(options),
      prune: (options) => shared.usage.prune(options),
    };
    const stores = { ...shared, usage };
    const [a, b] = [
      createMemnex({ stores, auditKey: AUDIT_KEY }),
      createMemnex({ stores, auditKey: AUDIT_KEY }),
    ];
    await a.init();
    await b.init();
    const { id: tenantId } = await a.tenants.create({ name: 'acme' });
    await a.write({ tenantId, user: 'ann', facts: [{ type: 'intent', text: 'Wants a call' }] });
    failing = true;
    await b.read({ tenantId, user: 'ann' });
    await expect(b.tenants.usage({ tenantId })).rejects.toThrow('down');
    failing = false;
    // `b`'s read was kept and goes out with its next flush; `a` sees both instances' counts.
    await b.tenants.usage({ tenantId });
    expect((await a.tenants.usage({ tenantId })).totals).toMatchObject({ reads: 1, writes: 1 });
    await b.close();
    await a.close();
  });
});
