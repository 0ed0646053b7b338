import { describe, expect, it } from 'vitest';
import { createMemnexClient } from './create-client.js';
import { parseRetryAfter, retryDelayMs } from './retry.js';
import type { MemnexClient } from './types.js';
import {
  createFakeFetch,
  errorResponse,
  jsonResponse,
  stalledResponse,
  type FakeAnswer,
} from './testing/fake-fetch.js';

const user = { userId: 'u_42' };
const ok = jsonResponse(200, { ok: true });

function clientWith(
  answers: FakeAnswer[],
  options: { maxRetries?: number; retryDelayMs?: number } = {},
) {
  const fake = createFakeFetch(...answers);
  const client = createMemnexClient({
    url: 'http://memnex.test',
    apiKey: 'k',
    fetch: fake.fetch,
    retryDelayMs: 1,
    ...options,
  });
  return { client, requests: fake.requests };
}

describe('retries of idempotent calls', () => {
  it.each([
    ['503 STORAGE_UNAVAILABLE', errorResponse(503, 'STORAGE_UNAVAILABLE')],
    ['429 RATE_LIMITED', errorResponse(429, 'RATE_LIMITED', { headers: { 'retry-after': '0' } })],
    ['a bare 502', new Response('bad gateway', { status: 502 })],
    ['a bare 504', new Response('', { status: 504 })],
    ['a dropped connection', new TypeError('fetch failed')],
  ])('retry after %s, then succeed', async (_name, failure) => {
    const { client, requests } = clientWith([failure, ok]);
    await expect(client.memory.read({ user })).resolves.toEqual({ ok: true });
    expect(requests).toHaveLength(2);
  });

  it('waits what Retry-After asks instead of the backoff', async () => {
    // With a one-minute backoff the test could only finish in time by honouring `Retry-After: 0`.
    const limited = errorResponse(429, 'RATE_LIMITED', { headers: { 'retry-after': '0' } });
    const { client, requests } = clientWith([limited, limited, ok], { retryDelayMs: 60_000 });
    await expect(client.memory.search({ user, query: 'refund' })).resolves.toEqual({ ok: true });
    expect(requests).toHaveLength(3);
  });

  it.each([
    [500, 'INTERNAL'],
    [400, 'VALIDATION_FAILED'],
    [409, 'CONFLICT'],
    [401, 'UNAUTHENTICATED'],
  ])('never retries %i %s', async (status, code) => {
    const { client, requests } = clientWith([errorResponse(status, code), ok]);
    await expect(client.memory.read({ user })).rejects.toMatchObject({ code, status });
    expect(requests).toHaveLength(1);
  });

  it.each([0, 1, 3])('stops after maxRetries = %i, throwing the last error', async (maxRetries) => {
    const { client, requests } = clientWith([errorResponse(503, 'STORAGE_UNAVAILABLE')], {
      maxRetries,
    });
    await expect(client.tenant.stats()).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(requests).toHaveLength(maxRetries + 1);
  });

  it('stops waiting between attempts when the signal aborts', async () => {
    const { client, requests } = clientWith([errorResponse(503, 'STORAGE_UNAVAILABLE')], {
      retryDelayMs: 60_000,
    });
    const controller = new AbortController();
    const reason = new Error('caller hung up');
    const pending = client.memory.read({ user }, { signal: controller.signal });
    await expect.poll(() => requests.length).toBe(1);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(requests).toHaveLength(1);
  });

  it('retries a timed-out attempt of an idempotent call', async () => {
    const fake = createFakeFetch(stalledResponse, ok);
    const client = createMemnexClient({
      url: 'http://memnex.test',
      apiKey: 'k',
      fetch: fake.fetch,
      timeoutMs: 20,
      retryDelayMs: 1,
    });
    await expect(client.memory.read({ user })).resolves.toEqual({ ok: true });
    expect(fake.requests).toHaveLength(2);
  });
});

describe('calls that are sent once', () => {
  const ONCE: [string, (client: MemnexClient) => Promise<unknown>][] = [
    ['keys.create', (client) => client.keys.create({ label: 'ivr', scopes: ['admin'] })],
    ['users.merge', (client) => client.users.merge({ from: 'u_1', into: 'u_2' })],
    ['users.unmerge', (client) => client.users.unmerge({ user: 'u_1' })],
    [
      'memory.reveal',
      (client) =>
        client.memory.reveal({
          user,
          memoryIds: ['0b7e8d2c-4f7a-4b61-9d3e-2f1a6c5b8e90'],
          reason: 'dispute',
        }),
    ],
  ];

  it.each(ONCE)('%s is not retried on 503 or a dropped connection', async (_name, call) => {
    for (const failure of [errorResponse(503, 'STORAGE_UNAVAILABLE'), new TypeError('reset')]) {
      const { client, requests } = clientWith([failure, ok]);
      await expect(call(client)).rejects.toHaveProperty('code');
      expect(requests).toHaveLength(1);
    }
  });
});

describe('retryDelayMs', () => {
  it('draws from [0, base * 2^attempt) and caps the backoff at 10 s', () => {
    const highest = () => 0.999_999;
    expect(retryDelayMs({ attempt: 0, baseDelayMs: 250, random: () => 0 })).toBe(0);
    expect(retryDelayMs({ attempt: 0, baseDelayMs: 250, random: highest })).toBe(249);
    expect(retryDelayMs({ attempt: 2, baseDelayMs: 250, random: highest })).toBe(999);
    expect(retryDelayMs({ attempt: 20, baseDelayMs: 250, random: highest })).toBe(9999);
  });

  it('takes another cap when given one', () => {
    const top = () => 0.999_999;
    expect(retryDelayMs({ attempt: 3, baseDelayMs: 1000, maxDelayMs: 30_000, random: top })).toBe(
      7999,
    );
    expect(retryDelayMs({ attempt: 9, baseDelayMs: 1000, maxDelayMs: 30_000, random: top })).toBe(
      29_999,
    );
  });

  it('uses Retry-After instead, capped at 30 s', () => {
    expect(retryDelayMs({ attempt: 5, baseDelayMs: 250, retryAfterMs: 2000 })).toBe(2000);
    expect(retryDelayMs({ attempt: 0, baseDelayMs: 250, retryAfterMs: 3_600_000 })).toBe(30_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores garbage', () => {
    const now = Date.parse('2025-06-01T12:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
