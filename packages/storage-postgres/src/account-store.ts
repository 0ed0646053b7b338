import type { AccountRecord, AccountStore, AccountStoreCapabilities } from '@memnex/core';
import { and, asc, eq } from 'drizzle-orm';
import { createStoreSession, type DatabaseHandle } from './database-handle.js';
import { accounts } from './schema.js';

type AccountRow = typeof accounts.$inferSelect;

function toAccount(row: AccountRow): AccountRecord {
  return {
    id: row.id,
    tenantId: row.tenantId,
    email: row.email,
    passwordHash: row.passwordHash,
    role: row.role,
    createdAt: row.createdAt,
    lastLoginAt: row.lastLoginAt ?? null,
  };
}

/**
 * The {@link AccountStore} on Postgres. Every method is one transaction scoped to its tenant by
 * row-level security; `findByEmail` is scoped to the one e-mail it looks up (see
 * `account_lookup` in the migrations), so signing in cannot list accounts.
 */
export function createPostgresAccountStore(
  handle: DatabaseHandle,
  capabilities: AccountStoreCapabilities,
): AccountStore {
  const session = createStoreSession(handle, 'Postgres account store');
  const { run } = session;

  return {
    capabilities,
    init: session.init,
    close: session.close,

    create: ({ account }) =>
      run('create', { tenantId: account.tenantId }, async (transaction) => {
        await transaction.insert(accounts).values(account);
      }),

    findByEmail: ({ email }) =>
      run('findByEmail', { accountEmail: email }, async (transaction) => {
        const [row] = await transaction.select().from(accounts).where(eq(accounts.email, email));
        return row ? toAccount(row) : null;
      }),

    get: ({ tenantId, accountId }) =>
      run('get', { tenantId }, async (transaction) => {
        const [row] = await transaction
          .select()
          .from(accounts)
          .where(and(eq(accounts.tenantId, tenantId), eq(accounts.id, accountId)));
        return row ? toAccount(row) : null;
      }),

    list: ({ tenantId }) =>
      run('list', { tenantId }, async (transaction) => {
        const rows = await transaction
          .select()
          .from(accounts)
          .where(eq(accounts.tenantId, tenantId))
          .orderBy(asc(accounts.createdAt), asc(accounts.id));
        return rows.map(toAccount);
      }),

    recordLogin: ({ tenantId, accountId, at }) =>
      run('recordLogin', { tenantId }, async (transaction) => {
        await transaction
          .update(accounts)
          .set({ lastLoginAt: at })
          .where(and(eq(accounts.tenantId, tenantId), eq(accounts.id, accountId)));
      }),
  };
}
