import { readFileSync } from 'node:fs';
import { MemnexError } from '@memnex/core/wire';
import { describe, expect, it } from 'vitest';
import { createMemnexClient } from './create-client.js';
import { createFakeFetch, jsonResponse } from './testing/fake-fetch.js';
import { CLIENT_VERSION } from './version.js';

const user = { userId: 'u_42' };

describe('createMemnexClient headers', () => {
  it('sends the key, the client version and JSON headers; the channel only when set', async () => {
    const fake = createFakeFetch(jsonResponse(200, { keys: [] }));
    const base = { url: 'http://memnex.test', apiKey: 'mx_test_secret', fetch: fake.fetch };
    await createMemnexClient({ ...base, channel: 'whatsapp' }).memory.read({ user });
    await createMemnexClient(base).keys.list();

    const [post, get] = fake.requests.map((request) => request.headers);
    expect(post?.get('authorization')).toBe('Bearer mx_test_secret');
    expect(post?.get('accept')).toBe('application/json');
    expect(post?.get('content-type')).toBe('application/json');
    expect(post?.get('x-memnex-channel')).toBe('whatsapp');
    expect(post?.get('x-memnex-client')).toBe('memnex-client/0.1.0');
    // The version the header names is the package's own.
    const manifest = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(CLIENT_VERSION).toBe(manifest.version);
    expect(get?.get('authorization')).toBe('Bearer mx_test_secret');
    expect(get?.has('content-type')).toBe(false);
    expect(get?.has('x-memnex-channel')).toBe(false);
  });

  it('adds extra headers but never lets them replace the key or the channel', async () => {
    const fake = createFakeFetch();
    const client = createMemnexClient({
      url: 'http://memnex.test',
      apiKey: 'mx_test_secret',
      channel: 'voice',
      fetch: fake.fetch,
      headers: { 'X-Proxy-Token': 'p', Authorization: 'Bearer other', 'X-Memnex-Channel': 'sms' },
    });
    await client.memory.read({ user });

    expect(fake.requests[0]?.headers.get('x-proxy-token')).toBe('p');
    expect(fake.requests[0]?.headers.get('authorization')).toBe('Bearer mx_test_secret');
    expect(fake.requests[0]?.headers.get('x-memnex-channel')).toBe('voice');
  });
});

describe('createMemnexClient url', () => {
  it.each([
    ['http://127.0.0.1:8000', 'http://127.0.0.1:8000/v1/memory/read'],
    ['http://127.0.0.1:8000/', 'http://127.0.0.1:8000/v1/memory/read'],
    ['http://127.0.0.1:8000/v1', 'http://127.0.0.1:8000/v1/memory/read'],
    ['http://127.0.0.1:8000/v1/', 'http://127.0.0.1:8000/v1/memory/read'],
    ['https://proxy.test/memnex/v1', 'https://proxy.test/memnex/v1/memory/read'],
  ])('%s calls %s', async (url, expected) => {
    const fake = createFakeFetch();
    await createMemnexClient({ url, apiKey: 'k', fetch: fake.fetch }).memory.read({ user });
    expect(fake.requests[0]?.url).toBe(expected);
  });
});

describe('createMemnexClient options', () => {
  const fetch = createFakeFetch().fetch;

  it.each([
    ['an empty api key', { url: 'http://memnex.test', apiKey: '' }, 'apiKey'],
    ['a missing api key', { url: 'http://memnex.test' }, 'apiKey'],
    ['a relative url', { url: '/v1', apiKey: 'k' }, 'url'],
    ['a non-http url', { url: 'ftp://memnex.test', apiKey: 'k' }, 'url'],
    ['negative retries', { url: 'http://memnex.test', apiKey: 'k', maxRetries: -1 }, 'maxRetries'],
    ['a zero timeout', { url: 'http://memnex.test', apiKey: 'k', timeoutMs: 0 }, 'timeoutMs'],
    [
      'a WebSocket that is not a class',
      { url: 'http://memnex.test', apiKey: 'k', WebSocket: 'ws' },
      'WebSocket',
    ],
  ])('throws VALIDATION_FAILED at once for %s', (_name, options, path) => {
    let thrown: unknown;
    try {
      createMemnexClient({ fetch, ...options } as Parameters<typeof createMemnexClient>[0]);
    } catch (error) {
      thrown = error;
    }
    expect(MemnexError.isInstance(thrown)).toBe(true);
    expect(thrown).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [expect.objectContaining({ path })] },
    });
  });
});
