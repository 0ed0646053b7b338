import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeQdrant, type FakeQdrantServer } from './fake-qdrant-server.js';

// The fake is only worth what its fidelity is worth: these pin the server behaviour it mimics.

let fake: FakeQdrantServer;
const NAME = 'fake_test_abcdef';

beforeAll(async () => {
  fake = await startFakeQdrant();
  await call('PUT', `/collections/${NAME}`, { vectors: { size: 2, distance: 'Cosine' } });
  for (const [field_name, field_schema] of [
    ['group', 'keyword'],
    ['rank', 'integer'],
    ['flag', 'bool'],
  ]) {
    await call('PUT', `/collections/${NAME}/index?wait=true`, { field_name, field_schema });
  }
  await call('PUT', `/collections/${NAME}/points?wait=true`, {
    points: [
      { id: 1, vector: [3, 4], payload: { group: 'a', rank: 1, flag: true, note: 'x' } },
      { id: 2, vector: [0, 2], payload: { group: 'b', rank: 2, flag: false } },
      {
        id: 'A1B2C3D4-0000-4000-8000-000000000003',
        vector: [-1, 0],
        payload: { group: ['a', 'c'], rank: 3, flag: true },
      },
    ],
  });
});
afterAll(() => fake.close());

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const count = async (filter: unknown) =>
  (
    (await call('POST', `/collections/${NAME}/points/count`, { filter })).json.result as {
      count: number;
    }
  ).count;

describe('fake qdrant', () => {
  it("answers in Qdrant's envelope and records the request", async () => {
    const { status, json } = await call('GET', '/collections');
    expect(status).toBe(200);
    expect(json).toEqual({
      result: { collections: [{ name: NAME }] },
      status: 'ok',
      time: expect.any(Number) as number,
    });
    expect(fake.requests.at(-1)).toEqual({
      method: 'GET',
      path: '/collections',
      query: {},
      body: undefined,
      apiKey: undefined,
    });
  });

  it('answers 404 for a missing collection and 409 for a second create', async () => {
    const missing = await call('GET', '/collections/nope');
    expect(missing.status).toBe(404);
    expect(missing.json.status).toEqual({ error: "Not found: Collection `nope` doesn't exist!" });
    const again = await call('PUT', `/collections/${NAME}`, {
      vectors: { size: 2, distance: 'Cosine' },
    });
    expect(again.status).toBe(409);
  });

  it('scores by cosine on normalised vectors, best first, with the payload asked for', async () => {
    const { json } = await call('POST', `/collections/${NAME}/points/query`, {
      query: [1, 0],
      with_payload: ['group'],
      limit: 3,
    });
    const { points } = json.result as {
      points: Array<{ id: unknown; score: number; payload: unknown }>;
    };
    expect(points.map((point) => point.id)).toEqual([1, 2, 'a1b2c3d4-0000-4000-8000-000000000003']);
    expect(points.map((point) => point.score)).toEqual([Math.fround(0.6), 0, -1]);
    expect(points[0]!.payload).toEqual({ group: 'a' });
  });

  it('filters with must, should, must_not, match any/except, ranges, arrays and has_id', async () => {
    expect(await count({ must: [{ key: 'group', match: { value: 'a' } }] })).toBe(2);
    expect(await count({ should: [{ key: 'rank', range: { gte: 3 } }, { has_id: [2] }] })).toBe(2);
    expect(await count({ must_not: [{ key: 'flag', match: { value: true } }] })).toBe(1);
    expect(await count({ must: [{ key: 'group', match: { any: ['b', 'c'] } }] })).toBe(2);
    expect(await count({ must: [{ key: 'group', match: { except: ['a'] } }] })).toBe(2);
    expect(await count({ must: [{ key: 'rank', range: { gt: 1, lt: 3 } }] })).toBe(1);
    expect(
      await count({ must: [{ must: [{ has_id: ['a1b2c3d4000040008000000000000003'] }] }] }),
    ).toBe(1);
  });

  it('refuses a filter on a field without a fitting payload index, like strict mode', async () => {
    const unindexed = await call('POST', `/collections/${NAME}/points/count`, {
      filter: { must: [{ key: 'note', match: { value: 'x' } }] },
    });
    expect(unindexed.status).toBe(400);
    expect(JSON.stringify(unindexed.json)).toContain('Index required but not found for \\"note\\"');
    const wrongType = await call('POST', `/collections/${NAME}/points/count`, {
      filter: { must: [{ key: 'group', range: { gte: 1 } }] },
    });
    expect(wrongType.status).toBe(400);
  });

  it('refuses vectors of the wrong size and ids that are not integers or UUIDs', async () => {
    const wrongSize = await call('PUT', `/collections/${NAME}/points`, {
      points: [{ id: 9, vector: [1, 2, 3] }],
    });
    expect(wrongSize.status).toBe(400);
    expect(wrongSize.json.status).toEqual({
      error: 'Wrong input: Vector dimension error: expected dim: 2, got 3',
    });
    const badId = await call('PUT', `/collections/${NAME}/points`, {
      points: [{ id: 'memory-1', vector: [1, 2] }],
    });
    expect(badId.status).toBe(400);
  });

  it('merges set_payload into selected points and refuses unknown point ids', async () => {
    await call('POST', `/collections/${NAME}/points/payload?wait=true`, {
      payload: { flag: false },
      filter: { must: [{ key: 'group', match: { value: 'b' } }] },
    });
    expect(await count({ must: [{ key: 'flag', match: { value: false } }] })).toBe(1);
    const unknown = await call('POST', `/collections/${NAME}/points/payload`, {
      payload: { flag: true },
      points: [77],
    });
    expect(unknown.status).toBe(404);
  });

  it('answers injected failures, then recovers', async () => {
    fake.fail({ status: 503, match: /^GET \/collections$/ });
    expect((await call('GET', '/collections')).status).toBe(503);
    expect((await call('GET', '/collections')).status).toBe(200);
  });
});
