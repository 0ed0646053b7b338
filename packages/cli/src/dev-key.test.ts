import { stat, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime, loadConfig, type Runtime } from '@memnex/runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { devKeyPath, ensureDevKey } from './dev-key.js';

let dataDir: string;
let runtime: Runtime;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'memnex-dev-key-'));
  const config = loadConfig({ MEMNEX_EMBEDDINGS: 'hash', MEMNEX_DATA_DIR: dataDir });
  runtime = await createRuntime({ config, storage: 'memory' });
});

afterEach(async () => {
  await runtime.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('ensureDevKey', () => {
  it('creates a dev tenant and an admin key, stored for its owner only', async () => {
    const devKey = await ensureDevKey(runtime.memnex, dataDir);
    expect(devKey.created).toBe(true);
    const verified = await runtime.memnex.keys.verify({ key: devKey.key });
    expect(verified).toMatchObject({ tenantId: devKey.tenantId, scopes: ['admin'] });
    expect((await runtime.memnex.tenants.get({ tenantId: devKey.tenantId }))?.name).toBe('dev');
    const stored = JSON.parse(await readFile(devKeyPath(dataDir), 'utf8')) as unknown;
    expect(stored).toEqual({ tenantId: devKey.tenantId, keyId: devKey.keyId, key: devKey.key });
    expect((await stat(devKeyPath(dataDir))).mode & 0o777).toBe(0o600);
  });

  it('reuses the stored key while it verifies', async () => {
    const first = await ensureDevKey(runtime.memnex, dataDir);
    const second = await ensureDevKey(runtime.memnex, dataDir);
    expect(second).toMatchObject({ created: false, key: first.key, tenantId: first.tenantId });
  });

  it('makes a new key in the same tenant once the stored one is revoked', async () => {
    const first = await ensureDevKey(runtime.memnex, dataDir);
    await runtime.memnex.keys.revoke({ tenantId: first.tenantId, keyId: first.keyId });
    const second = await ensureDevKey(runtime.memnex, dataDir);
    expect(second.created).toBe(true);
    expect(second.tenantId).toBe(first.tenantId);
    expect(second.key).not.toBe(first.key);
  });

  it('starts afresh from a damaged file', async () => {
    await writeFile(devKeyPath(dataDir), '{"tenantId": "not a tenant!", "keyId": 1');
    const devKey = await ensureDevKey(runtime.memnex, dataDir);
    expect(devKey.created).toBe(true);
    await expect(runtime.memnex.keys.verify({ key: devKey.key })).resolves.toBeTruthy();
  });
});
