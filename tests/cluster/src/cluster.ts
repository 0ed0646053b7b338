import { createRuntime, loadConfig, type Runtime } from '@memnex/runtime';
import { createTestDatabase, type TestDatabase } from '@memnex/storage-postgres/testing';
import { startRedisServer, type RedisServer } from './services.js';

/** Engine runtimes configured alike on one fresh Postgres database and a private Redis. */
export interface Cluster {
  database: TestDatabase;
  redis: RedisServer;
  runtimes: Runtime[];
  /** A tenant created through the first runtime. */
  tenantId: string;
  /** Close the runtimes, stop Redis and drop the database. */
  close(): Promise<void>;
}

/** Start `instances` runtimes as the servers of one deployment would run, with one tenant. */
export async function startCluster(instances: number): Promise<Cluster> {
  const database = await createTestDatabase();
  const redis = await startRedisServer();
  const runtimes: Runtime[] = [];
  const close = async () => {
    for (const runtime of runtimes) await runtime.close();
    await redis.stop();
    await database.drop();
  };
  try {
    const config = loadConfig({
      MEMNEX_POSTGRES_URL: database.url,
      MEMNEX_REDIS_URL: redis.url,
      MEMNEX_EMBEDDINGS: 'hash',
      MEMNEX_AUDIT_KEY: 'cluster-tests-audit-key-0123456789',
      MEMNEX_PII_KEY: 'cluster-tests-pii-key-0123456789',
    });
    for (let count = 0; count < instances; count += 1) {
      runtimes.push(await createRuntime({ config }));
    }
    const { id: tenantId } = await runtimes[0]!.memnex.tenants.create({ name: 'cluster' });
    return { database, redis, runtimes, tenantId, close };
  } catch (error) {
    await close();
    throw error;
  }
}
