import type { AccountRecord, AccountStore } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { describeLifecycle, expectMemnexError } from './assertions.js';
import { usePort, type ConformanceOptions } from './conformance-options.js';
import { randomHex, randomTenantId, timestamp } from './fixtures.js';

/** Options of {@link runAccountStoreConformance}. */
export type AccountStoreConformanceOptions = ConformanceOptions<AccountStore>;

/** A console account with fresh ids and e-mail, so suites can share one real database. */
export function makeAccount(overrides: Partial<AccountRecord> = {}): AccountRecord {
  return {
    id: `a${randomHex(8)}`,
    tenantId: randomTenantId(),
    email: `someone-${randomHex(6)}@example.com`,
    passwordHash: `$argon2id$v=19$m=19456,t=2,p=1$${randomHex(8)}$${randomHex(16)}`,
    role: 'owner',
    createdAt: timestamp(),
    lastLoginAt: null,
    ...overrides,
  };
}

/** Register the AccountStore conformance suite for an adapter. Call it at the top of a test file. */
export function runAccountStoreConformance(options: AccountStoreConformanceOptions): void {
  describe(`AccountStore conformance: ${options.name}`, () => {
    const accounts = usePort(options);

    it('declares its capabilities', () => {
      expect(typeof accounts().capabilities.durable).toBe('boolean');
      expect(typeof accounts().capabilities.shared).toBe('boolean');
    });

    it('stores an account and reads it back by id and by e-mail, hash included', async () => {
      const account = makeAccount();
      await accounts().create({ account });
      expect(await accounts().get({ tenantId: account.tenantId, accountId: account.id })).toEqual(
        account,
      );
      expect(await accounts().findByEmail({ email: account.email })).toEqual(account);
      expect(await accounts().findByEmail({ email: `nobody-${randomHex(4)}@example.com` })).toBe(
        null,
      );
    });

    it('finds an account by e-mail whatever its tenant, and only by the exact stored e-mail', async () => {
      const first = makeAccount();
      const second = makeAccount();
      await accounts().create({ account: first });
      await accounts().create({ account: second });
      expect((await accounts().findByEmail({ email: second.email }))?.tenantId).toBe(
        second.tenantId,
      );
      expect(await accounts().findByEmail({ email: first.email.toUpperCase() })).toBeNull();
    });

    it('refuses a second account with the same e-mail, in any tenant, or the same id', async () => {
      const account = makeAccount();
      await accounts().create({ account });
      await expectMemnexError(
        accounts().create({ account: makeAccount({ email: account.email }) }),
        'CONFLICT',
      );
      await expectMemnexError(
        accounts().create({
          account: makeAccount({ email: account.email, tenantId: account.tenantId }),
        }),
        'CONFLICT',
      );
      await expectMemnexError(
        accounts().create({ account: makeAccount({ id: account.id, tenantId: account.tenantId }) }),
        'CONFLICT',
      );
      expect(await accounts().list({ tenantId: account.tenantId })).toEqual([account]);
    });

    it("never gives one tenant's account to another tenant", async () => {
      const account = makeAccount();
      await accounts().create({ account });
      const other = randomTenantId();
      expect(await accounts().get({ tenantId: other, accountId: account.id })).toBeNull();
      expect(await accounts().list({ tenantId: other })).toEqual([]);
      await accounts().recordLogin({ tenantId: other, accountId: account.id, at: timestamp(9) });
      expect(
        (await accounts().get({ tenantId: account.tenantId, accountId: account.id }))?.lastLoginAt,
      ).toBeNull();
    });

    it("lists a tenant's accounts oldest first", async () => {
      const tenantId = randomTenantId();
      const later = makeAccount({ tenantId, createdAt: timestamp(60), role: 'viewer' });
      const earlier = makeAccount({ tenantId, createdAt: timestamp(0) });
      await accounts().create({ account: later });
      await accounts().create({ account: earlier });
      expect(await accounts().list({ tenantId })).toEqual([earlier, later]);
    });

    it('records the last sign-in; an unknown account is ignored', async () => {
      const account = makeAccount();
      await accounts().create({ account });
      await accounts().recordLogin({
        tenantId: account.tenantId,
        accountId: account.id,
        at: timestamp(120),
      });
      const read = await accounts().get({ tenantId: account.tenantId, accountId: account.id });
      expect(read?.lastLoginAt).toBe(timestamp(120));
      const unknown = `a${randomHex(8)}`;
      await accounts().recordLogin({
        tenantId: account.tenantId,
        accountId: unknown,
        at: timestamp(1),
      });
      expect(await accounts().get({ tenantId: account.tenantId, accountId: unknown })).toBeNull();
      expect(await accounts().list({ tenantId: account.tenantId })).toEqual([
        { ...account, lastLoginAt: timestamp(120) },
      ]);
    });

    it('returns copies that callers cannot use to change the store', async () => {
      const account = makeAccount();
      await accounts().create({ account });
      const read = await accounts().findByEmail({ email: account.email });
      read!.role = 'viewer';
      account.role = 'viewer';
      expect(
        (await accounts().get({ tenantId: account.tenantId, accountId: account.id }))?.role,
      ).toBe('owner');
    });

    describeLifecycle(options, (port, tenantId) => port.list({ tenantId }));
  });
}
