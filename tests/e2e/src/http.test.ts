import { createTenantWithKey } from '@memnex/cli/testing';
import { createTestDatabase } from '@memnex/storage-postgres/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startCuttingProxy } from './cutting-proxy.js';
import {
  alive,
  callError,
  callOk,
  connectHttp,
  connectStdio,
  INITIALIZE_REQUEST,
  receiptVerifies,
  until,
} from './mcp-clients.js';
import {
  AUDIT_KEY,
  cleanUp,
  defer,
  memnexOk,
  runMemnex,
  serverEnv,
  startMcpHttpServer,
  tempDir,
  type Env,
} from './memnex-process.js';
import {
  expectSurface,
  expectToolErrors,
  FACTS,
  searchAndTrace,
  VOICE,
  WHATSAPP,
  writeByVoiceReadByWhatsApp,
} from './scenario.js';

const MEMORY_SCOPES = 'memory:read,memory:write,memory:forget';

afterEach(cleanUp);

async function freshEnv(): Promise<Env> {
  return serverEnv(await tempDir());
}

async function createTenant(env: Env, name: string): Promise<string> {
  return (await memnexOk(['tenants', 'create', '--name', name], env)).trim();
}

async function createKey(env: Env, tenantId: string, ...extra: string[]): Promise<string> {
  const args = ['keys', 'create', '--tenant', tenantId, '--scopes', MEMORY_SCOPES, ...extra];
  return (await memnexOk(args, env)).trim();
}

/** A raw `initialize` POST, to see the HTTP status a key gets. */
async function initializeStatus(url: string, key: string): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${key}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify(INITIALIZE_REQUEST),
  });
  await response.body?.cancel();
  return response.status;
}

describe('serve mcp on Streamable HTTP', () => {
  it('serves two tenants, pushes updates across transports through the stdio bridge, and forgets', async () => {
    const env = await freshEnv();
    const tenantA = await createTenant(env, 'Tenant A');
    const tenantB = await createTenant(env, 'Tenant B');
    const keyA = await createKey(env, tenantA, '--label', 'whatsapp-agent');
    const voiceKeyA = await createKey(env, tenantA, '--label', 'voice-agent', '--channel', 'voice');
    const keyB = await createKey(env, tenantB);

    const server = await startMcpHttpServer(env);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/u);
    const http = await connectHttp(server.url, keyA, 'whatsapp');
    // The bridge shares the server's data dir: it must not open it, or it would fail on the lock.
    const bridge = await connectStdio({
      ...env,
      MEMNEX_URL: server.url,
      MEMNEX_SECRET_KEY: voiceKeyA,
      MEMNEX_CHANNEL: 'voice',
    });
    await expectSurface(http);
    await expectSurface(bridge);

    const linked = await callOk<{ userId: string }>(bridge, 'identity_link', {
      user_id: 'cust-42',
      link: VOICE,
    });
    expect(linked.userId).toBe('cust-42');
    const uri = 'memnex://users/cust-42/memories';

    // A write on stdio is pushed to the HTTP subscriber...
    await http.client.subscribeResource({ uri });
    const pushedToHttp = http.nextUpdate(uri);
    await writeByVoiceReadByWhatsApp(bridge);
    await pushedToHttp;

    // ...and a write on HTTP to the stdio subscriber.
    await bridge.client.subscribeResource({ uri });
    const pushedToStdio = bridge.nextUpdate(uri);
    await callOk(http, 'memory_write', {
      user_id: 'cust-42',
      facts: [
        { fact: 'Wants a replacement, not a refund', type: 'intent', entities: ['order:4521'] },
      ],
    });
    await pushedToStdio;

    const resource = await http.client.readResource({ uri });
    const text = resource.contents
      .map((content) => ('text' in content ? content.text : ''))
      .join('');
    expect(text).toContain('Order 4521 arrived damaged');
    expect(text).toContain('Wants a replacement, not a refund');
    await searchAndTrace(http);

    const tenantBSession = await connectHttp(server.url, keyB);
    for (const person of [
      { user_id: 'cust-42' },
      { identifier: WHATSAPP },
      { identifier: VOICE },
    ]) {
      const read = await callOk<{ items: unknown[] }>(tenantBSession, 'memory_read', person);
      expect(read.items).toEqual([]);
      const search = await callOk<{ hits: unknown[] }>(tenantBSession, 'memory_search', {
        ...person,
        query: 'order damaged',
      });
      expect(search.hits).toEqual([]);
    }
    const seenByB = await tenantBSession.client.readResource({ uri }).then(
      (result) =>
        result.contents.map((content) => ('text' in content ? content.text : '')).join(''),
      (error: unknown) => String(error),
    );
    expect(seenByB).not.toContain('4521');

    const receipt = await callOk<Record<string, unknown> & { deleted: { memories: number } }>(
      http,
      'memory_forget',
      { identifier: WHATSAPP },
    );
    expect(receipt).toMatchObject({ tenantId: tenantA, user: 'cust-42' });
    expect(receipt.deleted.memories).toBe(FACTS.length + 1);
    expect(receiptVerifies(receipt, AUDIT_KEY)).toBe(true);
    const afterForget = await callOk<{ items: unknown[] }>(bridge, 'memory_read', {
      user_id: 'cust-42',
    });
    expect(afterForget.items).toEqual([]);

    await bridge.client.close();
    await until(() => !alive(bridge.pid), 'the bridge to exit');
    await http.client.close();
    await tenantBSession.client.close();
    expect(await server.stop()).toBe(0);
    for (const tenantId of [tenantA, tenantB]) {
      const audit = await runMemnex(['audit', 'verify', '--tenant', tenantId], env);
      expect(audit.code, audit.stdout + audit.stderr).toBe(0);
    }
  });

  it('keeps keys across restarts, answers bad arguments with tool errors, and refuses a revoked key with 401', async () => {
    const env = await freshEnv();
    const tenantA = await createTenant(env, 'Tenant A');
    const tenantB = await createTenant(env, 'Tenant B');
    const keyA = await createKey(env, tenantA);
    const keyB = await createKey(env, tenantB);

    const first = await startMcpHttpServer(env);
    const before = await connectHttp(first.url, keyA);
    await callOk(before, 'memory_write', {
      user_id: 'u-1',
      facts: [{ fact: 'Speaks Welsh at home', type: 'profile', entities: ['language:welsh'] }],
    });
    await before.client.close();
    expect(await first.stop()).toBe(0);

    const second = await startMcpHttpServer(env);
    const after = await connectHttp(second.url, keyA);
    const read = await callOk<{ items: Array<{ text: string }> }>(after, 'memory_read', {
      user_id: 'u-1',
    });
    expect(read.items.map((item) => item.text)).toEqual(['Speaks Welsh at home']);
    await expectToolErrors(after);
    await after.client.close();
    expect(await second.stop()).toBe(0);

    const keyId = keyA.split('_')[2]!;
    await memnexOk(['keys', 'revoke', '--tenant', tenantA, keyId], env);
    const listed = JSON.parse(
      await memnexOk(['keys', 'list', '--tenant', tenantA, '--json'], env),
    ) as Array<{ id: string; revokedAt: string | null }>;
    expect(listed.find((key) => key.id === keyId)?.revokedAt).toEqual(expect.any(String));

    const third = await startMcpHttpServer(env);
    expect(await initializeStatus(third.url, keyA)).toBe(401);
    expect(await initializeStatus(third.url, 'mx_live_k00000000_not-a-key')).toBe(401);
    await expect(connectHttp(third.url, keyA)).rejects.toThrow();
    const tenantBSession = await connectHttp(third.url, keyB);
    await callOk(tenantBSession, 'memory_read', { user_id: 'u-1' });
    await tenantBSession.client.close();
    expect(await third.stop()).toBe(0);
  });

  it('answers tool calls with STORAGE_UNAVAILABLE while Postgres is unreachable, stays up, and serves again once it is back', async () => {
    const database = await createTestDatabase();
    defer(() => database.drop());
    const postgres = await startCuttingProxy(`http://${new URL(database.url).host}`);
    defer(() => postgres.close());
    const viaProxy = new URL(database.url);
    viaProxy.port = new URL(postgres.url).port;
    const env = serverEnv(await tempDir(), { MEMNEX_POSTGRES_URL: viaProxy.toString() });
    await memnexOk(['db', 'migrate'], env);
    const { key } = await createTenantWithKey(env, 'Tenant A', MEMORY_SCOPES.split(','));
    const server = await startMcpHttpServer(env);
    const session = await connectHttp(server.url, key);
    const fact = { fact: 'Speaks Welsh at home', type: 'profile' };
    await callOk(session, 'memory_write', { user_id: 'u-1', facts: [fact] });

    postgres.cut(Infinity);
    expect(await callError(session, 'memory_read', { user_id: 'u-2' })).toBe('STORAGE_UNAVAILABLE');
    expect(await callError(session, 'memory_search', { user_id: 'u-1', query: 'welsh' })).toBe(
      'STORAGE_UNAVAILABLE',
    );
    expect(server.child.exitCode).toBeNull();

    postgres.restore();
    await vi.waitFor(
      async () => {
        const { hits } = await callOk<{ hits: Array<{ text: string }> }>(session, 'memory_search', {
          user_id: 'u-1',
          query: 'welsh',
        });
        expect(hits.map((hit) => hit.text)).toEqual([fact.fact]);
      },
      { timeout: 30_000, interval: 200 },
    );
    await session.client.close();
    expect(await server.stop()).toBe(0);
  });
});
