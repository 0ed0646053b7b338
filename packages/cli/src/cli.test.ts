import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from './cli.js';
import { useDataDir } from './test-data-dir.js';
import { captureIo } from './test-io.js';

/** How long a server may take to announce itself, polled. */
const UNTIL_LISTENING = { timeout: 30_000, interval: 25 };

const { env: serverEnv, dataDir } = useDataDir('memnex-cli-');

describe('the command line', () => {
  it('prints its version', async () => {
    const { io, stdout } = captureIo();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(stdout()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('shows help with examples', async () => {
    const { io, stdout } = captureIo();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(stdout()).toContain('Examples:');
    expect(stdout()).toContain('memnex keys create');
  });

  it('exits 2 on an unknown command or a bad option, without a stack trace', async () => {
    const unknown = captureIo();
    expect(await runCli(['frobnicate'], unknown.io)).toBe(2);
    expect(unknown.stderr()).toContain("unknown command 'frobnicate'");
    const badPort = captureIo();
    expect(await runCli(['serve', 'mcp', '--port', 'eighty'], badPort.io)).toBe(2);
    expect(badPort.stderr()).toContain('must be a port number');
    expect(badPort.stderr()).not.toMatch(/\n\s+at /);
  });

  it('exits 2 when forget names no user, or two', async () => {
    const none = captureIo(serverEnv());
    expect(await runCli(['forget', '--tenant', 't_1'], none.io)).toBe(2);
    expect(none.stderr()).toContain('one of --user or --identifier is required');
    const both = captureIo(serverEnv());
    expect(
      await runCli(['forget', '--tenant', 't_1', '--user', 'u', '--identifier', 'sms:1'], both.io),
    ).toBe(2);
    const badIdentifier = captureIo(serverEnv());
    expect(
      await runCli(['export', '--tenant', 't_1', '--identifier', 'fax:123'], badIdentifier.io),
    ).toBe(2);
    expect(badIdentifier.stderr()).toContain('<channel>:<id>');
  });

  it('lists every configuration problem and exits 1', async () => {
    const { io, stderr } = captureIo({
      ...serverEnv(),
      MEMNEX_EMBEDDINGS: 'bogus',
      MEMNEX_REDIS_URL: 'not a url',
    });
    expect(await runCli(['db', 'migrate'], io)).toBe(1);
    const lines = stderr().trim().split('\n');
    expect(lines[0]).toBe('error: VALIDATION_FAILED invalid configuration');
    expect(lines.some((line) => line.includes('MEMNEX_EMBEDDINGS'))).toBe(true);
    expect(lines.some((line) => line.includes('MEMNEX_REDIS_URL'))).toBe(true);
  });

  it('refuses stdio without a key before opening any storage', async () => {
    const { io, stderr } = captureIo(serverEnv());
    expect(await runCli(['serve', 'mcp'], io)).toBe(1);
    expect(stderr()).toContain('MEMNEX_SECRET_KEY');
    expect(stderr()).toContain('MEMNEX_DEV_KEY=1');
    expect(existsSync(join(dataDir(), 'db'))).toBe(false);
  });

  it('refuses a channel that does not exist', async () => {
    const { io, stderr } = captureIo({ ...serverEnv(), MEMNEX_CHANNEL: 'fax' });
    expect(await runCli(['serve', 'mcp'], io)).toBe(1);
    expect(stderr()).toContain('MEMNEX_CHANNEL: must be one of voice, whatsapp');
  });

  it('needs a key to bridge to MEMNEX_URL', async () => {
    const { io, stderr } = captureIo({ MEMNEX_URL: 'http://127.0.0.1:9/mcp' });
    expect(await runCli(['serve', 'mcp'], io)).toBe(1);
    expect(stderr()).toContain('MEMNEX_SECRET_KEY: is required to reach MEMNEX_URL');
  });
});

describe('tenants, keys, audit and data on the embedded database', () => {
  it('migrates once, then is up to date', async () => {
    const first = captureIo(serverEnv());
    expect(await runCli(['db', 'migrate'], first.io)).toBe(0);
    expect(first.stdout()).toMatch(/applied \d+ migration\(s\)/);
    const second = captureIo(serverEnv());
    expect(await runCli(['db', 'migrate'], second.io)).toBe(0);
    expect(second.stdout()).toContain('is up to date');
  });

  it('creates a tenant and a key, lists and revokes it, and the chain verifies', async () => {
    const tenant = captureIo(serverEnv());
    expect(await runCli(['tenants', 'create', '--name', 'acme'], tenant.io)).toBe(0);
    const tenantId = tenant.stdout().trim();
    expect(tenantId).toMatch(/^t_[0-9a-f]{16}$/);

    const key = captureIo(serverEnv());
    const createArgs = ['keys', 'create', '--tenant', tenantId, '--label', 'bot'];
    expect(
      await runCli([...createArgs, '--scopes', 'memory:read', '--channel', 'sms'], key.io),
    ).toBe(0);
    const rawKey = key.stdout().trim();
    expect(rawKey).toMatch(/^mx_live_k[0-9a-f]{8}_/);
    expect(key.stdout().split('\n').filter(Boolean)).toHaveLength(1);
    expect(key.stderr()).toContain('shown this once');
    expect(key.stderr()).not.toContain(rawKey);
    const keyId = rawKey.split('_')[2]!;

    const list = captureIo(serverEnv());
    expect(await runCli(['keys', 'list', '--tenant', tenantId, '--json'], list.io)).toBe(0);
    const listed = JSON.parse(list.stdout()) as Array<Record<string, unknown>>;
    expect(listed).toEqual([
      expect.objectContaining({
        id: keyId,
        label: 'bot',
        scopes: ['memory:read'],
        revokedAt: null,
      }),
    ]);
    expect(list.stdout()).not.toContain(rawKey);

    const revoke = captureIo(serverEnv());
    expect(await runCli(['keys', 'revoke', '--tenant', tenantId, keyId], revoke.io)).toBe(0);
    expect(revoke.stdout()).toContain(`revoked ${keyId}`);

    const audit = captureIo(serverEnv());
    expect(await runCli(['audit', 'verify', '--tenant', tenantId, '--json'], audit.io)).toBe(0);
    expect(JSON.parse(audit.stdout())).toMatchObject({ ok: true, count: 3 });
  });

  it('creates keys with glob-scoped state scopes, and refuses a malformed one listing it', async () => {
    const tenant = captureIo(serverEnv());
    expect(await runCli(['tenants', 'create', '--name', 'team'], tenant.io)).toBe(0);
    const tenantId = tenant.stdout().trim();
    const scopes = 'state:read:team:*,state:write:team:task:*,state:schema:team:*';
    const key = captureIo(serverEnv());
    expect(
      await runCli(['keys', 'create', '--tenant', tenantId, '--scopes', scopes, '--json'], key.io),
    ).toBe(0);
    expect(JSON.parse(key.stdout())).toMatchObject({ scopes: scopes.split(',') });

    const bad = captureIo(serverEnv());
    const refused = ['keys', 'create', '--tenant', tenantId, '--scopes', 'state:read:has space'];
    expect(await runCli(refused, bad.io)).toBe(1);
    expect(bad.stderr()).toContain('scopes.0');
  });

  it('reports an unknown tenant as NOT_FOUND with exit code 1', async () => {
    const { io, stderr } = captureIo(serverEnv());
    expect(await runCli(['keys', 'list', '--tenant', 't_0000000000000000'], io)).toBe(1);
    expect(stderr()).toBe('error: NOT_FOUND tenant t_0000000000000000 not found\n');
  });

  it('forgets a user by identifier with a signed receipt, and exports nothing after', async () => {
    const tenant = captureIo(serverEnv());
    await runCli(['tenants', 'create', '--name', 'acme'], tenant.io);
    const tenantId = tenant.stdout().trim();
    const forget = captureIo(serverEnv());
    const args = ['forget', '--tenant', tenantId, '--identifier', 'whatsapp:wa:442079460958'];
    expect(await runCli(args, forget.io)).toBe(0);
    expect(JSON.parse(forget.stdout())).toMatchObject({
      tenantId,
      reason: 'gdpr_request',
      hash: expect.stringMatching(/^sha256:/),
      mac: expect.stringMatching(/^hmac-sha256:/),
    });
    const out = join(dataDir(), 'export.json');
    const exported = captureIo(serverEnv());
    expect(
      await runCli(['export', '--tenant', tenantId, '--user', 'u-1', '--out', out], exported.io),
    ).toBe(0);
    expect(exported.stdout()).toBe('');
    expect(exported.stderr()).toContain(`wrote 0 memories and 0 identifiers to ${out}`);
  });
});

describe('serve mcp --transport streamable-http', () => {
  it('announces its URL, prints the dev key on stderr only, and stops cleanly on SIGTERM', async () => {
    const { io, stdout, stderr, signals } = captureIo({ ...serverEnv(), MEMNEX_DEV_KEY: '1' });
    const running = runCli(['serve', 'mcp', '--transport', 'streamable-http', '--port', '0'], io);
    await vi.waitFor(
      () => expect(stderr()).toMatch(/memnex mcp listening on http:\/\/127\.0\.0\.1:\d+\/mcp\n/u),
      UNTIL_LISTENING,
    );
    expect(stderr()).toMatch(/memnex dev key: mx_test_k[0-9a-f]{8}_/u);
    const url = /listening on (\S+)/u.exec(stderr())![1]!;
    expect((await fetch(url, { method: 'POST' })).status).toBe(401);
    signals.emit('SIGTERM');
    expect(await running).toBe(0);
    expect(stdout()).toBe('');
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });
});

describe('serve rest', () => {
  it('refuses --workers 2 without Postgres and Redis, in one line, before opening any storage', async () => {
    const { io, stderr } = captureIo(serverEnv());
    expect(await runCli(['serve', 'rest', '--workers', '2'], io)).toBe(1);
    expect(stderr()).toBe(
      'error: VALIDATION_FAILED --workers 2 needs a Postgres and a Redis the workers share: set ' +
        'MEMNEX_POSTGRES_URL and MEMNEX_REDIS_URL (the embedded database and in-process caches ' +
        'belong to one process)\n',
    );
    expect(existsSync(join(dataDir(), 'db'))).toBe(false);
  });

  it('refuses MEMNEX_REST_WORKERS with a missing Redis and with the dev key, listing both', async () => {
    const { io, stderr } = captureIo({
      ...serverEnv(),
      MEMNEX_REST_WORKERS: '3',
      MEMNEX_POSTGRES_URL: 'postgres://memnex@127.0.0.1:1/memnex',
      MEMNEX_DEV_KEY: '1',
    });
    expect(await runCli(['serve', 'rest'], io)).toBe(1);
    const lines = stderr().trim().split('\n');
    expect(lines[0]).toBe('error: VALIDATION_FAILED invalid configuration');
    expect(lines[1]).toContain('MEMNEX_REST_WORKERS=3 needs a Postgres and a Redis');
    expect(lines[1]).toContain('set MEMNEX_REDIS_URL (');
    expect(lines[2]).toBe(
      '  - MEMNEX_DEV_KEY: cannot be used with MEMNEX_REST_WORKERS=3; create a key with ' +
        '`memnex keys create`',
    );
  });

  it('exits 2 on a --workers value that is neither auto nor a count', async () => {
    for (const bad of ['0', 'two', '']) {
      const { io, stderr } = captureIo(serverEnv());
      expect(await runCli(['serve', 'rest', '--workers', bad], io), bad).toBe(2);
      expect(stderr()).toContain('must be auto or a whole number');
    }
  });

  it('says which port is in use when it cannot listen, and exits 1', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const { io, stderr, signals } = captureIo(serverEnv());
      expect(await runCli(['serve', 'rest', '--port', String(port)], io)).toBe(1);
      expect(stderr()).toBe(
        `error: EADDRINUSE port ${port} on 127.0.0.1 is already in use; stop what listens ` +
          'there or choose another --port\n',
      );
      expect(signals.listenerCount('SIGTERM')).toBe(0);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('announces its URL, serves the API with the dev key, and stops cleanly on SIGTERM', async () => {
    const { io, stdout, stderr, signals } = captureIo({ ...serverEnv(), MEMNEX_DEV_KEY: '1' });
    const running = runCli(['serve', 'rest', '--port', '0'], io);
    await vi.waitFor(
      () =>
        expect(stderr()).toMatch(/memnex rest listening on http:\/\/127\.0\.0\.1:\d+ \(docs at /u),
      UNTIL_LISTENING,
    );
    const url = /rest listening on (\S+)/u.exec(stderr())![1]!;
    const key = /memnex dev key: (\S+)/u.exec(stderr())![1]!;
    expect((await fetch(`${url}/v1/tenant/stats`)).status).toBe(401);
    const stats = await fetch(`${url}/v1/tenant/stats`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(stats.status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    signals.emit('SIGTERM');
    expect(await running).toBe(0);
    expect(stdout()).toBe('');
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });
});
