import { MemnexError } from '@memnex/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type FakeHttpServer,
  type RecordedRequest,
  startFakeHttpServer,
} from '@memnex/provider-utils/testing';
import { createOpenAIEmbedder } from './openai-embedder.js';
import { fakeVector } from './testing/fake-vector.js';
import { cosineSimilarity } from './vector-math.js';

const API_KEY = 'sk-test-0123456789abcdef';

let server: FakeHttpServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function inputOf(request: RecordedRequest): string[] {
  return (request.body as { input: string[] }).input;
}

/** Answers like OpenAI: one item per input with its index, in order unless `reverse`. */
async function startOpenAI(dimensions: number, reverse = false): Promise<FakeHttpServer> {
  server = await startFakeHttpServer((request) => {
    const data = inputOf(request).map((text, index) => ({
      object: 'embedding',
      index,
      embedding: fakeVector(text, dimensions),
    }));
    if (reverse) data.reverse();
    return { status: 200, body: { object: 'list', data, model: 'm', usage: {} } };
  });
  return server;
}

function norm(vector: Float32Array): number {
  return Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
}

describe('createOpenAIEmbedder', () => {
  it('sends the exact OpenAI request and returns unit vectors in input order', async () => {
    const fake = await startOpenAI(4);
    const embedder = createOpenAIEmbedder({
      url: `${fake.url}/v1/`,
      model: 'text-embedding-3-small',
      apiKey: API_KEY,
      dimensions: 4,
      headers: { 'x-project': 'memnex' },
    });
    const vectors = await embedder.embed(['first text', 'second text']);

    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0] as RecordedRequest;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/embeddings');
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-project']).toBe('memnex');
    expect(request.body).toEqual({
      model: 'text-embedding-3-small',
      input: ['first text', 'second text'],
      encoding_format: 'float',
      dimensions: 4,
    });
    expect(embedder.model).toBe('openai:text-embedding-3-small');
    expect(embedder.dimensions).toBe(4);
    expect(vectors).toHaveLength(2);
    for (const vector of vectors) expect(norm(vector)).toBeCloseTo(1, 5);
    expect(cosineSimilarity(vectors[0]!, fakeVector('first text', 4))).toBeCloseTo(1, 5);
    expect(cosineSimilarity(vectors[1]!, fakeVector('second text', 4))).toBeCloseTo(1, 5);
  });

  it('sends no Authorization or dimensions when not configured and learns the length', async () => {
    const fake = await startOpenAI(3);
    const embedder = createOpenAIEmbedder({ url: fake.url, model: 'nomic-embed-text' });
    expect(embedder.dimensions).toBe(0);
    await embedder.embed(['hello']);
    const request = fake.requests[0] as RecordedRequest;
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body).toEqual({
      model: 'nomic-embed-text',
      input: ['hello'],
      encoding_format: 'float',
    });
    expect(embedder.dimensions).toBe(3);
  });

  it('learns the length on init() with one probe request', async () => {
    const fake = await startOpenAI(5);
    const embedder = createOpenAIEmbedder({ url: fake.url, model: 'm' });
    await embedder.init?.();
    expect(embedder.dimensions).toBe(5);
    expect(fake.requests).toHaveLength(1);
  });

  it('orders vectors by index when the endpoint answers out of order', async () => {
    const fake = await startOpenAI(4, true);
    const embedder = createOpenAIEmbedder({ url: fake.url, model: 'm', dimensions: 4 });
    const texts = ['alpha', 'bravo', 'charlie'];
    const vectors = await embedder.embed(texts);
    texts.forEach((text, index) => {
      expect(cosineSimilarity(vectors[index]!, fakeVector(text, 4))).toBeCloseTo(1, 5);
    });
  });

  it('turns a non-2xx answer into EMBEDDING_FAILED with the status and never the key', async () => {
    server = await startFakeHttpServer(() => ({
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${API_KEY}` } },
    }));
    const embedder = createOpenAIEmbedder({ url: server.url, model: 'm', apiKey: API_KEY });
    const error = await embedder.embed(['x']).catch((caught: unknown) => caught);
    expect(MemnexError.isInstance(error)).toBe(true);
    const failure = error as MemnexError;
    expect(failure.code).toBe('EMBEDDING_FAILED');
    expect(failure.message).toContain('401');
    expect(failure.message).toContain('Incorrect API key');
    expect(failure.message).not.toContain(API_KEY);
    expect(JSON.stringify(failure.details)).not.toContain(API_KEY);
    expect(failure.details).toMatchObject({ status: 401 });
  });

  it('fails with EMBEDDING_FAILED when the endpoint does not answer in time', async () => {
    server = await startFakeHttpServer(() => undefined);
    const embedder = createOpenAIEmbedder({ url: server.url, model: 'm', timeoutMs: 50 });
    await expect(embedder.embed(['x'])).rejects.toMatchObject({
      code: 'EMBEDDING_FAILED',
      message: expect.stringContaining('timed out after 50 ms'),
    });
  });

  it('fails with EMBEDDING_FAILED when the caller aborts', async () => {
    server = await startFakeHttpServer(() => undefined);
    const embedder = createOpenAIEmbedder({ url: server.url, model: 'm' });
    const controller = new AbortController();
    const pending = embedder.embed(['x'], { signal: controller.signal });
    await expect.poll(() => server?.requests.length).toBe(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({
      code: 'EMBEDDING_FAILED',
      details: { aborted: true },
    });
  });

  it('rejects vectors whose length differs from the configured dimensions', async () => {
    const fake = await startOpenAI(3);
    const embedder = createOpenAIEmbedder({ url: fake.url, model: 'm', dimensions: 4 });
    await expect(embedder.embed(['x'])).rejects.toMatchObject({
      code: 'EMBEDDING_FAILED',
      details: { expected: 4, received: 3 },
    });
  });

  it('rejects a later answer whose length differs from the learned one', async () => {
    let dimensions = 3;
    server = await startFakeHttpServer((request) => ({
      status: 200,
      body: {
        data: inputOf(request).map((text, index) => ({
          index,
          embedding: fakeVector(text, dimensions),
        })),
      },
    }));
    const embedder = createOpenAIEmbedder({ url: server.url, model: 'm' });
    await embedder.embed(['one']);
    dimensions = 5;
    await expect(embedder.embed(['two'])).rejects.toMatchObject({ code: 'EMBEDDING_FAILED' });
    expect(embedder.dimensions).toBe(3);
  });

  it('rejects a malformed answer', async () => {
    server = await startFakeHttpServer(() => ({ status: 200, body: { data: [] } }));
    const embedder = createOpenAIEmbedder({ url: server.url, model: 'm' });
    await expect(embedder.embed(['x'])).rejects.toMatchObject({ code: 'EMBEDDING_FAILED' });
  });

  it('fails with EMBEDDING_FAILED on an answer that is not JSON or an unreachable endpoint', async () => {
    server = await startFakeHttpServer(() => ({ status: 200, body: `<html>${API_KEY}</html>` }));
    const embedder = createOpenAIEmbedder({ url: server.url, model: 'm', apiKey: API_KEY });
    await expect(embedder.embed(['x'])).rejects.toMatchObject({
      code: 'EMBEDDING_FAILED',
      message: 'openai embedding request returned invalid JSON: <html>[redacted]</html>',
      details: { provider: 'openai' },
    });
    const refused = new TypeError('fetch failed');
    const unreachable = createOpenAIEmbedder({
      url: 'http://127.0.0.1:9',
      model: 'm',
      fetch: () => Promise.reject(refused),
    });
    await expect(unreachable.embed(['x'])).rejects.toMatchObject({
      code: 'EMBEDDING_FAILED',
      message: 'openai embedding request failed before a response arrived',
      cause: refused,
    });
  });

  it('splits 250 texts into requests of at most batchSize and keeps the order', async () => {
    const fake = await startOpenAI(4);
    const embedder = createOpenAIEmbedder({
      url: fake.url,
      model: 'm',
      dimensions: 4,
      batchSize: 96,
    });
    const texts = Array.from({ length: 250 }, (_, index) => `text number ${index}`);
    const vectors = await embedder.embed(texts);
    expect(fake.requests.map((request) => inputOf(request).length)).toEqual([96, 96, 58]);
    expect(fake.requests.flatMap(inputOf)).toEqual(texts);
    expect(cosineSimilarity(vectors[200]!, fakeVector(texts[200]!, 4))).toBeCloseTo(1, 5);
  });

  it('serves repeated texts from the cache and sends duplicates once', async () => {
    const fake = await startOpenAI(4);
    const embedder = createOpenAIEmbedder({ url: fake.url, model: 'm', dimensions: 4 });
    const first = await embedder.embed(['a', 'b', 'a']);
    expect(fake.requests.map(inputOf)).toEqual([['a', 'b']]);
    expect(Array.from(first[2]!)).toEqual(Array.from(first[0]!));
    const second = await embedder.embed(['b', 'a']);
    expect(fake.requests).toHaveLength(1);
    expect(Array.from(second[0]!)).toEqual(Array.from(first[1]!));
  });

  it('rejects bad options with VALIDATION_FAILED listing every problem', () => {
    let caught: unknown;
    try {
      createOpenAIEmbedder({ url: 'not a url', model: '', batchSize: 0, timeoutMs: -1 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'VALIDATION_FAILED' });
    const issues = (caught as MemnexError).details?.issues as { path: string }[];
    expect(issues.map((issue) => issue.path).sort()).toEqual([
      'batchSize',
      'model',
      'timeoutMs',
      'url',
    ]);
  });
});
