import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { describeForServices, testPostgresUnavailable } from '@memnex/storage-postgres/testing';

/** The Redis server binary the tests start (and restart) themselves. */
const REDIS_SERVER = process.env.MEMNEX_TEST_REDIS_SERVER ?? 'redis-server';

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
  return testPostgresUnavailable();
}

/**
 * `describe` for tests that need Postgres and a Redis server binary. Without them the tests fail
 * under `CI=true` and are skipped, with the reason in their name, elsewhere.
 */
export const describeWithServices = describeForServices(await probe());
