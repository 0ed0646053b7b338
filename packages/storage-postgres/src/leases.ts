import type { Leases } from '@memnex/core';
import { sql } from 'drizzle-orm';
import { createStoreSession, type DatabaseHandle } from './database-handle.js';
import { leases } from './schema.js';

const NO_TENANT = { noTenant: true } as const;

/**
 * {@link Leases} in the `leases` table. Taking a lease is one upsert that succeeds only when the
 * row is absent, lapsed or already the holder's; expiry is judged by the database clock, so
 * instances with skewed clocks agree on who holds a lease.
 */
export function createPostgresLeases(handle: DatabaseHandle, options: { shared: boolean }): Leases {
  const session = createStoreSession(handle, 'Postgres leases');
  const { run } = session;

  return {
    capabilities: { shared: options.shared },
    init: session.init,
    close: session.close,

    acquire: ({ name, holder, ttlMs }) =>
      run('acquire', NO_TENANT, async (transaction) => {
        const ttl = `${Math.max(0, Math.round(ttlMs))} milliseconds`;
        const rows = await transaction
          .insert(leases)
          .values({ name, holder, expiresAt: sql`now() + ${ttl}::interval` })
          .onConflictDoUpdate({
            target: leases.name,
            set: { holder, expiresAt: sql`now() + ${ttl}::interval` },
            where: sql`${leases.expiresAt} <= now() or ${leases.holder} = ${holder}`,
          })
          .returning({ holder: leases.holder });
        return rows.length === 1;
      }),

    release: ({ name, holder }) =>
      run('release', NO_TENANT, async (transaction) => {
        await transaction
          .delete(leases)
          .where(sql`${leases.name} = ${name} and ${leases.holder} = ${holder}`);
      }),
  };
}
