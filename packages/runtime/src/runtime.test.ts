import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { createRuntime, migrateDatabase, type Runtime } from './runtime.js';

const KEYS = {
  MEMNEX_AUDIT_KEY: 'runtime-test-audit-key-0123456789',
  MEMNEX_PII_KEY: 'runtime-test-pii-key-0123456789',
  MEMNEX_EMBEDDINGS: 'hash',
};

const open: Runtime[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const runtime of open.splice(0)) await runtime.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string>, storage?: 'memory') {
  const runtime = await createRuntime({ config: loadConfig({ ...KEYS, ...env }), storage });
  open.push(runtime);
  return runtime;
}

describe('createRuntime', () => {
  it('runs the engine in memory for tests', async () => {
    const { memnex, wiring } = await start({}, 'memory');
    expect(wiring.warm).toBe('memory');
    const { id: tenantId } = await memnex.tenants.create({ name: 'acme' });
    await memnex.write({
      tenantId,
      user: 'ann',
      facts: [{ type: 'intent', text: 'Wants a refund' }],
    });
    expect((await memnex.read({ tenantId, user: 'ann' })).items).toHaveLength(1);
  });

  it('builds the per-key rate limiter from MEMNEX_RATE_LIMIT, none when it is 0', async () => {
    const limited = await start({ MEMNEX_RATE_LIMIT: '2' }, 'memory');
    const first = await limited.rateLimiter!.consume('key:k1');
    await limited.rateLimiter!.consume('key:k1');
    const third = await limited.rateLimiter!.consume('key:k1');
    expect([first.allowed, third.allowed, first.limit]).toEqual([true, false, 2]);
    expect((await start({ MEMNEX_RATE_LIMIT: '0' }, 'memory')).rateLimiter).toBeNull();
  });

  it('reports every store call to the store observer', async () => {
    const calls: string[] = [];
    const runtime = await createRuntime({
      config: loadConfig(KEYS),
      storage: 'memory',
      storeObserver: (call) => calls.push(`${call.store}.${call.operation}`),
    });
    open.push(runtime);
    const { id: tenantId } = await runtime.memnex.tenants.create({ name: 'acme' });
    await runtime.memnex.read({ tenantId, user: 'ann' });
    expect(calls).toContain('warm.createTenant');
    expect(calls).toContain('warm.getUser');
  });

  // Starts embedded Postgres (WebAssembly) three times: allow for a loaded machine.
  it(
    'keeps everything in the embedded data dir across restarts, and owns it alone',
    { timeout: 120_000 },
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'memnex-runtime-'));
      dirs.push(dataDir);
      const first = await start({ MEMNEX_DATA_DIR: dataDir });
      expect(first.wiring).toMatchObject({ warm: 'pglite', semantic: 'pglite', audit: 'pglite' });
      const { id: tenantId } = await first.memnex.tenants.create({ name: 'acme' });
      await first.memnex.write({
        tenantId,
        user: { identifier: { channel: 'voice', id: '+91 92410 63955' } },
        facts: [{ type: 'issue', text: 'Order #4521 arrived damaged', entities: ['order:4521'] }],
      });
      await expect(start({ MEMNEX_DATA_DIR: dataDir })).rejects.toThrow(
        new RegExp(`pid ${process.pid}`, 'u'),
      );
      await first.close();
      open.splice(open.indexOf(first), 1);

      const second = await start({ MEMNEX_DATA_DIR: dataDir });
      const read = await second.memnex.read({
        tenantId,
        user: { identifier: { channel: 'whatsapp', id: 'wa:919241063955' } },
      });
      expect(read.items.map((item) => item.text)).toEqual(['Order #4521 arrived damaged']);
      expect(await second.memnex.audit.verify({ tenantId })).toMatchObject({ ok: true, count: 2 });
    },
  );

  it('migrates an embedded data dir once', { timeout: 60_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'memnex-migrate-'));
    dirs.push(dataDir);
    const config = loadConfig({ ...KEYS, MEMNEX_DATA_DIR: dataDir });
    const first = await migrateDatabase(config);
    expect(first.target).toBe('pglite');
    expect(first.applied.length).toBeGreaterThan(0);
    expect(await migrateDatabase(config)).toEqual({ target: 'pglite', applied: [] });
  });
});
