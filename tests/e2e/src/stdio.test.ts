import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  alive,
  callOk,
  connectStdio,
  INITIALIZE_REQUEST,
  receiptVerifies,
  until,
} from './mcp-clients.js';
import {
  AUDIT_KEY,
  cleanUp,
  runMemnex,
  serverEnv,
  spawnMemnex,
  tempDir,
  type Env,
} from './memnex-process.js';
import {
  expectSurface,
  expectToolErrors,
  searchAndTrace,
  WHATSAPP,
  writeByVoiceReadByWhatsApp,
} from './scenario.js';

afterEach(cleanUp);

async function devKeyOf(directory: string): Promise<{ tenantId: string; key: string }> {
  return JSON.parse(await readFile(join(directory, 'db', 'dev-key.json'), 'utf8')) as {
    tenantId: string;
    key: string;
  };
}

describe('serve mcp on stdio with MEMNEX_DEV_KEY=1', () => {
  it('serves the whole surface on the dev key, forgets with a receipt, and the ledger verifies', async () => {
    const directory = await tempDir();
    const env = serverEnv(directory, { MEMNEX_DEV_KEY: '1', MEMNEX_CHANNEL: 'voice' });
    const session = await connectStdio(env);
    await until(() => session.stderr().includes('memnex dev key: mx_test_'), 'the dev key');

    await expectSurface(session);
    await writeByVoiceReadByWhatsApp(session);
    await searchAndTrace(session);
    await expectToolErrors(session);

    const receipt = await callOk<Record<string, unknown> & { deleted: { memories: number } }>(
      session,
      'memory_forget',
      { identifier: WHATSAPP, reason: 'gdpr_request' },
    );
    expect(receipt.deleted.memories).toBe(2);
    expect(receiptVerifies(receipt, AUDIT_KEY)).toBe(true);
    const after = await callOk<{ items: unknown[] }>(session, 'memory_read', {
      identifier: WHATSAPP,
    });
    expect(after.items).toEqual([]);

    await session.client.close();
    await until(() => !alive(session.pid), 'the stdio server to exit');
    const devKey = await devKeyOf(directory);
    expect(receipt.tenantId).toBe(devKey.tenantId);
    const audit = await runMemnex(['audit', 'verify', '--tenant', devKey.tenantId], env);
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.stdout).toContain('verifies');
  });

  it('writes only JSON-RPC on stdout, the dev key on stderr, and reuses the key on the next boot', async () => {
    const directory = await tempDir();
    const env = serverEnv(directory, { MEMNEX_DEV_KEY: '1', MEMNEX_LOG_LEVEL: 'debug' });

    const boot = async (environment: Env) => {
      const run = spawnMemnex(['serve', 'mcp'], environment, { stdin: 'pipe' });
      const send = (message: object) => run.child.stdin!.write(`${JSON.stringify(message)}\n`);
      send(INITIALIZE_REQUEST);
      await until(() => run.stdout().includes('"id":1'), 'the initialize response');
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      send({
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: {
          name: 'memory_write',
          arguments: { user_id: 'raw-user', facts: [{ fact: 'Lives in Leeds', type: 'profile' }] },
        },
      });
      await until(() => run.stdout().includes('"id":2'), 'the tools/call response');
      run.child.stdin!.end();
      return { code: await run.exit, stdout: run.stdout(), stderr: run.stderr() };
    };

    const first = await boot(env);
    expect(first.code, first.stderr).toBe(0);
    const lines = first.stdout.split('\n').filter((line) => line !== '');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    }
    const devKey = await devKeyOf(directory);
    expect(first.stderr).toContain(`memnex dev key: ${devKey.key}`);
    expect(first.stdout).not.toContain(devKey.key);
    expect(first.stdout).not.toContain('mx_test_');
    expect((await stat(join(directory, 'db', 'dev-key.json'))).mode & 0o777).toBe(0o600);

    const second = await boot(env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`memnex dev key: ${devKey.key}`);
    expect(second.stderr).toContain(`reused for dev tenant ${devKey.tenantId}`);
  });

  it('refuses a key that does not verify with exit 1 and a clear error', async () => {
    const env = serverEnv(await tempDir(), { MEMNEX_SECRET_KEY: 'mx_live_k00000000_nope' });
    const result = await runMemnex(['serve', 'mcp'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: UNAUTHENTICATED .*MEMNEX_SECRET_KEY/mu);
    expect(result.stdout).toBe('');
  });
});
