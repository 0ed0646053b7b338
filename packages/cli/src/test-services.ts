import { connect } from 'node:net';
import { describeForServices, testPostgresUnavailable } from '@memnex/storage-postgres/testing';

/** The Redis of the server tests: `MEMNEX_TEST_REDIS_URL`, or a spare database of a local one. */
export const TEST_REDIS_URL = process.env.MEMNEX_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/9';

/** Resolves once a Redis server answers a PING; any answer will do, an error reply included. */
function pingRedis(url: string, timeoutMs = 2000): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`no answer within ${timeoutMs} ms`)),
    );
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

/** Why the servers cannot be used, or null when both answer. */
async function probe(): Promise<string | null> {
  const postgres = await testPostgresUnavailable();
  if (postgres !== null) return postgres;
  try {
    await pingRedis(TEST_REDIS_URL);
  } catch (error) {
    const where = new URL(TEST_REDIS_URL).host;
    const message = error instanceof Error ? error.message : String(error);
    return `Redis is unreachable at ${where} (${message}); set MEMNEX_TEST_REDIS_URL`;
  }
  return null;
}

/**
 * `describe` for tests that need a Postgres and a Redis server. Without them the tests fail
 * under `CI=true` (a missing service must not pass silently) and are skipped, with the reason in
 * their name, elsewhere.
 */
export const describeWithServices = describeForServices(await probe());
