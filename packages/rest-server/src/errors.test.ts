import { MemnexError } from '@memnex/core';
import { createMemoryRateLimiter, createMemoryStores } from '@memnex/storage-memory';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStoreFaults } from './test/faulty-stores.js';
import { createFixture, keyIdOf, type Fixture } from './test/fixture.js';
import { createRecordingLogger } from './test/recording-logger.js';

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** The status and error body of a failed response. */
async function failure(response: Response): Promise<{ status: number } & ErrorBody> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/u);
  const body = (await response.json()) as ErrorBody;
  return { status: response.status, ...body };
}

const FACT = { text: 'Wants to upgrade to the Pro plan', type: 'intent' } as const;
const WRITE = { user: 'u-1', facts: [FACT] };

let fixture: Fixture;
beforeAll(async () => {
  fixture = await createFixture();
});

describe('authentication', () => {
  it('answers 401 without a key', async () => {
    const reply = await failure(
      await fixture.call('POST', '/v1/memory/read', { key: null, body: { user: 'u-1' } }),
    );
    expect(reply).toMatchObject({ status: 401, error: { code: 'UNAUTHENTICATED' } });
  });

  it('answers 401 to an Authorization header that is not Bearer', async () => {
    const reply = await failure(
      await fixture.call('POST', '/v1/memory/read', {
        key: null,
        body: { user: 'u-1' },
        headers: { authorization: 'Basic x' },
      }),
    );
    expect(reply).toMatchObject({ status: 401, error: { code: 'UNAUTHENTICATED' } });
  });

  it('answers 401 to a malformed, an unknown and a revoked key', async () => {
    const unknown = fixture.keys.reader.replace(/_k[0-9a-f]{8}_/u, '_k00000000_');
    const created = await fixture.memnex.keys.create({
      tenantId: fixture.tenantId,
      label: 'soon revoked',
      scopes: ['memory:read'],
    });
    const before = await fixture.call('POST', '/v1/memory/read', {
      key: created.key,
      body: { user: 'u-1' },
    });
    expect(before.status).toBe(200);
    await fixture.memnex.keys.revoke({ tenantId: fixture.tenantId, keyId: keyIdOf(created.key) });

    for (const key of ['not-a-key', unknown, `${fixture.keys.reader}x`, created.key]) {
      const reply = await failure(
        await fixture.call('POST', '/v1/memory/read', { key, body: { user: 'u-1' } }),
      );
      expect(reply, key).toMatchObject({ status: 401, error: { code: 'UNAUTHENTICATED' } });
    }
  });

  it('takes the key from x-api-key too', async () => {
    const response = await fixture.call('POST', '/v1/memory/read', {
      key: null,
      body: { user: 'u-1' },
      headers: { 'x-api-key': fixture.keys.reader },
    });
    expect(response.status).toBe(200);
  });
});

describe('authorisation', () => {
  it('answers 403 naming the scope a key lacks', async () => {
    const reply = await failure(
      await fixture.call('POST', '/v1/memory/write', { key: fixture.keys.reader, body: WRITE }),
    );
    expect(reply).toMatchObject({
      status: 403,
      error: { code: 'FORBIDDEN', details: { needed: 'memory:write' } },
    });
    const admin = await failure(
      await fixture.call('GET', '/v1/keys', { key: fixture.keys.writer }),
    );
    expect(admin).toMatchObject({
      status: 403,
      error: { code: 'FORBIDDEN', details: { needed: 'admin' } },
    });
  });

  it('keeps a pinned key to its own user', async () => {
    const own = await fixture.call('POST', '/v1/memory/write', {
      key: fixture.keys.pinned,
      body: { user: 'pinned-user', facts: [FACT] },
    });
    expect(own.status).toBe(200);
    const implicit = await fixture.call('POST', '/v1/memory/read', {
      key: fixture.keys.pinned,
      body: { user: { userId: 'pinned-user' } },
    });
    expect(implicit.status).toBe(200);

    for (const path of ['/v1/memory/write', '/v1/memory/read', '/v1/memory/export']) {
      const body = path.endsWith('write') ? WRITE : { user: 'u-1' };
      const reply = await failure(
        await fixture.call('POST', path, { key: fixture.keys.pinned, body }),
      );
      expect(reply, path).toMatchObject({ status: 403, error: { code: 'FORBIDDEN' } });
    }
  });

  it("does not tell a pinned key whose an identifier is, unless it is its own user's", async () => {
    const own = { channel: 'whatsapp', id: 'wa:447700900001' };
    const other = { channel: 'whatsapp', id: 'wa:447700900002' };
    await fixture.call('POST', '/v1/identifiers/link', {
      body: { identifier: own, user: 'pinned-user' },
    });
    await fixture.call('POST', '/v1/identifiers/link', {
      body: { identifier: other, user: 'u-2' },
    });
    const resolve = (identifier: object) =>
      fixture.call('POST', '/v1/identifiers/resolve', {
        key: fixture.keys.pinned,
        body: { identifier },
      });
    expect(await (await resolve(own)).json()).toEqual({ userId: 'pinned-user' });
    expect(await failure(await resolve(other))).toMatchObject({
      status: 403,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('refuses a pinned key on whole-tenant routes', async () => {
    for (const path of ['/v1/tenant/stats', '/v1/audit/entries', '/v1/audit/verify']) {
      const reply = await failure(await fixture.call('GET', path, { key: fixture.keys.pinned }));
      expect(reply, path).toMatchObject({ status: 403, error: { code: 'FORBIDDEN' } });
    }
  });
});

/** `POST /v1/memory/write` with the admin key of `target` and a body sent as it is. */
function postWrite(
  target: Fixture,
  body: string | ReadableStream<Uint8Array> | undefined,
  headers: Record<string, string> = {},
): Promise<Response> {
  return Promise.resolve(
    target.rest.app.request('/v1/memory/write', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${target.keys.admin}`,
        'content-type': 'application/json',
        ...headers,
      },
      ...(body === undefined ? {} : { body }),
      // A streamed body must say so; other bodies ignore it.
      duplex: 'half',
    } as RequestInit),
  );
}

describe('request validation', () => {
  it('answers 400 to a body that is not JSON', async () => {
    const reply = await failure(await postWrite(fixture, '{"user": "u-1", facts: ['));
    expect(reply).toMatchObject({ status: 400, error: { code: 'VALIDATION_FAILED' } });
  });

  it('answers 400 to a missing or blank body', async () => {
    for (const body of [undefined, '', '  \n']) {
      const reply = await failure(await postWrite(fixture, body));
      expect(reply, JSON.stringify(body)).toMatchObject({
        status: 400,
        error: { code: 'VALIDATION_FAILED' },
      });
    }
  });

  it('refuses unknown body fields, so engine fields cannot be injected, and writes nothing', async () => {
    // A fresh tenant pair, so that the counts below see nothing but this test's requests.
    const fresh = await createFixture();
    const injected = [
      { actor: 'system' },
      { tenantId: fresh.otherTenantId },
      { callerScopes: ['admin'] },
      { surprise: true },
    ];
    for (const extra of injected) {
      const reply = await failure(
        await fresh.call('POST', '/v1/memory/write', {
          body: { user: 'injected', facts: [FACT], ...extra },
        }),
      );
      expect(reply, JSON.stringify(extra)).toMatchObject({
        status: 400,
        error: { code: 'VALIDATION_FAILED' },
      });
      const issues = reply.error.details?.issues as Array<{ code: string }>;
      expect(issues.map((issue) => issue.code)).toContain('unrecognized_keys');
    }
    const read = await fresh.call('POST', '/v1/memory/read', { body: { user: 'injected' } });
    expect(((await read.json()) as { items: unknown[] }).items).toEqual([]);
    const exported = await fresh.call('POST', '/v1/memory/export', {
      body: { user: 'injected' },
    });
    expect(((await exported.json()) as { user: unknown; memories: unknown[] }).user).toBeNull();
    for (const tenantId of [fresh.tenantId, fresh.otherTenantId]) {
      const stats = await fresh.memnex.tenants.stats({ tenantId });
      expect(stats.memories.current, tenantId).toBe(0);
    }
  });

  it('answers 400 to a bad X-Memnex-Channel', async () => {
    const reply = await failure(
      await fixture.call('POST', '/v1/memory/read', {
        body: { user: 'u-1' },
        headers: { 'x-memnex-channel': 'pigeon' },
      }),
    );
    expect(reply).toMatchObject({ status: 400, error: { code: 'VALIDATION_FAILED' } });
    expect(reply.error.details?.issues).toEqual([
      expect.objectContaining({ path: 'X-Memnex-Channel' }),
    ]);
  });

  it('answers 400 to a bad query parameter, with its path under query.', async () => {
    const reply = await failure(await fixture.call('GET', '/v1/audit/entries?limit=abc'));
    expect(reply).toMatchObject({ status: 400, error: { code: 'VALIDATION_FAILED' } });
    const issues = reply.error.details?.issues as Array<{ path: string }>;
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) expect(issue.path).toMatch(/^query\./u);
    expect(issues[0]!.path).toBe('query.limit');
  });
});

describe('body size', () => {
  let small: Fixture;
  beforeAll(async () => {
    small = await createFixture({ maxBodyBytes: 2048 });
  });
  const big = JSON.stringify({ user: 'u-1', facts: [{ ...FACT, text: 'x'.repeat(4000) }] });

  it('answers 413 when Content-Length is over the limit', async () => {
    const reply = await failure(
      await postWrite(small, big, { 'content-length': String(Buffer.byteLength(big)) }),
    );
    expect(reply).toMatchObject({
      status: 413,
      error: { code: 'PAYLOAD_TOO_LARGE', details: { maxBytes: 2048 } },
    });
  });

  it('answers 413 when a chunked body grows over the limit', async () => {
    const chunk = new TextEncoder().encode(big.slice(0, 1000));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Far more than the limit in total, so the server must stop reading on its own.
        if (sent >= 10) return controller.close();
        sent += 1;
        controller.enqueue(chunk);
      },
    });
    const reply = await failure(await postWrite(small, body, { 'transfer-encoding': 'chunked' }));
    expect(reply).toMatchObject({ status: 413, error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(sent).toBeLessThan(10);
  });

  it('accepts a body under the limit, streamed or not', async () => {
    const ok = JSON.stringify(WRITE);
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(ok));
        controller.close();
      },
    });
    const response = await postWrite(small, streamed);
    expect(response.status).toBe(200);
    expect((await small.call('POST', '/v1/memory/write', { body: WRITE })).status).toBe(200);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once a key spent its allowance, per key', async () => {
    const limited = await createFixture({
      rateLimiter: createMemoryRateLimiter({ points: 3, durationSeconds: 60 }),
    });
    const read = (key: string) =>
      limited.call('POST', '/v1/memory/read', { key, body: { user: 'u-1' } });
    const remaining: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const response = await read(limited.keys.reader);
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-limit')).toBe('3');
      remaining.push(response.headers.get('ratelimit-remaining')!);
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const denied = await read(limited.keys.reader);
    const retryAfter = Number(denied.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(denied.headers.get('ratelimit-remaining')).toBe('0');
    expect(denied.headers.get('ratelimit-reset')).not.toBeNull();
    expect(await failure(denied)).toMatchObject({
      status: 429,
      error: { code: 'RATE_LIMITED', details: { retryAfterSeconds: retryAfter } },
    });

    const other = await read(limited.keys.writer);
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit-remaining')).toBe('2');
  });
});

describe('routing and request ids', () => {
  it('answers 404 NOT_FOUND to an unknown route, inside and outside /v1', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['GET', '/v1/nope'],
      ['GET', '/v1/memory/write'],
    ] as const) {
      const reply = await failure(await fixture.call(method, path));
      expect(reply, path).toMatchObject({ status: 404, error: { code: 'NOT_FOUND' } });
    }
  });

  it('puts an X-Request-Id on every answer and echoes the one it is given', async () => {
    const responses = await Promise.all([
      fixture.call('GET', '/healthz', { key: null }),
      fixture.call('POST', '/v1/memory/read', { body: { user: 'u-1' } }),
      fixture.call('POST', '/v1/memory/read', { key: null, body: { user: 'u-1' } }),
      fixture.call('GET', '/nope'),
      fixture.call('POST', '/v1/memory/write', { body: '{' }),
    ]);
    expect(responses.map((response) => response.status)).toEqual([200, 200, 401, 404, 400]);
    const ids = responses.map((response) => response.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(/\S/u);
    expect(new Set(ids).size).toBe(ids.length);

    for (const key of [fixture.keys.reader, null]) {
      const echoed = await fixture.call('POST', '/v1/memory/read', {
        key,
        body: { user: 'u-1' },
        headers: { 'x-request-id': 'trace-abc-123' },
      });
      expect(echoed.headers.get('x-request-id')).toBe('trace-abc-123');
    }
  });
});

describe('CORS', () => {
  it('sends no CORS headers unless origins are configured', async () => {
    const response = await fixture.call('GET', '/v1/tenant/stats', {
      headers: { origin: 'https://app.example.com' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers preflights of configured origins only, and exposes the headers clients read', async () => {
    const withCors = await createFixture({ corsOrigins: ['https://app.example.com'] });
    const preflight = await withCors.call('OPTIONS', '/v1/memory/write', {
      key: null,
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, x-memnex-channel',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-memnex-channel');
    const stranger = await withCors.call('GET', '/v1/tenant/stats', {
      headers: { origin: 'https://evil.example.com' },
    });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await withCors.call('GET', '/v1/tenant/stats', {
      headers: { origin: 'https://app.example.com' },
    });
    expect(allowed.headers.get('access-control-expose-headers')).toContain('retry-after');
  });
});

describe('store failures', () => {
  it('answers 500 INTERNAL to an unexpected store error, logging it and leaking nothing', async () => {
    const faults = createStoreFaults(createMemoryStores());
    const logger = createRecordingLogger();
    const faulty = await createFixture({ stores: faults.stores, logger });
    faults.fail('warm', 'commitWrite', new Error('connect ECONNREFUSED 10.1.2.3:5432'));

    const response = await faulty.call('POST', '/v1/memory/write', {
      body: WRITE,
      headers: { 'x-request-id': 'req-500' },
    });
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
    expect(text).not.toMatch(/ECONNREFUSED|10\.1\.2\.3|\bat\s/u);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        fields: expect.objectContaining({ requestId: 'req-500' }),
      }),
    );
    expect(logger.lines).toContainEqual({
      level: 'warn',
      message: 'request failed',
      fields: expect.objectContaining({
        requestId: 'req-500',
        route: '/v1/memory/write',
        status: 500,
      }),
    });

    faults.heal('warm', 'commitWrite');
    const read = await faulty.call('POST', '/v1/memory/read', { body: { user: 'u-1' } });
    expect(((await read.json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('answers 503 STORAGE_UNAVAILABLE when the store reports itself down', async () => {
    const faults = createStoreFaults(createMemoryStores());
    const faulty = await createFixture({ stores: faults.stores });
    faults.fail(
      'warm',
      'commitWrite',
      new MemnexError({
        code: 'STORAGE_UNAVAILABLE',
        message: 'storage failed during commitWrite',
        cause: new Error('password authentication failed for user "memnex"'),
      }),
    );
    const response = await faulty.call('POST', '/v1/memory/write', { body: WRITE });
    const text = await response.text();
    expect(response.status).toBe(503);
    expect(JSON.parse(text)).toEqual({
      error: { code: 'STORAGE_UNAVAILABLE', message: 'storage failed during commitWrite' },
    });
    expect(text).not.toContain('password');
  });

  it('turns /readyz to 503 naming the store while it is down, and back to 200', async () => {
    const faults = createStoreFaults(createMemoryStores());
    const faulty = await createFixture({ stores: faults.stores });
    const ready = async () => {
      const response = await faulty.call('GET', '/readyz', { key: null });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    expect(await ready()).toMatchObject({ status: 200, body: { ok: true } });

    faults.fail('warm', 'getTenant', new Error('warm store is down'));
    const down = await ready();
    expect(down).toMatchObject({
      status: 503,
      body: { ok: false, stores: { warm: { ok: false }, hot: { ok: true }, audit: { ok: true } } },
    });
    expect(JSON.stringify(down.body)).not.toContain('warm store is down');
    // Liveness does not depend on the stores.
    expect((await faulty.call('GET', '/healthz', { key: null })).status).toBe(200);

    faults.heal('warm', 'getTenant');
    expect(await ready()).toMatchObject({ status: 200, body: { ok: true } });
  });
});
