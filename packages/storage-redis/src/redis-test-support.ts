import { randomBytes } from 'node:crypto';
import type { LogFields, Logger } from '@memnex/core';
import { Redis } from 'ioredis';
import { beforeAll, describe } from 'vitest';
import { escapeGlob } from './hot-store-keys.js';

/** The Redis the tests use: `MEMNEX_TEST_REDIS_URL`, or a local default. */
export const TEST_REDIS_URL = process.env.MEMNEX_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A port nothing listens on, for failure tests. */
export const CLOSED_REDIS_URL = 'redis://127.0.0.1:1';

/** A raw client for test setup and inspection; close it with `disconnect()`. */
export function createTestClient(options: { connectionName?: string } = {}): Redis {
  const client = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 1,
    ...options,
  });
  client.on('error', () => undefined);
  return client;
}

/** Why the test Redis cannot be used, or null when it answers. */
async function probeTestRedis(): Promise<string | null> {
  const client = createTestClient();
  let connectionError: unknown = undefined;
  client.on('error', (error: unknown) => {
    connectionError ??= error;
  });
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    const cause = connectionError ?? error;
    return cause instanceof Error ? cause.message : String(cause);
  } finally {
    client.disconnect();
  }
}

const unavailable = await probeTestRedis();

/**
 * `describe` for tests that need a real Redis. When it is unreachable, the tests fail under
 * `CI=true` (a missing service must not pass silently) and are skipped, with the reason in their
 * name, everywhere else.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (unavailable === null) {
    describe(name, body);
    return;
  }
  const reason =
    `Redis is unreachable at ${TEST_REDIS_URL} (${unavailable}); ` +
    'start one or set MEMNEX_TEST_REDIS_URL';
  if (process.env.CI === 'true') {
    describe(name, () => {
      beforeAll(() => {
        throw new Error(`${reason}. CI requires Redis for these tests.`);
      });
      body();
    });
  } else {
    // Test support only: the reporter would otherwise show a bare "skipped" with no reason.
    // eslint-disable-next-line no-console
    console.warn(`[storage-redis] skipping "${name}": ${reason}`);
    describe.skip(`${name} (skipped: ${reason})`, body);
  }
}

/** A prefix no other test run uses, e.g. `memnex-test:bus:1f2e3d4c5b6a:`. */
export function uniquePrefix(label: string): string {
  return `memnex-test:${label}:${randomBytes(6).toString('hex')}:`;
}

/** Delete every key under `prefix`, names that are not UTF-8 included (read as bytes). */
export async function deleteKeysUnder(prefix: string): Promise<void> {
  if (unavailable !== null) return;
  const client = createTestClient();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scanBuffer(
        cursor,
        'MATCH',
        `${escapeGlob(prefix)}*`,
        'COUNT',
        500,
      );
      cursor = next.toString();
      if (keys.length > 0) await client.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** Poll an async `check` until it returns true or `timeoutMs` passes; fails on timeout. */
export async function pollUntil(
  check: () => Promise<boolean>,
  description: string,
  timeoutMs = 2000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** One line written to a {@link RecordingLogger}. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: LogFields | undefined;
}

/** A logger that keeps what it is told, for assertions. */
export interface RecordingLogger extends Logger {
  readonly lines: LogLine[];
}

/** A {@link RecordingLogger}; children write to the same lines. */
export function createRecordingLogger(): RecordingLogger {
  const lines: LogLine[] = [];
  const logger: RecordingLogger = {
    lines,
    debug: (message, fields) => lines.push({ level: 'debug', message, fields }),
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields) => lines.push({ level: 'error', message, fields }),
    child: () => logger,
  };
  return logger;
}
