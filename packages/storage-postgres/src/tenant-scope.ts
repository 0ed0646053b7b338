import { sql } from 'drizzle-orm';
import type { Database, Transaction } from './database.js';

/** The role every Memnex query runs as. It owns no table, so row-level security binds it. */
export const APP_ROLE = 'memnex_app';

/**
 * Whose rows a transaction may see: one tenant's, (to authenticate) the single API key with
 * this id, (for the state store's expiry sweep and history trimming) the state values and
 * changes of every tenant, which it may read and, for changes, delete, (for the retention
 * sweep) the memories of every tenant, read only, no tenant's rows at all (leases), (to
 * sign in to the console) the single account with this e-mail, or (for re-embedding) the index
 * entries and vectors of every tenant, which it may read and, for vectors, delete.
 */
export type Scope =
  | { tenantId: string }
  | { apiKeyId: string }
  | { stateSweep: true }
  | { memorySweep: true }
  | { noTenant: true }
  | { accountEmail: string }
  | { indexMaintenance: true };

/**
 * Run `work` in a transaction that acts as {@link APP_ROLE} and sees only the rows `scope`
 * allows. Every setting is transaction-local (`set_config(..., true)`), so nothing leaks to the
 * next user of a pooled connection. The clock settings make timestamps come back in UTC and
 * ISO form whatever the session defaults are, and notices (e.g. a search for stop words only)
 * are not sent to the client.
 */
export function inScope<Result>(
  database: Database,
  scope: Scope,
  work: (transaction: Transaction) => Promise<Result>,
): Promise<Result> {
  const tenantId = 'tenantId' in scope ? scope.tenantId : '';
  const apiKeyId = 'apiKeyId' in scope ? scope.apiKeyId : '';
  const stateSweep = 'stateSweep' in scope ? 'on' : '';
  const memorySweep = 'memorySweep' in scope ? 'on' : '';
  const accountEmail = 'accountEmail' in scope ? scope.accountEmail : '';
  const indexMaintenance = 'indexMaintenance' in scope ? 'on' : '';
  return database.transaction(async (transaction) => {
    await transaction.execute(
      sql`select set_config('role', ${APP_ROLE}, true),
        set_config('memnex.tenant_id', ${tenantId}, true),
        set_config('memnex.api_key_id', ${apiKeyId}, true),
        set_config('memnex.state_sweep', ${stateSweep}, true),
        set_config('memnex.memory_sweep', ${memorySweep}, true),
        set_config('memnex.account_email', ${accountEmail}, true),
        set_config('memnex.index_maintenance', ${indexMaintenance}, true),
        set_config('TimeZone', 'UTC', true),
        set_config('DateStyle', 'ISO', true),
        set_config('client_min_messages', 'warning', true)`,
    );
    return work(transaction);
  });
}
