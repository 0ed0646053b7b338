import { afterEach, describe, expect, it } from 'vitest';
import { postJson, type PostJsonFailure, type PostJsonRequest } from './post-json.js';
import {
  type FakeHttpServer,
  type FakeReply,
  startFakeHttpServer,
} from './testing/fake-http-server.js';

const SECRET = 'sk-test-0123456789abcdef';

let server: FakeHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Thrown by the test's `toError`, carrying the failure it was given. */
class RecordedFailure extends Error {
  constructor(readonly failure: PostJsonFailure) {
    super(failure.kind);
  }
}

async function requestTo(
  reply: () => FakeReply,
  overrides: Partial<PostJsonRequest> = {},
): Promise<PostJsonRequest> {
  server = await startFakeHttpServer(reply);
  return {
    provider: 'acme',
    url: `${server.url}/v1/things`,
    headers: { authorization: `Bearer ${SECRET}` },
    body: { input: ['a', 'b'] },
    fetch: globalThis.fetch,
    timeoutMs: 5000,
    secrets: [SECRET],
    logger: { debug: () => {} },
    logMessage: 'thing request',
    toError: (failure) => new RecordedFailure(failure),
    ...overrides,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<PostJsonFailure> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RecordedFailure);
  return (error as RecordedFailure).failure;
}

describe('postJson', () => {
  it('posts the body as JSON with the headers, logs the exchange and returns the parsed answer', async () => {
    const lines: Array<{ message: string; fields?: Record<string, unknown> }> = [];
    const request = await requestTo(() => ({ status: 200, body: { ok: true } }), {
      headers: { authorization: `Bearer ${SECRET}`, 'x-project': 'memnex' },
      logger: { debug: (message, fields) => lines.push({ message, fields }) },
    });

    await expect(postJson(request)).resolves.toEqual({ ok: true });

    const recorded = server!.requests[0]!;
    expect(recorded.method).toBe('POST');
    expect(recorded.path).toBe('/v1/things');
    expect(recorded.headers['content-type']).toBe('application/json');
    expect(recorded.headers.accept).toBe('application/json');
    expect(recorded.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(recorded.headers['x-project']).toBe('memnex');
    expect(recorded.body).toEqual({ input: ['a', 'b'] });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      message: 'thing request',
      fields: { provider: 'acme', status: 200 },
    });
    expect(lines[0]!.fields?.durationMs).toEqual(expect.any(Number));
  });

  it('reports a timeout with the time limit', async () => {
    const request = await requestTo(() => undefined, { timeoutMs: 100 });
    const failure = await failureOf(postJson(request));
    expect(failure).toMatchObject({ kind: 'timeout', provider: 'acme', timeoutMs: 100 });
  });

  it("reports the caller's abort", async () => {
    const controller = new AbortController();
    const request = await requestTo(() => undefined, { signal: controller.signal });
    const pending = postJson(request);
    controller.abort();
    expect(await failureOf(pending)).toMatchObject({ kind: 'aborted', provider: 'acme' });
  });

  it('reports a network failure with what fetch threw as the cause', async () => {
    const refused = new TypeError('fetch failed');
    const request = await requestTo(() => undefined, {
      fetch: () => Promise.reject(refused),
    });
    expect(await failureOf(postJson(request))).toEqual({
      kind: 'network',
      provider: 'acme',
      cause: refused,
    });
  });

  it('reports a non-2xx answer with its status and a one-line excerpt without the secrets', async () => {
    const request = await requestTo(() => ({
      status: 401,
      body: `Incorrect API key ${SECRET}\n\n  provided.${' padding'.repeat(40)}`,
    }));
    const failure = await failureOf(postJson(request));
    expect(failure).toMatchObject({ kind: 'http', provider: 'acme', status: 401 });
    const body = (failure as { body: string }).body;
    expect(body.startsWith('Incorrect API key [redacted] provided. padding')).toBe(true);
    expect(body).not.toContain(SECRET);
    expect(body).toHaveLength(201);
    expect(body.endsWith('…')).toBe(true);
  });

  it('reports a 2xx answer that is not JSON, without the secrets', async () => {
    const request = await requestTo(() => ({ status: 200, body: `<html>${SECRET}</html>` }));
    const failure = await failureOf(postJson(request));
    expect(failure).toMatchObject({
      kind: 'invalid-json',
      provider: 'acme',
      body: '<html>[redacted]</html>',
    });
    expect((failure as { cause: unknown }).cause).toBeInstanceOf(SyntaxError);
  });
});
