import { createMemoryRateLimiter } from '@memnex/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveRest, type RestServer } from '../serve-rest.js';
import { createFixture, type Fixture } from '../test/fixture.js';
import { TestSocket } from '../test/test-socket.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- socket messages are checked by value */

let fixture: Fixture;
let server: RestServer;
let cookie: string;
let tenantId: string;
let socketUrl: string;

beforeAll(async () => {
  fixture = await createFixture({
    console: {
      signingKey: 'console-socket-signing-key-0123456789abcdef',
      rateLimiter: createMemoryRateLimiter({ points: 30, durationSeconds: 300 }),
    },
  });
  server = await serveRest({ rest: fixture.rest, port: 0 });
  socketUrl = `${server.url.replace('http', 'ws')}/v1/state/ws`;
  ({ cookie, tenantId } = await signUp(server.url));
});

/** Sign up on a served console, as its page does: the session cookie and the new tenant. */
async function signUp(url: string): Promise<{ cookie: string; tenantId: string }> {
  const response = await fetch(`${url}/console/api/sign-up`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({
      email: 'ops@example.com',
      password: 'a long password',
      tenantName: 'Ops',
    }),
  });
  expect(response.status).toBe(201);
  return {
    cookie: response.headers.get('set-cookie')!.split(';')[0]!,
    tenantId: ((await response.json()) as any).tenant.id,
  };
}

afterAll(async () => {
  await server?.close();
});

describe('the state socket with a console session', () => {
  it("follows the session's tenant with the cookie, from the console's own origin", async () => {
    const socket = new TestSocket<any>(socketUrl, { headers: { cookie, origin: server.url } });
    await socket.opened;
    socket.send({ type: 'subscribe', id: 's', pattern: '*', sinceVersion: 0 });
    await socket.next((message) => message.type === 'ready');
    // Another tenant's change first: were it to leak, it would be the first event.
    await fixture.memnex.state.set({
      tenantId: fixture.tenantId,
      key: 'plan:goal',
      value: 'other',
    });
    await fixture.memnex.state.set({ tenantId, key: 'plan:goal', value: { step: 1 } });
    const event = await socket.next((message) => message.type === 'event');
    expect(event.event).toMatchObject({ event: 'value', key: 'plan:goal', value: { step: 1 } });
    socket.ws.close();
  });

  it('is refused from another origin, or without an origin, or with a bad cookie', async () => {
    const attempts: Array<Record<string, string>> = [
      { cookie, origin: 'https://evil.example' },
      { cookie },
      { cookie: 'memnex_console=not-a-token', origin: server.url },
    ];
    for (const headers of attempts) {
      const socket = new TestSocket<any>(socketUrl, { headers });
      await socket.opened;
      expect((await socket.closed).code, JSON.stringify(headers)).toBe(4401);
    }
  });

  it('closes when the session expires', { timeout: 10_000 }, async () => {
    const short = await createFixture({
      console: {
        signingKey: 'console-socket-signing-key-0123456789abcdef',
        rateLimiter: createMemoryRateLimiter({ points: 30, durationSeconds: 300 }),
        sessionTtlSeconds: 3,
      },
    });
    const shortServer = await serveRest({ rest: short.rest, port: 0 });
    try {
      const session = await signUp(shortServer.url);
      const socket = new TestSocket<any>(`${shortServer.url.replace('http', 'ws')}/v1/state/ws`, {
        headers: { cookie: session.cookie, origin: shortServer.url },
      });
      await socket.opened;
      socket.send({ type: 'subscribe', id: 's', pattern: '*' });
      await socket.next((message) => message.type === 'ready');
      expect(await socket.closed).toEqual({ code: 4401, reason: 'the session expired' });
    } finally {
      await shortServer.close();
    }
  });

  it('still authenticates an API key, which wins over a cookie', async () => {
    const socket = new TestSocket<any>(socketUrl, {
      headers: { authorization: `Bearer ${fixture.keys.admin}`, cookie, origin: server.url },
    });
    await socket.opened;
    socket.send({ type: 'subscribe', id: 's', pattern: 'key-only:*' });
    await socket.next((message) => message.type === 'ready');
    await fixture.memnex.state.set({ tenantId: fixture.tenantId, key: 'key-only:x', value: 1 });
    expect((await socket.next((message) => message.type === 'event')).event.key).toBe('key-only:x');
    socket.ws.close();
  });
});
