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
  const response = await fetch(`${server.url}/console/api/sign-up`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({
      email: 'ops@example.com',
      password: 'a long password',
      tenantName: 'Ops',
    }),
  });
  expect(response.status).toBe(201);
  cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  tenantId = ((await response.json()) as any).tenant.id;
});

afterAll(async () => {
  await server?.close();
});

describe('the state socket with a console session', () => {
  it("follows the session's tenant with the cookie, from the console's own origin", async () => {
    const socket = new TestSocket<any>(socketUrl, { headers: { cookie, origin: server.url } });
    await socket.opened;
    socket.send({ type: 'subscribe', id: 's', pattern: '*', sinceVersion: 0 });
    await socket.next((message) => message.type === 'ready');
    await fixture.memnex.state.set({ tenantId, key: 'plan:goal', value: { step: 1 } });
    await fixture.memnex.state.set({
      tenantId: fixture.tenantId,
      key: 'plan:goal',
      value: 'other',
    });
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
