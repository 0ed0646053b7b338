import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime, loadConfig, type Runtime } from '@memnex/runtime';
import { afterEach, beforeEach } from 'vitest';

/**
 * A fresh embedded data dir for every test of the file (removed afterwards), the server settings
 * that use it (the hash embedder, fixed keys, no logs), and a way to work on an engine over it
 * that is closed again so that a command can open the data dir.
 */
export function useDataDir(prefix: string) {
  let dataDir = '';
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });
  const env = () => ({
    MEMNEX_DATA_DIR: join(dataDir, 'db'),
    MEMNEX_EMBEDDINGS: 'hash',
    MEMNEX_AUDIT_KEY: 'cli-test-audit-key-0123456789',
    MEMNEX_PII_KEY: 'cli-test-pii-key-0123456789',
    MEMNEX_LOG_LEVEL: 'silent',
  });
  const withEngine = async <T>(work: (runtime: Runtime) => Promise<T>): Promise<T> => {
    const runtime = await createRuntime({ config: loadConfig(env()) });
    try {
      return await work(runtime);
    } finally {
      await runtime.close();
    }
  };
  return { env, withEngine, dataDir: () => dataDir };
}
