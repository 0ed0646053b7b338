import { MemnexError } from '@memnex/core/wire';
import { describe, expect, it } from 'vitest';
import { createMemnexClient } from './create-client.js';
import type { MemnexClient } from './types.js';
import {
  createFakeFetch,
  errorResponse,
  jsonResponse,
  stalledResponse,
  type FakeAnswer,
} from './testing/fake-fetch.js';

const user = { userId: 'u_42' };

function clientWith(answer: FakeAnswer, options: { timeoutMs?: number } = {}) {
  const fake = createFakeFetch(answer);
  const client = createMemnexClient({
    url: 'http://memnex.test',
    apiKey: 'k',
    fetch: fake.fetch,
    maxRetries: 0,
    ...options,
  });
  return { client, requests: fake.requests };
}

async function failureOf(promise: Promise<unknown>): Promise<MemnexError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!MemnexError.isInstance(error))
    throw new Error(`expected a MemnexError, got ${String(error)}`);
  return error;
}

describe('error mapping', () => {
  it('keeps the code, message, status and details of a Memnex error body', async () => {
    const issues = [{ path: 'facts.0.text', message: 'must not be empty', code: 'too_small' }];
    const { client } = clientWith(errorResponse(400, 'VALIDATION_FAILED', { details: { issues } }));

    const error = await failureOf(client.memory.read({ user }));

    expect(error).toBeInstanceOf(MemnexError);
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'validation_failed happened',
      status: 400,
      details: { issues },
    });
  });

  it.each([
    [401, 'UNAUTHENTICATED'],
    [403, 'FORBIDDEN'],
    [409, 'CONFLICT'],
    [413, 'PAYLOAD_TOO_LARGE'],
    [502, 'EMBEDDING_FAILED'],
  ])('maps %i %s', async (status, code) => {
    const { client } = clientWith(errorResponse(status, code));
    expect(await failureOf(client.memory.read({ user }))).toMatchObject({ code, status });
  });

  it('turns a code this client does not know into INTERNAL with the status kept', async () => {
    const { client } = clientWith(errorResponse(422, 'QUOTA_EXCEEDED'));
    const error = await failureOf(client.memory.read({ user }));
    expect(error).toMatchObject({
      code: 'INTERNAL',
      status: 422,
      message: 'quota_exceeded happened',
    });
  });

  it('turns a 502 page from a proxy into NETWORK_ERROR with the status and an excerpt', async () => {
    const { client } = clientWith(
      new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    const error = await failureOf(client.memory.read({ user }));
    expect(error).toMatchObject({
      code: 'NETWORK_ERROR',
      status: 502,
      details: { body: '<html>Bad Gateway</html>' },
    });
    expect(error.message).toContain('502 Bad Gateway');
  });

  it('turns any other bare status into INTERNAL', async () => {
    const { client } = clientWith(new Response('', { status: 500 }));
    const error = await failureOf(client.memory.read({ user }));
    expect(error).toMatchObject({ code: 'INTERNAL', status: 500 });
    expect(error.details).toBeUndefined();
  });

  it('reports a success whose body is not JSON as INTERNAL', async () => {
    const { client } = clientWith(new Response('ok', { status: 200 }));
    expect(await failureOf(client.memory.read({ user }))).toMatchObject({ code: 'INTERNAL' });
  });

  it('turns a rejected fetch into NETWORK_ERROR with the cause', async () => {
    const refused = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
    const { client } = clientWith(refused);

    const error = await failureOf(client.memory.read({ user }));

    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.cause).toBe(refused);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain('http://memnex.test');
  });
});

describe('timeouts and cancellation', () => {
  it('gives up on an attempt after timeoutMs with a NETWORK_ERROR', async () => {
    const { client, requests } = clientWith(stalledResponse, { timeoutMs: 20 });

    const error = await failureOf(client.memory.read({ user }));

    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toBe('POST /v1/memory/read timed out after 20 ms');
    expect(requests).toHaveLength(1);
  });

  it('rejects with the abort reason and sends nothing when the signal is already aborted', async () => {
    const { client, requests } = clientWith(jsonResponse(200, {}));
    const reason = new Error('caller hung up');

    await expect(client.memory.read({ user }, { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
    expect(requests).toHaveLength(0);
  });

  it.each([
    [
      'memory.read',
      (client: MemnexClient, signal: AbortSignal) => client.memory.read({ user }, { signal }),
    ],
    [
      'keys.create',
      (client: MemnexClient, signal: AbortSignal) =>
        client.keys.create({ label: 'ivr', scopes: ['admin'] }, { signal }),
    ],
  ])(
    '%s rejects with the abort reason, without retrying, when aborted mid-request',
    async (_name, call) => {
      const fake = createFakeFetch(stalledResponse);
      const client = createMemnexClient({
        url: 'http://memnex.test',
        apiKey: 'k',
        fetch: fake.fetch,
      });
      const controller = new AbortController();
      const reason = new Error('caller hung up');

      const pending = call(client, controller.signal);
      controller.abort(reason);

      await expect(pending).rejects.toBe(reason);
      expect(fake.requests).toHaveLength(1);
    },
  );
});
