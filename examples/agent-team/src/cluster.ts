import { randomBytes } from 'node:crypto';
import { createRestApp, serveRest, type RestServer } from '@memnex/rest-server';
import {
  createLogger,
  createRuntime,
  loadConfig,
  migrateDatabase,
  type Runtime,
} from '@memnex/runtime';

/** Where the two instances find their shared stores; the defaults are local servers. */
export const POSTGRES_URL =
  process.env.MEMNEX_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.MEMNEX_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Two Memnex REST instances on one Postgres and one Redis, and the team's keys. */
export interface TeamCluster {
  /** Base URLs of instance A and instance B. */
  urls: [string, string];
  keys: { planner: string; worker: string; summariser: string; monitor: string };
  close(): Promise<void>;
}

/**
 * Start two instances, each with its own engine, connection pools and caches, as two processes
 * behind a load balancer would run; they meet only in Postgres and Redis. Values live where
 * `stateStore` says. Each run gets a new tenant, so runs never see each other's keys.
 */
export async function startTeamCluster(
  options: { stateStore?: 'database' | 'redis' } = {},
): Promise<TeamCluster> {
  const env = {
    MEMNEX_POSTGRES_URL: POSTGRES_URL,
    MEMNEX_REDIS_URL: REDIS_URL,
    MEMNEX_STATE_STORE: options.stateStore ?? 'database',
    MEMNEX_EMBEDDINGS: 'none',
    MEMNEX_RATE_LIMIT: '0',
    // Both instances must sign and mask alike; a demo's keys need not outlive it.
    MEMNEX_AUDIT_KEY: randomBytes(32).toString('base64url'),
    MEMNEX_PII_KEY: randomBytes(32).toString('base64url'),
  };
  const logger = createLogger({ level: 'warn' });
  await migrateDatabase(loadConfig(env), { logger });
  const runtimes: Runtime[] = [];
  const servers: RestServer[] = [];
  try {
    for (let index = 0; index < 2; index += 1) {
      const runtime = await createRuntime({ config: loadConfig(env), logger });
      runtimes.push(runtime);
      servers.push(
        await serveRest({ rest: createRestApp({ memnex: runtime.memnex, logger }), port: 0 }),
      );
    }
    const { memnex } = runtimes[0]!;
    const { id: tenantId } = await memnex.tenants.create({
      name: `agent team ${new Date().toISOString()}`,
    });
    const key = async (label: string, scopes: string[]) =>
      (await memnex.keys.create({ tenantId, label, scopes })).key;
    return {
      urls: [servers[0]!.url, servers[1]!.url],
      keys: {
        planner: await key('planner', [
          'state:read:team:*',
          'state:write:team:*',
          'state:schema:team:*',
        ]),
        worker: await key('worker', ['state:read:team:*', 'state:write:team:task:*']),
        summariser: await key('summariser', ['state:read:team:*', 'state:write:team:summary']),
        monitor: await key('monitor', ['state:read:team:*']),
      },
      async close() {
        for (const server of servers) await server.close();
        for (const runtime of runtimes) await runtime.close();
      },
    };
  } catch (error) {
    for (const server of servers) await server.close().catch(() => undefined);
    for (const runtime of runtimes) await runtime.close().catch(() => undefined);
    throw error;
  }
}
