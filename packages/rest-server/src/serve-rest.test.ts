import { connect } from 'node:net';
import { createMemoryStores } from '@memnex/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { serveRest, type RestServer } from './serve-rest.js';
import { createStoreFaults } from './test/faulty-stores.js';
import { createFixture } from './test/fixture.js';

const servers: RestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(...args: Parameters<typeof createFixture>) {
  const fixture = await createFixture(...args);
  const server = await serveRest({ rest: fixture.rest, port: 0 });
  servers.push(server);
  const request = (path: string, init: { key?: string | null; body?: unknown } = {}) => {
    const key = init.key === undefined ? fixture.keys.admin : init.key;
    return fetch(`${server.url}${path}`, {
      method: init.body === undefined ? 'GET' : 'POST',
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  };
  return { fixture, server, request };
}

/** Whether a new TCP connection to the port is refused. */
function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

const WRITE = { user: 'ana', facts: [{ text: 'Prefers email', type: 'preference' }] };

describe('serveRest', () => {
  it('serves the app over HTTP on a free port', async () => {
    const { server, request } = await serve();
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);

    expect(await (await request('/healthz', { key: null })).json()).toEqual({ ok: true });
    expect((await request('/readyz', { key: null })).status).toBe(200);
    const written = await request('/v1/memory/write', { body: WRITE });
    expect(written.status).toBe(200);
    expect(written.headers.get('x-request-id')).toMatch(/\S/u);
    const read = (await (await request('/v1/memory/read', { body: { user: 'ana' } })).json()) as {
      items: Array<{ text: string }>;
    };
    expect(read.items.map((item) => item.text)).toEqual(['Prefers email']);
    const denied = await request('/v1/memory/read', { key: null, body: { user: 'ana' } });
    expect(denied.status).toBe(401);
  });

  it('refuses a body over the limit by its Content-Length', async () => {
    const { server, fixture } = await serve({ maxBodyBytes: 1024 });
    const response = await fetch(`${server.url}/v1/memory/write`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${fixture.keys.admin}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ ...WRITE, facts: [{ text: 'x'.repeat(2000), type: 'preference' }] }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('counts a chunked body (no Content-Length) against the limit', async () => {
    const { server, fixture } = await serve({ maxBodyBytes: 1024 });
    const chunked = (text: string) =>
      fetch(`${server.url}/v1/memory/write`, {
        method: 'POST',
        headers: { 'x-api-key': fixture.keys.admin, 'content-type': 'application/json' },
        body: new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(text));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
    const large = await chunked(
      JSON.stringify({ ...WRITE, facts: [{ text: 'x'.repeat(2000), type: 'preference' }] }),
    );
    expect(large.status).toBe(413);
    expect(((await large.json()) as { error: { code: string } }).error.code).toBe(
      'PAYLOAD_TOO_LARGE',
    );
    const small = await chunked(JSON.stringify(WRITE));
    expect(small.status).toBe(200);
    expect(((await small.json()) as { written: unknown[] }).written).toHaveLength(1);
  });

  it('reads request ids, keys and the channel from the Node request', async () => {
    const { server, fixture } = await serve();
    const read = (headers: Record<string, string>) =>
      fetch(`${server.url}/v1/memory/read`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ user: 'ana' }),
      });
    const echoed = await read({ 'x-api-key': fixture.keys.admin, 'X-Request-Id': 'trace-7_a=' });
    expect(echoed.status).toBe(200);
    expect(echoed.headers.get('x-request-id')).toBe('trace-7_a=');
    const replaced = await read({ 'x-api-key': fixture.keys.admin, 'x-request-id': 'no spaces!' });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/u);
    const voice = await read({
      authorization: `Bearer ${fixture.keys.admin}`,
      'X-Memnex-Channel': ' Voice ',
    });
    expect(((await voice.json()) as { format: string }).format).toBe('voice');
    const wrong = await read({
      authorization: `Bearer ${fixture.keys.admin}`,
      'x-memnex-channel': 'fax',
    });
    expect(wrong.status).toBe(400);
    expect((await read({ authorization: 'Basic abc' })).status).toBe(401);
  });

  it('answers 503 on /readyz once draining, while still serving', async () => {
    const { fixture, request } = await serve();
    fixture.rest.drain();
    const ready = await request('/readyz', { key: null });
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ok: false, draining: true });
    expect((await request('/healthz', { key: null })).status).toBe(200);
    expect((await request('/v1/memory/read', { body: { user: 'ana' } })).status).toBe(200);
  });

  it('lets a request in flight finish on close, then refuses new connections', async () => {
    const faults = createStoreFaults(createMemoryStores());
    const { fixture, server, request } = await serve({ stores: faults.stores });
    expect((await request('/v1/memory/write', { body: WRITE })).status).toBe(200);

    const held = faults.hold('hot', 'getWorkingSet');
    const inFlight = request('/v1/memory/read', { body: { user: 'ana' } });
    await held.entered;

    let closed = false;
    const closing = server.close().then(() => void (closed = true));
    expect(await refusesConnections(server.port)).toBe(true);
    const ready = await fixture.rest.app.request('/readyz');
    expect(ready.status).toBe(503);
    // The read is still waiting on its store call, so the server cannot have finished closing.
    expect(closed).toBe(false);

    held.release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: Array<{ text: string }> };
    expect(body.items.map((item) => item.text)).toEqual(['Prefers email']);
    await closing;
    expect(closed).toBe(true);
    expect(await refusesConnections(server.port)).toBe(true);
    await expect(request('/healthz', { key: null })).rejects.toThrow();
  });

  it('waits on close for a write whose client hung up, so the stores outlive it', async () => {
    const faults = createStoreFaults(createMemoryStores());
    const { fixture, server } = await serve({ stores: faults.stores });
    const held = faults.hold('audit', 'append');
    const abort = new AbortController();
    const hungUp = fetch(`${server.url}/v1/memory/write`, {
      method: 'POST',
      signal: abort.signal,
      headers: {
        authorization: `Bearer ${fixture.keys.admin}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        user: 'hung-up',
        facts: [{ text: 'Prefers SMS', type: 'preference' }],
      }),
    }).catch(() => 'aborted');
    await held.entered;
    abort.abort();
    expect(await hungUp).toBe('aborted');

    let closed = false;
    const closing = server.close().then(() => void (closed = true));
    await expect.poll(() => refusesConnections(server.port)).toBe(true);
    expect(closed).toBe(false);
    held.release();
    await closing;
    const entries = await fixture.memnex.audit.list({ tenantId: fixture.tenantId, limit: 1000 });
    expect(entries.map((entry) => entry.op)).toContain('memory.write');
  });

  it('the app is idle only once every request it started has finished', async () => {
    const faults = createStoreFaults(createMemoryStores());
    const fixture = await createFixture({ stores: faults.stores });
    await fixture.rest.idle();
    const held = faults.hold('audit', 'append');
    const write = fixture.call('POST', '/v1/memory/write', { body: WRITE });
    await held.entered;
    let idle = false;
    const becameIdle = fixture.rest.idle().then(() => void (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    held.release();
    expect((await write).status).toBe(200);
    await becameIdle;
    expect(idle).toBe(true);
  });

  it('resolves close only once the app is idle, after the connections are gone', async () => {
    const fixture = await createFixture();
    let idleAsked!: () => void;
    const asked = new Promise<void>((resolve) => (idleAsked = resolve));
    let becomeIdle!: () => void;
    const idle = new Promise<void>((resolve) => (becomeIdle = resolve));
    const server = await serveRest({
      rest: {
        ...fixture.rest,
        idle: () => {
          idleAsked();
          return idle;
        },
      },
      port: 0,
    });
    let closed = false;
    const closing = server.close().then(() => void (closed = true));
    await asked;
    expect(await refusesConnections(server.port)).toBe(true);
    expect(closed).toBe(false);
    becomeIdle();
    await closing;
    expect(closed).toBe(true);
  });

  it('closes once however often close is called', async () => {
    const { server } = await serve();
    await Promise.all([server.close(), server.close()]);
    await server.close();
    expect(await refusesConnections(server.port)).toBe(true);
  });
});
