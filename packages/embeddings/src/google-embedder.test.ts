import type { MemnexError } from '@memnex/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type FakeHttpServer,
  type RecordedRequest,
  startFakeHttpServer,
} from '@memnex/provider-utils/testing';
import { createGoogleEmbedder } from './google-embedder.js';
import { fakeVector } from './testing/fake-vector.js';
import { cosineSimilarity } from './vector-math.js';

const API_KEY = 'AIza-test-0123456789';

interface GoogleRequestBody {
  requests: { model: string; content: { parts: { text: string }[] } }[];
}

let server: FakeHttpServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function textsOf(request: RecordedRequest): string[] {
  return (request.body as GoogleRequestBody).requests.map(
    (item) => item.content.parts[0]?.text ?? '',
  );
}

async function startGoogle(dimensions: number): Promise<FakeHttpServer> {
  server = await startFakeHttpServer((request) => ({
    status: 200,
    body: {
      embeddings: textsOf(request).map((text) => ({ values: fakeVector(text, dimensions) })),
    },
  }));
  return server;
}

describe('createGoogleEmbedder', () => {
  it('sends the exact batchEmbedContents request and returns 768-d unit vectors', async () => {
    const fake = await startGoogle(768);
    const embedder = createGoogleEmbedder({ apiKey: API_KEY, baseUrl: `${fake.url}/v1beta` });
    const vectors = await embedder.embed(['first text', 'second text']);

    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0] as RecordedRequest;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1beta/models/text-embedding-004:batchEmbedContents');
    expect(request.headers['x-goog-api-key']).toBe(API_KEY);
    expect(request.headers.authorization).toBeUndefined();
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toEqual({
      requests: [
        { model: 'models/text-embedding-004', content: { parts: [{ text: 'first text' }] } },
        { model: 'models/text-embedding-004', content: { parts: [{ text: 'second text' }] } },
      ],
    });
    expect(embedder.model).toBe('google:text-embedding-004');
    expect(embedder.dimensions).toBe(768);
    expect(vectors[0]).toHaveLength(768);
    expect(cosineSimilarity(vectors[1]!, fakeVector('second text', 768))).toBeCloseTo(1, 5);
  });

  it('sends taskType and outputDimensionality when configured', async () => {
    const fake = await startGoogle(256);
    const embedder = createGoogleEmbedder({
      apiKey: API_KEY,
      baseUrl: fake.url,
      model: 'models/gemini-embedding-001',
      dimensions: 256,
      taskType: 'RETRIEVAL_DOCUMENT',
    });
    await embedder.embed(['hello']);
    const request = fake.requests[0] as RecordedRequest;
    expect(request.path).toBe('/models/gemini-embedding-001:batchEmbedContents');
    expect(request.body).toEqual({
      requests: [
        {
          model: 'models/gemini-embedding-001',
          content: { parts: [{ text: 'hello' }] },
          taskType: 'RETRIEVAL_DOCUMENT',
          outputDimensionality: 256,
        },
      ],
    });
    expect(embedder.dimensions).toBe(256);
  });

  it('turns a non-2xx answer into EMBEDDING_FAILED without the key', async () => {
    server = await startFakeHttpServer(() => ({
      status: 400,
      body: { error: { code: 400, message: `API key not valid: ${API_KEY}` } },
    }));
    const embedder = createGoogleEmbedder({ apiKey: API_KEY, baseUrl: server.url });
    const error = (await embedder.embed(['x']).catch((caught: unknown) => caught)) as MemnexError;
    expect(error.code).toBe('EMBEDDING_FAILED');
    expect(error.message).toContain('400');
    expect(error.message).not.toContain(API_KEY);
  });

  it('fails with EMBEDDING_FAILED on a timeout', async () => {
    server = await startFakeHttpServer(() => undefined);
    const embedder = createGoogleEmbedder({ apiKey: API_KEY, baseUrl: server.url, timeoutMs: 50 });
    await expect(embedder.embed(['x'])).rejects.toMatchObject({ code: 'EMBEDDING_FAILED' });
  });

  it('rejects answers with the wrong count or length', async () => {
    server = await startFakeHttpServer(() => ({ status: 200, body: { embeddings: [] } }));
    const embedder = createGoogleEmbedder({ apiKey: API_KEY, baseUrl: server.url });
    await expect(embedder.embed(['x'])).rejects.toMatchObject({ code: 'EMBEDDING_FAILED' });
    await server.close();
    const fake = await startGoogle(10);
    const mismatched = createGoogleEmbedder({ apiKey: API_KEY, baseUrl: fake.url });
    await expect(mismatched.embed(['x'])).rejects.toMatchObject({
      code: 'EMBEDDING_FAILED',
      details: { expected: 768, received: 10 },
    });
  });

  it('batches 250 texts into 3 requests and serves repeats from the cache', async () => {
    const fake = await startGoogle(768);
    const embedder = createGoogleEmbedder({ apiKey: API_KEY, baseUrl: fake.url });
    const texts = Array.from({ length: 250 }, (_, index) => `memory ${index}`);
    await embedder.embed(texts);
    expect(fake.requests.map((request) => textsOf(request).length)).toEqual([96, 96, 58]);
    await embedder.embed(texts.slice(0, 10));
    expect(fake.requests).toHaveLength(3);
  });

  it('rejects a missing key and an unknown task type with VALIDATION_FAILED', () => {
    expect(() =>
      createGoogleEmbedder({ apiKey: '', taskType: 'GUESSING' as 'RETRIEVAL_QUERY' }),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
