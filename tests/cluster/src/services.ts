import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import postgres from 'postgres';
import { describe, it } from 'vitest';

/** The Postgres server the tests create their databases on. */
export const TEST_POSTGRES_URL =
  process.env.MEMNEX_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The Redis server binary the tests start (and restart) themselves. */
const REDIS_SERVER = process.env.MEMNEX_TEST_REDIS_SERVER ?? 'redis-server';

/** A database made for one test file, dropped at the end. */
export async function createDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = postgres(TEST_POSTGRES_URL, { max: 1, connect_timeout: 5, onnotice: () => {} });
  const name = `memnex_cluster_${randomBytes(6).toString('hex')}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((settle) => server.listen(0, '127.0.0.1', settle));
  const { port } = server.address() as { port: number };
  await new Promise((settle) => server.close(settle));
  return port;
}

/** A private Redis server on a free port that a test may kill and start again. */
export interface RedisServer {
  url: string;
  /** SIGKILL: the data is gone, as after a crash of a Redis that keeps nothing on disk. */
  kill(): Promise<void>;
  /** Start it again on the same port. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    const started = spawn(
      REDIS_SERVER,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = started;
    await new Promise<void>((settle, fail) => {
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          started.stdout!.off('data', onData);
          started.stdout!.resume();
          settle();
        }
      };
      started.stdout!.on('data', onData);
      started.once('error', fail);
      started.once('exit', (code) => fail(new Error(`redis-server exited (${code}): ${output}`)));
    });
  };
  const kill = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((settle) => running.once('exit', settle));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, kill, start, stop: kill };
}

/** Why the services cannot be used, or null when they can. */
async function probe(): Promise<string | null> {
  const redis = spawnSync(REDIS_SERVER, ['--version']);
  if (redis.error) return `${REDIS_SERVER} cannot be started (${redis.error.message})`;
  const client = postgres(TEST_POSTGRES_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await client`select 1`;
    return null;
  } catch (error) {
    return `Postgres is unreachable at ${TEST_POSTGRES_URL} (${(error as Error).message})`;
  } finally {
    await client.end({ timeout: 1 });
  }
}

const unavailable = await probe();

/**
 * `describe` for tests that need Postgres and a Redis server binary. Without them the tests fail
 * under `CI=true` and are skipped, with the reason in their name, elsewhere.
 */
export function describeWithServices(name: string, body: () => void): void {
  if (unavailable === null) describe(name, body);
  else if (process.env.CI === 'true') {
    describe(name, () => {
      it('has its services', () => {
        throw new Error(unavailable);
      });
    });
  } else describe.skip(`${name} (skipped: ${unavailable})`, body);
}
