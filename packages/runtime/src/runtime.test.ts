import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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

/**
 * A stand-in for the Presidio analyzer: names "Ravi Kumar" and the place "Pune", with offsets in
 * code points as Presidio counts them; or a 500 when `failing`.
 */
async function startPresidio() {
  const presidio = { url: '', failing: false, calls: 0, server: undefined as unknown as Server };
  presidio.server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      presidio.calls += 1;
      if (presidio.failing) return void response.writeHead(500).end();
      const { text } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text: string };
      const found = [...text.matchAll(/Ravi Kumar|Pune/g)].map((match) => ({
        entity_type: match[0] === 'Pune' ? 'LOCATION' : 'PERSON',
        start: Array.from(text.slice(0, match.index)).length,
        end: Array.from(text.slice(0, match.index + match[0].length)).length,
        score: 0.85,
      }));
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(found));
    });
  });
  await new Promise<void>((resolve) => presidio.server.listen(0, '127.0.0.1', resolve));
  presidio.url = `http://127.0.0.1:${(presidio.server.address() as AddressInfo).port}`;
  return presidio;
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

  describe('with MEMNEX_PRESIDIO_URL', () => {
    let presidio: Awaited<ReturnType<typeof startPresidio>>;
    beforeAll(async () => {
      presidio = await startPresidio();
    });
    afterAll(() => new Promise((resolve) => presidio.server.close(resolve)));
    const token = '[0-9a-f]{12}';

    it('masks the names and places the analyzer finds, beside the built-in findings', async () => {
      presidio.failing = false;
      const runtime = await start({ MEMNEX_PRESIDIO_URL: presidio.url }, 'memory');
      const { id: tenantId } = await runtime.memnex.tenants.create({ name: 'acme' });
      await runtime.memnex.write({
        tenantId,
        user: 'ann',
        facts: [{ type: 'profile', text: '🙂 Ravi Kumar moved to Pune, call +91 92410 63955' }],
      });
      const [item] = (await runtime.memnex.read({ tenantId, user: 'ann' })).items;
      expect(item!.text).toMatch(
        new RegExp(
          `^🙂 \\[PERSON:${token}\\] moved to \\[LOCATION:${token}\\], call \\[PHONE:${token}\\]$`,
          'u',
        ),
      );
      expect(runtime.piiAnalyzer!.stats()).toMatchObject({ calls: 1, failures: 0 });
      expect((await start({}, 'memory')).piiAnalyzer).toBeNull();
    });

    it('writes with the built-in detectors when the analyzer fails, or refuses in reject mode', async () => {
      presidio.failing = true;
      const lenient = await start({ MEMNEX_PRESIDIO_URL: presidio.url }, 'memory');
      const { id: tenantId } = await lenient.memnex.tenants.create({ name: 'acme' });
      const fact = { type: 'profile' as const, text: 'Ravi Kumar, +91 92410 63955' };
      await lenient.memnex.write({ tenantId, user: 'ann', facts: [fact] });
      const [item] = (await lenient.memnex.read({ tenantId, user: 'ann' })).items;
      expect(item!.text).toMatch(new RegExp(`^Ravi Kumar, \\[PHONE:${token}\\]$`));
      expect(lenient.piiAnalyzer!.stats()).toMatchObject({
        failures: 1,
        lastFailure: { reason: 'status' },
      });

      const strict = await start(
        { MEMNEX_PRESIDIO_URL: presidio.url, MEMNEX_PRESIDIO_ON_FAILURE: 'reject' },
        'memory',
      );
      const other = await strict.memnex.tenants.create({ name: 'acme' });
      await expect(
        strict.memnex.write({ tenantId: other.id, user: 'ann', facts: [fact] }),
      ).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE', details: { reason: 'status' } });
      expect((await strict.memnex.read({ tenantId: other.id, user: 'ann' })).items).toEqual([]);
    });
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

describe('raw-text extraction', () => {
  it('asks the configured model and falls back to the rules when it fails', async () => {
    const paths: string[] = [];
    const model = createServer((request, response) => {
      paths.push(request.url ?? '');
      request.resume();
      request.on('end', () => response.writeHead(500).end('{"error":"down"}'));
    });
    await new Promise<void>((resolve) => model.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = model.address() as AddressInfo;
      const runtime = await start(
        {
          MEMNEX_EXTRACTOR: 'llm',
          MEMNEX_LLM_PROVIDER: 'openai',
          MEMNEX_LLM_URL: `http://127.0.0.1:${port}/v1`,
          MEMNEX_LLM_MODEL: 'test-model',
        },
        'memory',
      );
      const { id: tenantId } = await runtime.memnex.tenants.create({ name: 'acme' });
      const result = await runtime.memnex.write({
        tenantId,
        user: 'priya',
        rawText: 'My order #4521 arrived damaged.',
      });
      expect(paths).toEqual(['/v1/chat/completions']);
      expect(result.extraction).toMatchObject({
        extractor: 'rules',
        facts: 1,
        fallback: { from: 'llm', code: 'HTTP_ERROR' },
      });
    } finally {
      model.closeAllConnections();
      await new Promise((resolve) => model.close(resolve));
    }
  });
});
