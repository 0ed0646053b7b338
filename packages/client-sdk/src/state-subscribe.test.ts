import { MemnexError, STATE_LIMITS, type StateEvent } from '@memnex/core/wire';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemnexClient } from './create-client.js';
import { createFakeWebSocketClass, type FakeSocket } from './testing/fake-websocket.js';
import type { MemnexClientOptions, StateSubscriptionErrorInfo } from './types.js';

const noFetch: typeof globalThis.fetch = () => Promise.reject(new Error('no HTTP in these tests'));

function setup(options: Partial<MemnexClientOptions> = {}) {
  const fake = createFakeWebSocketClass();
  const client = createMemnexClient({
    url: 'http://memnex.test',
    apiKey: 'mx_test_secret',
    fetch: noFetch,
    WebSocket: fake.WebSocket,
    retryDelayMs: 100,
    ...options,
  });
  return { client, fake };
}

function value(key: string, version: number, data: unknown = version): StateEvent {
  return {
    event: 'value',
    key,
    value: data,
    version,
    updatedAt: '2025-01-02T03:04:05.000Z',
    updatedBy: 'key_1',
    expiresAt: null,
  };
}

function schemaEvent(pattern: string, revision: number): StateEvent {
  return {
    event: 'schema',
    key: pattern,
    action: 'set',
    schema: { type: 'object' },
    version: revision,
    updatedAt: '2025-01-02T03:04:05.000Z',
    updatedBy: 'key_1',
  };
}

/** Id of the latest subscribe on a socket for a pattern. */
function subscribeId(socket: FakeSocket, pattern: string): string {
  const message = socket.sentOfType('subscribe').findLast((sent) => sent.pattern === pattern);
  if (message === undefined) throw new Error(`no subscribe for ${pattern}`);
  return message.id as string;
}

function ready(socket: FakeSocket, pattern: string, versions: Record<string, number> = {}) {
  socket.deliver({ type: 'ready', id: subscribeId(socket, pattern), versions, truncated: false });
}

function push(socket: FakeSocket, pattern: string, event: StateEvent) {
  socket.deliver({ type: 'event', id: subscribeId(socket, pattern), event });
}

/** Collects what a subscription receives. */
function recorder() {
  const events: StateEvent[] = [];
  const errors: Array<{ error: MemnexError; info: StateSubscriptionErrorInfo }> = [];
  return {
    events,
    errors,
    versions: () => events.map((event) => `${event.key}@${event.version}`),
    handler: (event: StateEvent) => {
      events.push(event);
    },
    onError: (error: MemnexError, info: StateSubscriptionErrorInfo) => {
      errors.push({ error, info });
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('state.subscribe over a WebSocket', () => {
  it('opens one socket lazily and authenticates in the first message', async () => {
    const { client, fake } = setup();
    expect(fake.sockets).toHaveLength(0);

    const first = client.state.subscribe('plan:*', () => undefined, { sinceVersion: 3 });
    const second = client.state.subscribe('team/alpha', () => undefined, {
      events: ['value', 'delete'],
    });

    expect(fake.sockets).toHaveLength(1);
    const socket = fake.last();
    expect(socket.url).toBe('ws://memnex.test/v1/state/ws');
    socket.accept();
    expect(socket.sent).toEqual([
      { type: 'auth', apiKey: 'mx_test_secret' },
      { type: 'subscribe', id: expect.any(String), pattern: 'plan:*', sinceVersion: 3 },
      {
        type: 'subscribe',
        id: expect.any(String),
        pattern: 'team/alpha',
        events: ['value', 'delete'],
      },
    ]);
    expect(subscribeId(socket, 'plan:*')).not.toBe(subscribeId(socket, 'team/alpha'));

    const third = client.state.subscribe('x', () => undefined);
    expect(fake.sockets).toHaveLength(1);
    expect(socket.sentOfType('subscribe').at(-1)).toMatchObject({ pattern: 'x' });
    for (const subscription of [first, second, third]) subscription.close();
  });

  it.each([
    ['https://memnex.test', 'wss://memnex.test/v1/state/ws'],
    ['http://127.0.0.1:8000/v1/', 'ws://127.0.0.1:8000/v1/state/ws'],
    ['https://api.example.com/https/memnex', 'wss://api.example.com/https/memnex/v1/state/ws'],
  ])('derives the socket URL of %s', (url, socketUrl) => {
    const { client, fake } = setup({ url });
    client.state.subscribe('a', () => undefined).close();
    expect(fake.last().url).toBe(socketUrl);
  });

  it('resolves ready, calls onReady and delivers events to the handler', async () => {
    const { client, fake } = setup();
    const seen = recorder();
    const onReady = vi.fn();
    const subscription = client.state.subscribe('plan:*', seen.handler, { onReady });
    const socket = fake.last();
    socket.accept();

    ready(socket, 'plan:*', { 'plan:goal': 2 });
    await expect(subscription.ready).resolves.toBeUndefined();
    expect(onReady).toHaveBeenCalledWith({ versions: { 'plan:goal': 2 }, truncated: false });

    push(socket, 'plan:*', value('plan:goal', 3, 'ship'));
    push(socket, 'plan:*', {
      event: 'delete',
      key: 'plan:goal',
      version: 4,
      updatedAt: '2025-01-02T03:04:05.000Z',
      updatedBy: 'key_1',
      reason: 'expired',
    });
    expect(seen.events).toEqual([
      value('plan:goal', 3, 'ship'),
      expect.objectContaining({ event: 'delete', version: 4, reason: 'expired' }),
    ]);
    subscription.close();
  });

  it('drops events at or below the versions it has, and ignores unknown ids', () => {
    const { client, fake } = setup();
    const seen = recorder();
    const subscription = client.state.subscribe('k*', seen.handler);
    const socket = fake.last();
    socket.accept();
    ready(socket, 'k*', { k1: 5 });

    push(socket, 'k*', value('k1', 5));
    push(socket, 'k*', value('k1', 6));
    push(socket, 'k*', value('k1', 6));
    push(socket, 'k*', value('k2', 1));
    socket.deliver({ type: 'event', id: 'nobody', event: value('k3', 1) });
    socket.deliver({ type: 'event', id: subscribeId(socket, 'k*'), event: { nonsense: true } });
    socket.deliver('not json at all');

    expect(seen.versions()).toEqual(['k1@6', 'k2@1']);
    subscription.close();
  });

  it('reconnects after a drop and resumes from the versions seen', async () => {
    const { client, fake } = setup();
    const seen = recorder();
    const subscription = client.state.subscribe('k*', seen.handler, {
      sinceVersion: 2,
      onError: seen.onError,
    });
    const first = fake.last();
    first.accept();
    // The server replays versions after 2 of k1, and k2 is not that far yet.
    ready(first, 'k*', { k1: 4, k2: 1 });
    push(first, 'k*', value('k1', 3));
    push(first, 'k*', value('k1', 4));
    push(first, 'k*', value('k1', 5));

    first.drop(1001, 'server going away');
    expect(seen.errors).toEqual([
      {
        error: expect.objectContaining({ code: 'NETWORK_ERROR', details: expect.anything() }),
        info: { fatal: false },
      },
    ]);
    expect(fake.sockets).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(100);
    expect(fake.sockets).toHaveLength(2);
    const second = fake.last();
    second.accept();
    expect(second.sent[0]).toEqual({ type: 'auth', apiKey: 'mx_test_secret' });
    expect(second.sentOfType('subscribe')).toEqual([
      {
        type: 'subscribe',
        id: expect.any(String),
        pattern: 'k*',
        sinceVersion: 0,
        since: { k1: 5, k2: 1 },
      },
    ]);

    // The server replays what the subscription may have missed, overlapping what it has.
    ready(second, 'k*', { k1: 6, k2: 1, k3: 1 });
    push(second, 'k*', value('k1', 5));
    push(second, 'k*', value('k1', 6));
    push(second, 'k*', value('k3', 1));
    push(second, 'k*', value('k1', 7));
    expect(seen.versions()).toEqual(['k1@3', 'k1@4', 'k1@5', 'k1@6', 'k3@1', 'k1@7']);
    // Messages of the first socket's subscribe id mean nothing on the second.
    expect(subscribeId(second, 'k*')).not.toBe(subscribeId(first, 'k*'));
    subscription.close();
  });

  it('keeps only new changes after a first ready without sinceVersion', async () => {
    const { client, fake } = setup();
    const seen = recorder();
    const subscription = client.state.subscribe('k*', seen.handler);
    fake.last().accept();
    ready(fake.last(), 'k*', { k1: 9 });
    fake.last().drop(1006);

    await vi.advanceTimersByTimeAsync(100);
    fake.last().accept();

    expect(fake.last().sentOfType('subscribe')[0]).toMatchObject({
      sinceVersion: 0,
      since: { k1: 9 },
    });
    ready(fake.last(), 'k*', { k1: 9 });
    push(fake.last(), 'k*', value('k1', 9));
    push(fake.last(), 'k*', value('k1', 10));
    expect(seen.versions()).toEqual(['k1@10']);
    subscription.close();
  });

  it('subscribes as at first when the connection drops before the first ready', async () => {
    const { client, fake } = setup();
    const subscription = client.state.subscribe('k*', () => undefined, { sinceVersion: 7 });
    fake.last().accept();
    fake.last().drop(1006);

    await vi.advanceTimersByTimeAsync(100);
    fake.last().accept();

    expect(fake.last().sentOfType('subscribe')[0]).toEqual({
      type: 'subscribe',
      id: expect.any(String),
      pattern: 'k*',
      sinceVersion: 7,
    });
    subscription.close();
  });

  it('keeps the highest versions in the since map when there are too many keys', async () => {
    const { client, fake } = setup();
    const seen = recorder();
    const subscription = client.state.subscribe('*', seen.handler);
    fake.last().accept();
    const versions: Record<string, number> = {};
    const total = STATE_LIMITS.sinceKeysMax + 5;
    for (let index = 0; index < total; index += 1) versions[`key${index}`] = index + 1;
    ready(fake.last(), '*', versions);
    fake.last().drop(4008, 'too slow');

    await vi.advanceTimersByTimeAsync(100);
    fake.last().accept();

    const resubscribe = fake.last().sentOfType('subscribe')[0] as {
      sinceVersion: number;
      since: Record<string, number>;
    };
    expect(resubscribe.sinceVersion).toBe(0);
    expect(Object.keys(resubscribe.since)).toHaveLength(STATE_LIMITS.sinceKeysMax);
    // The five keys with the lowest versions are left out ...
    for (let index = 0; index < 5; index += 1)
      expect(resubscribe.since).not.toHaveProperty(`key${index}`);
    expect(resubscribe.since[`key${total - 1}`]).toBe(total);

    // ... so the server replays them from their start, and what was seen is dropped.
    ready(fake.last(), '*', versions);
    push(fake.last(), '*', value('key0', 1));
    push(fake.last(), '*', value('key4', 5));
    push(fake.last(), '*', value('key4', 6));
    expect(seen.versions()).toEqual(['key4@6']);
    subscription.close();
  });

  it('deduplicates schema events by revision and keeps them out of the since map', async () => {
    const { client, fake } = setup();
    const seen = recorder();
    const subscription = client.state.subscribe('plan:*', seen.handler);
    fake.last().accept();
    ready(fake.last(), 'plan:*', {});
    push(fake.last(), 'plan:*', schemaEvent('plan:*', 4));
    push(fake.last(), 'plan:*', schemaEvent('plan:*', 4));
    push(fake.last(), 'plan:*', value('plan:goal', 1));
    fake.last().drop(1001);

    await vi.advanceTimersByTimeAsync(100);
    fake.last().accept();
    expect(fake.last().sentOfType('subscribe')[0]).toMatchObject({ since: { 'plan:goal': 1 } });
    ready(fake.last(), 'plan:*', { 'plan:goal': 1 });
    push(fake.last(), 'plan:*', schemaEvent('plan:*', 4));
    push(fake.last(), 'plan:*', schemaEvent('plan:*', 5));
    expect(seen.events.map((event) => `${event.event}@${event.version}`)).toEqual([
      'schema@4',
      'value@1',
      'schema@5',
    ]);
    subscription.close();
  });

  it('backs off exponentially while the server stays away, up to 30 s', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    const { client, fake } = setup({ retryDelayMs: 1000 });
    const subscription = client.state.subscribe('a', () => undefined, { onError: () => undefined });
    const gaps: number[] = [];
    for (let attempt = 0; attempt < 7; attempt += 1) {
      fake.last().drop(1006);
      const before = fake.sockets.length;
      let waited = 0;
      while (fake.sockets.length === before) {
        await vi.advanceTimersByTimeAsync(100);
        waited += 100;
      }
      gaps.push(waited);
    }
    expect(gaps).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);

    // A ready resets the backoff.
    fake.last().accept();
    ready(fake.last(), 'a');
    fake.last().drop(1006);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fake.sockets).toHaveLength(9);
    subscription.close();
    vi.restoreAllMocks();
  });

  it('gives up a socket that does not open in time', async () => {
    const { client, fake } = setup({ timeoutMs: 5000 });
    const seen = recorder();
    const subscription = client.state.subscribe('a', seen.handler, { onError: seen.onError });
    const stuck = fake.last();

    await vi.advanceTimersByTimeAsync(5000);

    expect(stuck.closedByClient).toBeDefined();
    expect(seen.errors[0]?.error.message).toMatch(/did not open within 5000 ms/);
    await vi.advanceTimersByTimeAsync(100);
    expect(fake.sockets).toHaveLength(2);
    subscription.close();
  });

  it('stops on close code 4401 and reports the error, without reconnecting', async () => {
    const { client, fake } = setup();
    const seen = recorder();
    const subscription = client.state.subscribe('a', seen.handler, { onError: seen.onError });
    const other = client.state.subscribe('b', () => undefined);
    fake.last().accept();

    fake.last().drop(4401, 'API key revoked');

    expect(seen.errors).toEqual([
      {
        error: expect.objectContaining({ code: 'UNAUTHENTICATED', message: 'API key revoked' }),
        info: { fatal: true },
      },
    ]);
    await expect(subscription.ready).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(other.ready).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(subscription.closed).toBe(true);
    expect(other.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.sockets).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops on an UNAUTHENTICATED or FORBIDDEN error message about the socket', async () => {
    for (const code of ['UNAUTHENTICATED', 'FORBIDDEN']) {
      const { client, fake } = setup();
      const seen = recorder();
      const subscription = client.state.subscribe('a', seen.handler, { onError: seen.onError });
      fake.last().accept();

      fake.last().deliver({ type: 'error', error: { code, message: 'no' } });

      expect(seen.errors).toEqual([
        { error: expect.objectContaining({ code }), info: { fatal: true } },
      ]);
      expect(fake.last().closedByClient).toBeDefined();
      expect(subscription.closed).toBe(true);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(fake.sockets).toHaveLength(1);
    }
  });

  it('reports an error message about the socket that is not about the key, and goes on', () => {
    const { client, fake } = setup();
    const seen = recorder();
    const subscription = client.state.subscribe('a', seen.handler, { onError: seen.onError });
    fake.last().accept();

    fake
      .last()
      .deliver({ type: 'error', error: { code: 'VALIDATION_FAILED', message: 'bad json' } });
    push(fake.last(), 'a', value('a', 1));

    expect(seen.errors).toEqual([
      { error: expect.objectContaining({ code: 'VALIDATION_FAILED' }), info: { fatal: false } },
    ]);
    expect(seen.versions()).toEqual(['a@1']);
    expect(subscription.closed).toBe(false);
    subscription.close();
  });

  it('ends one subscription on its own fatal error and retries one after a passing error', async () => {
    const { client, fake } = setup();
    const forbidden = recorder();
    const limited = recorder();
    const a = client.state.subscribe('secret:*', forbidden.handler, { onError: forbidden.onError });
    const b = client.state.subscribe('b', limited.handler, { onError: limited.onError });
    const socket = fake.last();
    socket.accept();

    socket.deliver({
      type: 'error',
      id: subscribeId(socket, 'secret:*'),
      error: {
        code: 'FORBIDDEN',
        message: 'the key lacks state:read',
        details: { scope: 'state:read' },
      },
    });
    const firstB = subscribeId(socket, 'b');
    socket.deliver({
      type: 'error',
      id: firstB,
      error: { code: 'RATE_LIMITED', message: 'slow down' },
    });

    expect(forbidden.errors).toEqual([
      {
        error: expect.objectContaining({ code: 'FORBIDDEN', details: { scope: 'state:read' } }),
        info: { fatal: true },
      },
    ]);
    expect(a.closed).toBe(true);
    expect(limited.errors).toEqual([
      { error: expect.objectContaining({ code: 'RATE_LIMITED' }), info: { fatal: false } },
    ]);
    await vi.advanceTimersByTimeAsync(100);
    expect(subscribeId(socket, 'b')).not.toBe(firstB);
    ready(socket, 'b');
    await expect(b.ready).resolves.toBeUndefined();
    expect(b.closed).toBe(false);
    b.close();
  });

  it('keeps delivering after the handler throws or rejects', async () => {
    const { client, fake } = setup();
    const errors: MemnexError[] = [];
    const delivered: number[] = [];
    const boom = new Error('boom');
    const subscription = client.state.subscribe(
      'a',
      (event) => {
        delivered.push(event.version);
        if (event.version === 1) throw boom;
        if (event.version === 2) return Promise.reject(new Error('async boom'));
      },
      { onError: (error) => errors.push(error) },
    );
    fake.last().accept();
    ready(fake.last(), 'a');

    push(fake.last(), 'a', value('a', 1));
    push(fake.last(), 'a', value('a', 2));
    push(fake.last(), 'a', value('a', 3));
    await vi.advanceTimersByTimeAsync(0);

    expect(delivered).toEqual([1, 2, 3]);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ code: 'INTERNAL', cause: boom });
    expect(errors[0]?.message).toMatch(/handler threw: boom/);
    expect(errors[1]?.message).toMatch(/async boom/);
    expect(subscription.closed).toBe(false);
    subscription.close();
  });

  it('survives an onError that throws too', () => {
    const { client, fake } = setup();
    const delivered: number[] = [];
    const subscription = client.state.subscribe(
      'a',
      (event) => {
        delivered.push(event.version);
        throw new Error('handler');
      },
      {
        onError: () => {
          throw new Error('onError');
        },
      },
    );
    fake.last().accept();
    push(fake.last(), 'a', value('a', 1));
    push(fake.last(), 'a', value('a', 2));
    expect(delivered).toEqual([1, 2]);
    subscription.close();
  });

  it('unsubscribes on close and closes the socket with the last subscription', async () => {
    const { client, fake } = setup();
    const a = client.state.subscribe('a', () => undefined);
    const b = client.state.subscribe('b', () => undefined);
    const socket = fake.last();
    socket.accept();
    const idA = subscribeId(socket, 'a');
    const idB = subscribeId(socket, 'b');

    a.close();
    expect(socket.sentOfType('unsubscribe')).toEqual([{ type: 'unsubscribe', id: idA }]);
    expect(socket.closedByClient).toBeUndefined();
    await expect(a.ready).rejects.toMatchObject({ name: 'AbortError' });
    a.close();

    b.close();
    expect(socket.sentOfType('unsubscribe')).toEqual([
      { type: 'unsubscribe', id: idA },
      { type: 'unsubscribe', id: idB },
    ]);
    expect(socket.closedByClient).toEqual({ code: 1000, reason: undefined });
    expect(vi.getTimerCount()).toBe(0);

    // A later subscription opens a new socket.
    const c = client.state.subscribe('c', () => undefined);
    expect(fake.sockets).toHaveLength(2);
    c.close();
  });

  it('leaves no timer behind when closed while waiting to reconnect', async () => {
    const { client, fake } = setup();
    const subscription = client.state.subscribe('a', () => undefined);
    fake.last().accept();
    fake.last().drop(1011);
    expect(vi.getTimerCount()).toBe(1);

    subscription.close();

    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.sockets).toHaveLength(1);
  });

  it('closes when the signal aborts, or at once when it already has', async () => {
    const { client, fake } = setup();
    const controller = new AbortController();
    const subscription = client.state.subscribe('a', () => undefined, {
      signal: controller.signal,
    });
    fake.last().accept();

    controller.abort(new Error('done'));

    expect(subscription.closed).toBe(true);
    await expect(subscription.ready).rejects.toThrow('done');
    expect(fake.last().closedByClient).toBeDefined();

    const late = client.state.subscribe('b', () => undefined, { signal: AbortSignal.abort() });
    expect(late.closed).toBe(true);
    expect(fake.sockets).toHaveLength(1);
  });

  it('lets the handler close its own subscription', () => {
    const { client, fake } = setup();
    const delivered: number[] = [];
    const subscription = client.state.subscribe('a', (event) => {
      delivered.push(event.version);
      subscription.close();
    });
    fake.last().accept();
    push(fake.last(), 'a', value('a', 1));
    push(fake.last(), 'a', value('a', 2));
    expect(delivered).toEqual([1]);
    expect(fake.last().closedByClient).toBeDefined();
  });

  it('throws VALIDATION_FAILED at once for an invalid pattern or options', () => {
    const { client, fake } = setup();
    const handler = () => undefined;
    expect(() => client.state.subscribe('has space', handler)).toThrow(MemnexError);
    expect(() => client.state.subscribe('a', handler, { sinceVersion: -1 })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
    expect(() => client.state.subscribe('a', handler, { events: [] })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
    expect(() =>
      client.state.subscribe('a', 'not a function' as unknown as typeof handler),
    ).toThrow(
      expect.objectContaining({
        details: { issues: [expect.objectContaining({ path: 'handler' })] },
      }),
    );
    expect(fake.sockets).toHaveLength(0);
  });
});
