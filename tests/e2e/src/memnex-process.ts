import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killSpawned, type Env } from '@memnex/cli/testing';

export {
  MEMNEX_BIN,
  memnexOk,
  runMemnex,
  spawnMemnex,
  startMcpHttpServer,
  startRestServer,
} from '@memnex/cli/testing';
export type { CommandResult, Env, HttpServer, MemnexProcess } from '@memnex/cli/testing';

/** The audit key every test server seals its ledger with, to check receipts independently. */
export const AUDIT_KEY = 'e2e-audit-key-0123456789abcdef';

/** The server-side environment of a test: hash embeddings, fixed keys, its own data dir. */
export function serverEnv(dataDir: string, extra: Env = {}): Env {
  return {
    PATH: process.env.PATH ?? '',
    HOME: dataDir,
    MEMNEX_DATA_DIR: join(dataDir, 'db'),
    MEMNEX_EMBEDDINGS: 'hash',
    MEMNEX_AUDIT_KEY: AUDIT_KEY,
    MEMNEX_PII_KEY: 'e2e-pii-key-0123456789abcdef',
    MEMNEX_LOG_LEVEL: 'warn',
    ...extra,
  };
}

const directories: string[] = [];

/** A fresh temporary directory, removed by {@link cleanUp}. */
export async function tempDir(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'memnex-e2e-'));
  directories.push(directory);
  return directory;
}

const deferred: Array<() => Promise<unknown> | unknown> = [];

/** Run `work` at {@link cleanUp}, before spawned processes are killed (e.g. close a client). */
export function defer(work: () => Promise<unknown> | unknown): void {
  deferred.push(work);
}

/** Close what was deferred, kill whatever a test left running, and remove its directories. */
export async function cleanUp(): Promise<void> {
  for (const work of deferred.splice(0).reverse()) {
    await Promise.resolve()
      .then(work)
      .catch(() => undefined);
  }
  await killSpawned();
  await Promise.all(
    directories.splice(0).map((path) => rm(path, { recursive: true, force: true })),
  );
}

/** Kill a process the SDK's stdio transport started, if it is still there. */
export function killPid(pid: number | null | undefined): void {
  if (!pid) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
