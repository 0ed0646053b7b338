import {
  runAccountStoreConformance,
  runAuditLogConformance,
  runLeasesConformance,
  runSemanticIndexConformance,
  runStateStoreConformance,
  runUsageStoreConformance,
  runWarmStoreConformance,
} from '@memnex/storage-conformance';
import { afterAll, describe, expect, it } from 'vitest';
import { createPglite } from './pglite-database.js';
import { createPostgresStores } from './postgres-stores.js';
import { describeRowLevelSecurity } from './testing/row-level-security-tests.js';
import { describeStorageDetails } from './testing/storage-details-tests.js';

// One PGlite for the whole file: every test works in fresh random tenants, so the tests are
// isolated by tenant exactly as production traffic is.
const client = await createPglite();
afterAll(() => client.close());

const stores = () => createPostgresStores({ client });

runWarmStoreConformance({ name: 'pglite', create: () => stores().warm });
runSemanticIndexConformance({ name: 'pglite', create: () => stores().semantic });
runAuditLogConformance({ name: 'pglite', create: () => stores().audit });
runStateStoreConformance({ name: 'pglite', create: () => stores().state });
runLeasesConformance({ name: 'pglite', create: () => stores().leases });
runAccountStoreConformance({ name: 'pglite', create: () => stores().accounts });
runUsageStoreConformance({ name: 'pglite', create: () => stores().usage });
describeRowLevelSecurity('pglite', () => client);
describeStorageDetails('pglite', () => client);

describe('pglite features', () => {
  it('searches vectors with pgvector, which PGlite ships', async () => {
    const { semantic } = stores();
    expect(semantic.vectorSearch).toBeNull();
    await semantic.init();
    expect(semantic.vectorSearch).toBe('pgvector');
    await semantic.close();
  });

  it('is neither durable nor shared in memory', () => {
    expect(stores().warm.capabilities).toEqual({ durable: false, shared: false });
    expect(stores().audit.capabilities).toEqual({ durable: false });
    expect(stores().state.capabilities).toEqual({ durable: false, shared: false });
  });
});
