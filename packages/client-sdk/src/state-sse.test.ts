import { STATE_LIMITS, type MemnexError, type StateEvent } from '@memnex/core/wire';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemnexClient } from './create-client.js';
import {
  SSE_IDLE_TIMEOUT_MS,
  SSE_SINCE_MAX_CHARS,
  ServerSentEventParser,
  type ServerSentEvent,
} from './state-sse.js';
import { createFakeEventStream, type FakeEventStream } from './testing/fake-event-stream.js';
import {
  createFakeFetch,
  errorResponse,
  stalledResponse,
  type RecordedRequest,
} from './testing/fake-fetch.js';
import type { StateSubscriptionErrorInfo } from './types.js';

function parse(pieces: string[]): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  const parser = new ServerSentEventParser((event) => events.push(event));
  for (const piece of pieces) parser.push(piece);
  parser.end();
  return events;
}

describe('ServerSentEventParser', () => {
  it('reads events split anywhere, even mid-line and mid-CRLF', () => {
    const text =
      'event: ready\r\ndata: {"versions":{},"truncated":false}\r\n\r\n' +
      'event: value\ndata: {"key":"a"}\n\n' +
      'event: delete\rdata: {"key":"b"}\r\r';
    const expected = [
      { event: 'ready', data: '{"versions":{},"truncated":false}' },
      { event: 'value', data: '{"key":"a"}' },
      { event: 'delete', data: '{"key":"b"}' },
    ];
    expect(parse([text])).toEqual(expected);
    expect(parse([...text])).toEqual(expected);
    for (let cut = 1; cut < text.length; cut += 1) {
      expect(parse([text.slice(0, cut), text.slice(cut)])).toEqual(expected);
    }
  });

  it('joins data lines, skips comments, and handles fields without a space or value', () => {
    const events = parse([
      ': ping\n\n',
      ':\n',
      'event:value\n',
      'data:{"a":\n',
      'data:  1}\n',
      'id: 7\n',
      'retry: 1000\n',
      '\n',
      'data\n\n',
      'data: plain\n\n',
    ]);
    expect(events).toEqual([
      { event: 'value', data: '{"a":\n 1}' },
      { event: 'message', data: '' },
      { event: 'message', data: 'plain' },
    ]);
  });

  it('dispatches nothing for an event without data, nor for one cut off by the end', () => {
    expect(parse(['event: ready\n\n', 'event: value\ndata: {}\n'])).toEqual([]);
  });

  it('drops a byte order mark at the start', () => {
    expect(parse(['\uFEFFdata: x\n\n'])).toEqual([{ event: 'message', data: 'x' }]);
  });
});

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

/** A client without a WebSocket whose fetch opens fake event streams. */
function setup(
  options: { answers?: Array<(request: RecordedRequest) => Response | Promise<Response>> } = {},
) {
  const streams: FakeEventStream[] = [];
  const openStream = (request: RecordedRequest) => {
    const stream = createFakeEventStream(request);
    streams.push(stream);
    return stream.response;
  };
  const answers = options.answers ?? [];
  const fake = createFakeFetch((request) => {
    const answer = answers.shift() ?? openStream;
    return answer(request);
  });
  const client = createMemnexClient({
    url: 'http://memnex.test',
    apiKey: 'mx_test_secret',
    channel: 'voice',
    fetch: fake.fetch,
    WebSocket: null,
    retryDelayMs: 100,
  });
  const errors: Array<{ error: MemnexError; info: StateSubscriptionErrorInfo }> = [];
  const events: StateEvent[] = [];
  return {
    client,
    requests: fake.requests,
    streams,
    errors,
    events,
    handler: (event: StateEvent) => {
      events.push(event);
    },
    onError: (error: MemnexError, info: StateSubscriptionErrorInfo) => {
      errors.push({ error, info });
    },
    last(): FakeEventStream {
      const stream = streams.at(-1);
      if (stream === undefined) throw new Error('no stream was opened');
      return stream;
    },
    versions: () => events.map((event) => `${event.key}@${event.version}`),
  };
}

/** Lets the client's promise chains (fetch, reads) run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('state.subscribe over server-sent events', () => {
  it('requests the stream with the auth headers and the subscription in the query', async () => {
    const test = setup();
    const subscription = test.client.state.subscribe('team/*:tasks', test.handler, {
      sinceVersion: 4,
      events: ['value', 'delete'],
    });
    await settle();

    const request = test.requests[0];
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/v1/state/events');
    expect(request?.query).toEqual({
      pattern: 'team/*:tasks',
      sinceVersion: '4',
      events: 'value,delete',
    });
    expect(request?.headers.get('authorization')).toBe('Bearer mx_test_secret');
    expect(request?.headers.get('accept')).toBe('text/event-stream');
    expect(request?.headers.get('x-memnex-channel')).toBe('voice');
    subscription.close();
  });

  it('delivers ready and events, in pieces split anywhere', async () => {
    const test = setup();
    const onReady = vi.fn();
    const subscription = test.client.state.subscribe('k*', test.handler, { onReady });
    await settle();
    const stream = test.last();

    const text =
      ': connected\n\n' +
      'event: ready\ndata: {"versions":{"k1":1},"truncated":false}\n\n' +
      `event: value\ndata: ${JSON.stringify(value('k1', 2, 'héllo ✓'))}\n\n` +
      ': ping\n\n' +
      `event: value\ndata: ${JSON.stringify(value('k2', 1))}\n\n`;
    const bytes = new TextEncoder().encode(text);
    // Cut through lines and through the bytes of multi-byte characters.
    for (let start = 0; start < bytes.length; start += 7) {
      stream.writeBytes(bytes.slice(start, start + 7));
    }
    await settle();

    await expect(subscription.ready).resolves.toBeUndefined();
    expect(onReady).toHaveBeenCalledWith({ versions: { k1: 1 }, truncated: false });
    expect(test.events).toEqual([value('k1', 2, 'héllo ✓'), value('k2', 1)]);
    subscription.close();
  });

  it('accepts data split over several lines', async () => {
    const test = setup();
    const subscription = test.client.state.subscribe('k1', test.handler);
    await settle();
    const json = JSON.stringify(value('k1', 1), null, 2);
    test.last().write(
      `event: value\n${json
        .split('\n')
        .map((line) => `data: ${line}`)
        .join('\n')}\n\n`,
    );
    await settle();
    expect(test.events).toEqual([value('k1', 1)]);
    subscription.close();
  });

  it('reconnects when the stream ends, resuming with since and without repeats', async () => {
    const test = setup();
    const subscription = test.client.state.subscribe('k*', test.handler, {
      sinceVersion: 1,
      onError: test.onError,
    });
    await settle();
    test.last().event('ready', { versions: { k1: 3, 'a/b:c': 1 }, truncated: false });
    test.last().event('value', value('k1', 2));
    test.last().event('value', value('k1', 3));
    test.last().end();
    await settle();

    expect(test.errors).toEqual([
      { error: expect.objectContaining({ code: 'NETWORK_ERROR' }), info: { fatal: false } },
    ]);
    expect(test.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(test.requests).toHaveLength(2);
    expect(test.requests[1]?.query).toEqual({
      pattern: 'k*',
      sinceVersion: '0',
      since: JSON.stringify({ k1: 3, 'a/b:c': 1 }),
    });

    test.last().event('ready', { versions: { k1: 4, 'a/b:c': 1 }, truncated: false });
    test.last().event('value', value('k1', 3));
    test.last().event('value', value('k1', 4));
    await settle();
    expect(test.versions()).toEqual(['k1@2', 'k1@3', 'k1@4']);
    subscription.close();
  });

  it('reconnects when the stream breaks, or after a passing HTTP error', async () => {
    const test = setup({
      answers: [
        () => errorResponse(503, 'STORAGE_UNAVAILABLE', { headers: { 'retry-after': '2' } }),
      ],
    });
    const subscription = test.client.state.subscribe('a', test.handler, { onError: test.onError });
    await settle();
    expect(test.errors[0]?.error.code).toBe('STORAGE_UNAVAILABLE');

    await vi.advanceTimersByTimeAsync(1999);
    expect(test.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(test.requests).toHaveLength(2);

    test.last().fail();
    await settle();
    expect(test.errors[1]?.error).toMatchObject({ code: 'NETWORK_ERROR' });
    expect(test.errors[1]?.error.message).toMatch(/broke/);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(test.requests).toHaveLength(3);
    subscription.close();
  });

  it('reconnects after a passing error event, and stops after an auth error event', async () => {
    const test = setup();
    const subscription = test.client.state.subscribe('a', test.handler, { onError: test.onError });
    await settle();
    test.last().event('error', { error: { code: 'STORAGE_UNAVAILABLE', message: 'redis down' } });
    await settle();
    expect(test.errors).toEqual([
      {
        error: expect.objectContaining({ code: 'STORAGE_UNAVAILABLE', message: 'redis down' }),
        info: { fatal: false },
      },
    ]);
    expect(test.streams[0]?.cancelled).toBe(true);

    await vi.advanceTimersByTimeAsync(100);
    expect(test.requests).toHaveLength(2);
    test.last().event('error', { error: { code: 'UNAUTHENTICATED', message: 'key revoked' } });
    await settle();

    expect(test.errors[1]).toEqual({
      error: expect.objectContaining({ code: 'UNAUTHENTICATED', message: 'key revoked' }),
      info: { fatal: true },
    });
    expect(subscription.closed).toBe(true);
    await expect(subscription.ready).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(test.requests).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each([
    [401, 'UNAUTHENTICATED'],
    [403, 'FORBIDDEN'],
    [400, 'VALIDATION_FAILED'],
  ])('stops after an HTTP %i %s', async (status, code) => {
    const test = setup({ answers: [() => errorResponse(status, code)] });
    const subscription = test.client.state.subscribe('a', test.handler, { onError: test.onError });
    await settle();

    expect(test.errors).toEqual([
      { error: expect.objectContaining({ code }), info: { fatal: true } },
    ]);
    expect(subscription.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(test.requests).toHaveLength(1);
  });

  it('treats an answer that is not an event stream as a passing failure', async () => {
    const test = setup({
      answers: [() => new Response('<html>', { headers: { 'content-type': 'text/html' } })],
    });
    const subscription = test.client.state.subscribe('a', test.handler, { onError: test.onError });
    await settle();
    expect(test.errors[0]?.error.message).toMatch(/text\/html, not an event stream/);
    await vi.advanceTimersByTimeAsync(100);
    expect(test.requests).toHaveLength(2);
    subscription.close();
  });

  it('keeps a stream open past the request timeout while pings arrive', async () => {
    const test = setup();
    const subscription = test.client.state.subscribe('a', test.handler, { onError: test.onError });
    await settle();
    test.last().event('ready', { versions: {}, truncated: false });
    for (let second = 0; second < 300; second += 15) {
      await vi.advanceTimersByTimeAsync(15_000);
      test.last().write(': ping\n\n');
    }
    test.last().event('value', value('a', 1));
    await settle();

    expect(test.requests).toHaveLength(1);
    expect(test.errors).toEqual([]);
    expect(test.versions()).toEqual(['a@1']);
    subscription.close();
  });

  it('takes a silent stream for dead and reconnects', async () => {
    const test = setup();
    const subscription = test.client.state.subscribe('a', test.handler, { onError: test.onError });
    await settle();
    test.last().event('ready', { versions: { a: 1 }, truncated: false });
    await settle();

    await vi.advanceTimersByTimeAsync(SSE_IDLE_TIMEOUT_MS);

    expect(test.errors).toEqual([
      {
        error: expect.objectContaining({
          code: 'NETWORK_ERROR',
          message: expect.stringMatching(/sent nothing/),
        }),
        info: { fatal: false },
      },
    ]);
    expect(test.streams[0]?.cancelled).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    expect(test.requests).toHaveLength(2);
    expect(test.requests[1]?.query).toMatchObject({ sinceVersion: '0', since: '{"a":1}' });
    subscription.close();
  });

  it('gives up a request whose answer does not come in time', async () => {
    const test = setup({ answers: [stalledResponse] });
    const subscription = test.client.state.subscribe('a', test.handler, { onError: test.onError });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(test.errors[0]?.error.message).toMatch(/did not answer within 30000 ms/);
    await vi.advanceTimersByTimeAsync(100);
    expect(test.requests).toHaveLength(2);
    subscription.close();
  });

  it('keeps delivering after the handler throws', async () => {
    const test = setup();
    const subscription = test.client.state.subscribe(
      'a',
      (event) => {
        test.events.push(event);
        throw new Error('boom');
      },
      { onError: test.onError },
    );
    await settle();
    test.last().event('value', value('a', 1));
    test.last().event('value', value('a', 2));
    await settle();
    expect(test.versions()).toEqual(['a@1', 'a@2']);
    expect(test.errors.map((entry) => entry.info.fatal)).toEqual([false, false]);
    subscription.close();
  });

  it('aborts the request on close and leaves no timer behind', async () => {
    const test = setup();
    const subscription = test.client.state.subscribe('a', test.handler);
    await settle();
    const signal = test.requests[0]?.signal;

    subscription.close();
    await settle();

    expect(signal?.aborted).toBe(true);
    expect(test.last().cancelled).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves no timer behind when closed while waiting to reconnect', async () => {
    const test = setup();
    const subscription = test.client.state.subscribe('a', test.handler, {
      onError: () => undefined,
    });
    await settle();
    test.last().end();
    await settle();
    expect(vi.getTimerCount()).toBe(1);

    subscription.close();
    await settle();

    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(test.requests).toHaveLength(1);
  });

  it('keeps the since map within the URL budget, preferring the highest versions', async () => {
    const test = setup();
    const subscription = test.client.state.subscribe('*', test.handler, {
      onError: () => undefined,
    });
    await settle();
    const versions: Record<string, number> = {};
    const total = 2000;
    for (let index = 0; index < total; index += 1) versions[`team/k:${index}`] = index + 1;
    test.last().event('ready', { versions, truncated: false });
    test.last().end();
    await vi.advanceTimersByTimeAsync(100);

    const request = test.requests[1];
    const since = JSON.parse(request?.query.since ?? '{}') as Record<string, number>;
    const kept = Object.keys(since).length;
    expect(kept).toBeGreaterThan(100);
    expect(kept).toBeLessThan(total);
    expect(kept).toBeLessThanOrEqual(STATE_LIMITS.sinceKeysMax);
    expect(new URL(request?.url ?? '').search.length).toBeLessThan(SSE_SINCE_MAX_CHARS + 200);
    expect(since[`team/k:${total - 1}`]).toBe(total);
    expect(since).not.toHaveProperty('team/k:0');
    expect(request?.query.sinceVersion).toBe('0');

    // Keys left out are replayed from their start; what was seen is dropped.
    test.last().event('value', value('team/k:0', 1));
    test.last().event('value', value('team/k:0', 2));
    await settle();
    expect(test.versions()).toEqual(['team/k:0@2']);
    subscription.close();
  });
});
