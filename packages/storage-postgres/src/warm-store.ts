import type { WarmStore, WarmStoreCapabilities } from '@memnex/core';
import { createStoreSession, type DatabaseHandle } from './database-handle.js';
import * as identifiers from './warm-identifiers.js';
import * as memories from './warm-memories.js';
import * as tenantsAndKeys from './warm-tenants-and-keys.js';
import { transferUserData } from './warm-transfer.js';
import * as users from './warm-users.js';

/**
 * The {@link WarmStore} on Postgres. Every method is one transaction scoped to its tenant by
 * row-level security (see `inScope`); `findApiKey` is scoped to the one key it looks up.
 */
export function createPostgresWarmStore(
  handle: DatabaseHandle,
  capabilities: WarmStoreCapabilities,
): WarmStore {
  const session = createStoreSession(handle, 'Postgres warm store');
  const { run } = session;
  const tenant = (tenantId: string) => ({ tenantId });

  return {
    capabilities,
    init: session.init,
    close: session.close,

    createTenant: (options) =>
      run('createTenant', tenant(options.tenant.id), (transaction) =>
        tenantsAndKeys.createTenant(transaction, options),
      ),
    getTenant: (options) =>
      run('getTenant', tenant(options.tenantId), (transaction) =>
        tenantsAndKeys.getTenant(transaction, options),
      ),
    updateTenant: (options) =>
      run('updateTenant', tenant(options.tenantId), (transaction) =>
        tenantsAndKeys.updateTenant(transaction, options),
      ),

    createApiKey: (options) =>
      run('createApiKey', tenant(options.tenantId), (transaction) =>
        tenantsAndKeys.createApiKey(transaction, options),
      ),
    findApiKey: (options) =>
      run('findApiKey', { apiKeyId: options.keyId }, (transaction) =>
        tenantsAndKeys.findApiKey(transaction, options),
      ),
    listApiKeys: (options) =>
      run('listApiKeys', tenant(options.tenantId), (transaction) =>
        tenantsAndKeys.listApiKeys(transaction, options),
      ),
    revokeApiKey: (options) =>
      run('revokeApiKey', tenant(options.tenantId), (transaction) =>
        tenantsAndKeys.revokeApiKey(transaction, options),
      ),
    touchApiKey: (options) =>
      run('touchApiKey', tenant(options.tenantId), (transaction) =>
        tenantsAndKeys.touchApiKey(transaction, options),
      ),

    getUser: (options) =>
      run('getUser', tenant(options.tenantId), (transaction) =>
        users.getUser(transaction, options),
      ),
    getUserById: (options) =>
      run('getUserById', tenant(options.tenantId), (transaction) =>
        users.getUserById(transaction, options),
      ),
    ensureUser: (options) =>
      run('ensureUser', tenant(options.tenantId), (transaction) =>
        users.ensureUser(transaction, options),
      ),
    deleteUser: (options) =>
      run('deleteUser', tenant(options.tenantId), (transaction) =>
        users.deleteUser(transaction, options),
      ),
    tenantStats: (options) =>
      run('tenantStats', tenant(options.tenantId), (transaction) =>
        users.tenantStats(transaction, options),
      ),
    listUsers: (options) =>
      run('listUsers', tenant(options.tenantId), (transaction) =>
        users.listUsers(transaction, options),
      ),

    findIdentifier: (options) =>
      run('findIdentifier', tenant(options.tenantId), (transaction) =>
        identifiers.findIdentifier(transaction, options),
      ),
    linkIdentifier: (options) =>
      run('linkIdentifier', tenant(options.tenantId), (transaction) =>
        identifiers.linkIdentifier(transaction, options),
      ),
    unlinkIdentifier: (options) =>
      run('unlinkIdentifier', tenant(options.tenantId), (transaction) =>
        identifiers.unlinkIdentifier(transaction, options),
      ),
    listIdentifiers: (options) =>
      run('listIdentifiers', tenant(options.tenantId), (transaction) =>
        identifiers.listIdentifiers(transaction, options),
      ),

    listMemories: (query) =>
      run('listMemories', tenant(query.tenantId), (transaction) =>
        memories.listMemories(transaction, query),
      ),
    getMemories: (options) =>
      run('getMemories', tenant(options.tenantId), (transaction) =>
        memories.getMemories(transaction, options),
      ),
    commitWrite: (commit) =>
      run('commitWrite', tenant(commit.tenantId), (transaction) =>
        memories.commitWrite(transaction, commit),
      ),
    deleteMemories: (options) =>
      run('deleteMemories', tenant(options.tenantId), (transaction) =>
        memories.deleteMemories(transaction, options),
      ),
    transferUserData: (transfer) =>
      run('transferUserData', tenant(transfer.tenantId), (transaction) =>
        transferUserData(transaction, transfer),
      ),
    getIdempotency: (options) =>
      run('getIdempotency', tenant(options.tenantId), (transaction) =>
        memories.getIdempotency(transaction, options),
      ),
    listExpiredMemories: (options) =>
      run('listExpiredMemories', { memorySweep: true }, (transaction) =>
        memories.listExpiredMemories(transaction, options),
      ),
  };
}
