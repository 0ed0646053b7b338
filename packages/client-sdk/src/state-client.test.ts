import { MemnexError } from '@memnex/core/wire';
import { describe, expect, it } from 'vitest';
import { createMemnexClient } from './create-client.js';
import {
  createFakeFetch,
  errorResponse,
  jsonResponse,
  type FakeAnswer,
} from './testing/fake-fetch.js';

function clientWith(...answers: FakeAnswer[]) {
  const fake = createFakeFetch(...answers);
  const client = createMemnexClient({
    url: 'http://memnex.test',
    apiKey: 'mx_test_secret',
    fetch: fake.fetch,
    retryDelayMs: 1,
    WebSocket: null,
  });
  return { client, requests: fake.requests };
}

const entry = {
  key: 'team/alpha:tasks',
  value: { open: 3 },
  version: 4,
  updatedAt: '2025-01-02T03:04:05.000Z',
  updatedBy: 'key_1',
  expiresAt: null,
};

const schemaRecord = {
  pattern: 'plan:*',
  schema: { type: 'object' },
  updatedAt: '2025-01-02T03:04:05.000Z',
  updatedBy: 'key_1',
};

async function failureOf(promise: Promise<unknown>): Promise<MemnexError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!MemnexError.isInstance(error)) throw new Error(`expected a MemnexError, got ${error}`);
  return error;
}

describe('state values', () => {
  it.each([
    ['team/alpha:tasks', '/v1/state/values/team%2Falpha%3Atasks'],
    ['plan:goal', '/v1/state/values/plan%3Agoal'],
    ['a#b%c&d+e=f@g', '/v1/state/values/a%23b%25c%26d%2Be%3Df%40g'],
    ['näme~1', '/v1/state/values/n%C3%A4me~1'],
  ])('gets %s as one encoded path segment', async (key, path) => {
    const { client, requests } = clientWith(jsonResponse(200, { ...entry, key }));

    await expect(client.state.get(key)).resolves.toEqual({ ...entry, key });

    expect(requests[0]?.method).toBe('GET');
    expect(requests[0]?.path).toBe(path);
    expect(requests[0]?.headers.get('authorization')).toBe('Bearer mx_test_secret');
  });

  it('answers null for a key without a value, and throws a 404 that is not Memnex', async () => {
    await expect(clientWith(errorResponse(404, 'NOT_FOUND')).client.state.get('a')).resolves.toBe(
      null,
    );
    const wrongUrl = clientWith(new Response('Not Found', { status: 404 })).client;
    await expect(wrongUrl.state.get('a')).rejects.toMatchObject({ code: 'INTERNAL', status: 404 });
  });

  it('sets a value with PUT and its options', async () => {
    const { client, requests } = clientWith(jsonResponse(200, entry));

    await expect(
      client.state.set('team/alpha:tasks', { open: 3 }, { ifVersion: 3, ttlSeconds: 60 }),
    ).resolves.toEqual(entry);
    await client.state.set('plan:goal', 'ship');

    expect(requests[0]).toMatchObject({
      method: 'PUT',
      path: '/v1/state/values/team%2Falpha%3Atasks',
      body: { value: { open: 3 }, ifVersion: 3, ttlSeconds: 60 },
    });
    expect(requests[0]?.headers.get('content-type')).toBe('application/json');
    expect(requests[1]?.body).toStrictEqual({ value: 'ship' });
  });

  it('maps a 409 to CONFLICT with the current version, and does not retry it', async () => {
    const { client, requests } = clientWith(
      errorResponse(409, 'CONFLICT', { details: { currentVersion: 7 } }),
    );

    const error = await failureOf(client.state.set('plan:goal', 'ship', { ifVersion: 3 }));

    expect(error).toMatchObject({ code: 'CONFLICT', status: 409, details: { currentVersion: 7 } });
    expect(requests).toHaveLength(1);
  });

  it('keeps the validation issues of a 400, with their JSON pointers', async () => {
    const issues = [{ path: '/steps/0', message: 'must be string', code: 'type' }];
    const { client } = clientWith(errorResponse(400, 'VALIDATION_FAILED', { details: { issues } }));

    const error = await failureOf(client.state.set('plan:goal', { steps: [1] }));

    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', details: { issues } });
  });

  it('retries an unconditional set, and sends a conditional one once', async () => {
    const unavailable = errorResponse(503, 'STORAGE_UNAVAILABLE');
    const plain = clientWith(unavailable, jsonResponse(200, entry));
    await expect(plain.client.state.set('a', 1)).resolves.toEqual(entry);
    expect(plain.requests).toHaveLength(2);

    const conditional = clientWith(unavailable, jsonResponse(200, entry));
    await expect(conditional.client.state.set('a', 1, { ifVersion: 0 })).rejects.toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
    });
    expect(conditional.requests).toHaveLength(1);

    const conditionalDelete = clientWith(unavailable);
    await expect(conditionalDelete.client.state.delete('a', { ifVersion: 2 })).rejects.toThrow();
    expect(conditionalDelete.requests).toHaveLength(1);
  });

  it('deletes with ifVersion in the query', async () => {
    const result = { key: 'plan:goal', deleted: true, version: 5 };
    const { client, requests } = clientWith(jsonResponse(200, result));

    await expect(client.state.delete('plan:goal', { ifVersion: 4 })).resolves.toEqual(result);
    await client.state.delete('plan:goal');

    expect(requests[0]).toMatchObject({
      method: 'DELETE',
      path: '/v1/state/values/plan%3Agoal',
      query: { ifVersion: '4' },
      body: undefined,
    });
    expect(requests[1]?.query).toEqual({});
  });

  it('lists one page with its filters', async () => {
    const page = { entries: [entry], nextCursor: 'c2' };
    const { client, requests } = clientWith(jsonResponse(200, page));

    await expect(
      client.state.list({ pattern: 'team/*:tasks', prefix: 'team/', limit: 10, cursor: 'c1' }),
    ).resolves.toEqual(page);

    expect(requests[0]?.path).toBe('/v1/state/values');
    expect(requests[0]?.query).toEqual({
      pattern: 'team/*:tasks',
      prefix: 'team/',
      limit: '10',
      cursor: 'c1',
    });
    expect(requests[0]?.url).toContain('pattern=team%2F*%3Atasks');
  });

  it('walks every page with listAll', async () => {
    const entries = ['a', 'b', 'c'].map((key, index) => ({ ...entry, key, version: index + 1 }));
    const { client, requests } = clientWith(
      jsonResponse(200, { entries: entries.slice(0, 2), nextCursor: 'p2' }),
      jsonResponse(200, { entries: entries.slice(2), nextCursor: null }),
    );

    const seen: string[] = [];
    for await (const item of client.state.listAll({ prefix: 'x', limit: 2 })) seen.push(item.key);

    expect(seen).toEqual(['a', 'b', 'c']);
    expect(requests.map((request) => request.query)).toEqual([
      { prefix: 'x', limit: '2' },
      { prefix: 'x', limit: '2', cursor: 'p2' },
    ]);
  });

  it('stops fetching pages when the loop stops', async () => {
    const { client, requests } = clientWith(
      jsonResponse(200, { entries: [entry, entry], nextCursor: 'p2' }),
    );

    for await (const _item of client.state.listAll()) break;

    expect(requests).toHaveLength(1);
  });

  it.each(['', '.', '..'])('refuses the key %j before sending anything', async (key) => {
    const { client, requests } = clientWith();

    const error = await failureOf(client.state.get(key));

    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toMatchObject({ issues: [{ path: 'key' }] });
    await expect(client.state.set(key, 1)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(client.state.getSchema(key)).rejects.toMatchObject({
      details: { issues: [{ path: 'pattern' }] },
    });
    expect(requests).toHaveLength(0);
  });
});

describe('state schemas', () => {
  it.each([
    ['plan:*', '/v1/state/schemas/plan%3A*'],
    ['team/?/tasks', '/v1/state/schemas/team%2F%3F%2Ftasks'],
  ])('sends the pattern %s as one encoded path segment', async (pattern, path) => {
    const { client, requests } = clientWith(jsonResponse(200, { ...schemaRecord, pattern }));

    await client.state.getSchema(pattern);
    await client.state.setSchema(pattern, { type: 'object' });
    await client.state.deleteSchema(pattern);

    expect(requests.map((request) => [request.method, request.path, request.body])).toEqual([
      ['GET', path, undefined],
      ['PUT', path, { schema: { type: 'object' } }],
      ['DELETE', path, undefined],
    ]);
  });

  it('answers null when no schema is registered', async () => {
    const { client } = clientWith(errorResponse(404, 'NOT_FOUND'));
    await expect(client.state.getSchema('plan:*')).resolves.toBeNull();
  });

  it('returns what the server answered', async () => {
    const { client } = clientWith(
      jsonResponse(200, schemaRecord),
      jsonResponse(200, { pattern: 'plan:*', deleted: true }),
      jsonResponse(200, { schemas: [schemaRecord] }),
    );

    await expect(client.state.setSchema('plan:*', true)).resolves.toEqual(schemaRecord);
    await expect(client.state.deleteSchema('plan:*')).resolves.toEqual({
      pattern: 'plan:*',
      deleted: true,
    });
    await expect(client.state.listSchemas()).resolves.toEqual([schemaRecord]);
  });

  it('lists the schemas with GET /v1/state/schemas', async () => {
    const { client, requests } = clientWith(jsonResponse(200, { schemas: [] }));
    await expect(client.state.listSchemas()).resolves.toEqual([]);
    expect(requests[0]).toMatchObject({ method: 'GET', path: '/v1/state/schemas' });
  });
});
