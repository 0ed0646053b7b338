import { MemnexError, type AccountRecord, type AccountStore } from '@memnex/core';
import { compareIds, copy } from './collections.js';
import { createLifecycleState } from './lifecycle-state.js';

/**
 * An {@link AccountStore} held in process memory: accounts by id, and an index by e-mail that
 * keeps e-mails unique across tenants.
 */
export function createMemoryAccountStore(): AccountStore {
  const lifecycle = createLifecycleState('memory account store');
  const byId = new Map<string, AccountRecord>();
  const byEmail = new Map<string, string>();
  const own = (tenantId: string, accountId: string) => {
    const account = byId.get(accountId);
    return account?.tenantId === tenantId ? account : undefined;
  };

  return {
    capabilities: { durable: false, shared: false },
    init: lifecycle.init,
    close: lifecycle.close,

    async create({ account }) {
      lifecycle.assertOpen('create');
      if (byId.has(account.id) || byEmail.has(account.email)) {
        throw new MemnexError({ code: 'CONFLICT', message: 'account exists' });
      }
      byId.set(account.id, copy(account));
      byEmail.set(account.email, account.id);
    },

    async findByEmail({ email }) {
      lifecycle.assertOpen('findByEmail');
      const id = byEmail.get(email);
      const account = id === undefined ? undefined : byId.get(id);
      return account ? copy(account) : null;
    },

    async get({ tenantId, accountId }) {
      lifecycle.assertOpen('get');
      const account = own(tenantId, accountId);
      return account ? copy(account) : null;
    },

    async list({ tenantId }) {
      lifecycle.assertOpen('list');
      return [...byId.values()]
        .filter((account) => account.tenantId === tenantId)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || compareIds(a.id, b.id))
        .map(copy);
    },

    async recordLogin({ tenantId, accountId, at }) {
      lifecycle.assertOpen('recordLogin');
      const account = own(tenantId, accountId);
      if (account) account.lastLoginAt = at;
    },
  };
}
