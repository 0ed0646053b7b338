import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemnexError, type IndexEntry, type Logger } from '@memnex/core';
import {
  expectMemnexError,
  makeIndexEntry,
  randomId,
  randomTenantId,
  timestamp,
} from '@memnex/storage-conformance';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectionName } from './collection-naming.js';
import { pointId } from './point-mapping.js';
import { createQdrantSemanticIndex } from './qdrant-semantic-index.js';
import { startFakeQdrant, type FakeQdrantServer } from './testing/fake-qdrant-server.js';

const MODEL = 'local:use-lite-512';
/** Pinned: renaming collections would strand every vector already stored. */
const COLLECTION = 'memnex_local_use_lite_512_a72c83';

let fake: FakeQdrantServer;

beforeEach(async () => {
  fake = await startFakeQdrant();
});
afterEach(() => fake.close());

const adapter = (options: { logger?: Logger } = {}) =>
  createQdrantSemanticIndex({ url: fake.url, ...options });

/** The requests since the last call, as `METHOD path`, query and body. */
function takeRequests() {
  const taken = fake.requests.map(({ method, path, query, body }) => ({
    call: `${method} ${path}`,
    query,
    body,
  }));
  fake.clearRequests();
  return taken;
}

function entry(overrides: Partial<IndexEntry> = {}): IndexEntry {
  return makeIndexEntry({
    vector: Float32Array.from([1, 0, 0, 0]),
    model: MODEL,
    observedAt: timestamp(10),
    ...overrides,
  });
}

const owner = (tenantId: string, userId: string) => [
  { key: 'tenant_id', match: { value: tenantId } },
  { key: 'user_id', match: { value: userId } },
];

describe('collections', () => {
  it('creates the collection on first upsert: vector size of the entry, cosine, payload indexes', async () => {
    const index = adapter();
    const tenantId = randomTenantId();
    const first = entry();
    await index.upsert({ tenantId, entries: [first] });
    const requests = takeRequests();
    expect(requests.slice(0, 2)).toEqual([
      { call: `GET /collections/${COLLECTION}`, query: {}, body: undefined },
      {
        call: `PUT /collections/${COLLECTION}`,
        query: {},
        body: { vectors: { size: 4, distance: 'Cosine' } },
      },
    ]);
    const indexes = requests.filter(({ call }) => call === `PUT /collections/${COLLECTION}/index`);
    expect(indexes.map(({ query, body }) => ({ query, body }))).toEqual(
      expect.arrayContaining([
        {
          query: { wait: 'true' },
          body: { field_name: 'tenant_id', field_schema: { type: 'keyword', is_tenant: true } },
        },
        { query: { wait: 'true' }, body: { field_name: 'user_id', field_schema: 'keyword' } },
        { query: { wait: 'true' }, body: { field_name: 'type', field_schema: 'keyword' } },
        { query: { wait: 'true' }, body: { field_name: 'kind', field_schema: 'keyword' } },
        { query: { wait: 'true' }, body: { field_name: 'current', field_schema: 'bool' } },
        { query: { wait: 'true' }, body: { field_name: 'observed_at', field_schema: 'integer' } },
      ]),
    );
    expect(indexes).toHaveLength(6);
    expect(requests.slice(8)).toEqual([
      {
        call: `PUT /collections/${COLLECTION}/points`,
        query: { wait: 'true' },
        body: {
          points: [
            {
              id: pointId(tenantId, first.memoryId),
              vector: [1, 0, 0, 0],
              payload: {
                tenant_id: tenantId,
                user_id: first.userId,
                memory_id: first.memoryId,
                type: 'preference',
                kind: 'fact',
                current: true,
                observed_at: Date.parse(timestamp(10)),
              },
            },
          ],
        },
      },
      // Points of the memory under other models would take its new fields; there are none.
      { call: 'GET /collections', query: {}, body: undefined },
      {
        call: `POST /collections/${COLLECTION}/points`,
        query: {},
        body: { ids: [pointId(tenantId, first.memoryId)], with_payload: false, with_vector: false },
      },
    ]);

    // The collection is known now: the next upsert only writes and looks for other points.
    await index.upsert({ tenantId, entries: [entry()] });
    expect(takeRequests().map(({ call }) => call)).toEqual([
      `PUT /collections/${COLLECTION}/points`,
      'GET /collections',
      `POST /collections/${COLLECTION}/points`,
    ]);
  });

  it('opens an existing collection without recreating it and adds only missing indexes', async () => {
    fake.store.createCollection(COLLECTION, { vectors: { size: 4, distance: 'Cosine' } });
    for (const field_name of ['tenant_id', 'user_id', 'type', 'kind']) {
      fake.store.createIndex(COLLECTION, { field_name, field_schema: 'keyword' });
    }
    const tenantId = randomTenantId();
    await adapter().upsert({ tenantId, entries: [entry()] });
    const calls = takeRequests().map(({ call, body }) => `${call} ${JSON.stringify(body ?? null)}`);
    expect(calls.slice(0, 3).sort()).toEqual([
      `GET /collections/${COLLECTION} null`,
      `PUT /collections/${COLLECTION}/index {"field_name":"current","field_schema":"bool"}`,
      `PUT /collections/${COLLECTION}/index {"field_name":"observed_at","field_schema":"integer"}`,
    ]);
    expect(calls.slice(3).map((call) => call.split(' ').slice(0, 2).join(' '))).toEqual([
      `PUT /collections/${COLLECTION}/points`,
      'GET /collections',
      `POST /collections/${COLLECTION}/points`,
    ]);
  });

  it.each([
    ['409 (current servers)', undefined],
    ['400 "already exists" (older servers)', 400],
  ])(
    'uses a collection another process created between its lookup and its create: %s',
    async (_, injected) => {
      fake.store.createCollection(COLLECTION, { vectors: { size: 4, distance: 'Cosine' } });
      fake.fail({ status: 404, match: new RegExp(`^GET /collections/${COLLECTION}$`) });
      if (injected)
        fake.fail({ status: injected, match: new RegExp(`^PUT /collections/${COLLECTION}$`) });
      const tenantId = randomTenantId();
      await adapter().upsert({ tenantId, entries: [entry()] });
      expect(
        takeRequests()
          .slice(0, 3)
          .map(({ call }) => call),
      ).toEqual([
        `GET /collections/${COLLECTION}`,
        `PUT /collections/${COLLECTION}`,
        `GET /collections/${COLLECTION}`,
      ]);
      expect(fake.store.points(COLLECTION)).toHaveLength(1);
    },
  );

  it('refuses to write into a same-named collection that is not a cosine collection of its size', async () => {
    const tenantId = randomTenantId();
    await adapter().upsert({ tenantId, entries: [entry()] });
    const wider = entry({ vector: Float32Array.from([1, 0, 0, 0, 0]) });
    const error = await expectMemnexError(
      adapter().upsert({ tenantId, entries: [wider] }),
      'VALIDATION_FAILED',
    );
    expect(error.message).toContain('4 dimensions, this one has 5');
    expect(fake.store.points(COLLECTION)).toHaveLength(1);
  });

  it('stores ids and filter fields only, never the text or context of a memory', async () => {
    const tenantId = randomTenantId();
    const secret = entry({ text: 'card 4111 1111 1111 1111', context: 'my card?' });
    await adapter().upsert({ tenantId, entries: [secret] });
    const [stored] = fake.store.points(COLLECTION);
    expect(Object.keys(stored!.payload).sort()).toEqual(
      ['current', 'kind', 'memory_id', 'observed_at', 'tenant_id', 'type', 'user_id'].sort(),
    );
    expect(JSON.stringify(fake.requests)).not.toContain('4111');
  });

  it('stores no point for an entry without a vector, and gives the points it has its fields', async () => {
    const tenantId = randomTenantId();
    const index = adapter();
    const kept = entry();
    await index.upsert({ tenantId, entries: [kept] });
    takeRequests();
    await index.upsert({
      tenantId,
      entries: [{ ...kept, vector: null, model: null, current: false }],
    });
    const id = pointId(tenantId, kept.memoryId);
    expect(takeRequests()).toEqual([
      { call: 'GET /collections', query: {}, body: undefined },
      {
        call: `POST /collections/${COLLECTION}/points`,
        query: {},
        body: { ids: [id], with_payload: false, with_vector: false },
      },
      {
        call: `POST /collections/${COLLECTION}/points/payload`,
        query: { wait: 'true' },
        body: {
          payload: {
            tenant_id: tenantId,
            user_id: kept.userId,
            memory_id: kept.memoryId,
            type: 'preference',
            kind: 'fact',
            current: false,
            observed_at: Date.parse(timestamp(10)),
          },
          points: [id],
        },
      },
    ]);
    expect(fake.store.points(COLLECTION)).toHaveLength(1);
  });
});

describe('search and update requests', () => {
  let tenantId: string;
  let userId: string;

  beforeEach(async () => {
    tenantId = randomTenantId();
    userId = randomId();
    await adapter().upsert({ tenantId, entries: [entry({ userId })] });
    takeRequests();
  });

  it('filters a search by tenant, user, types, kinds, current and the observed_at range', async () => {
    const index = adapter();
    await index.searchVector({
      tenantId,
      userId,
      vector: Float32Array.from([0.5, 0.5, 0, 0]),
      model: MODEL,
      limit: 5,
      filter: {
        types: ['issue', 'resolution'],
        kinds: ['fact'],
        since: timestamp(0),
        until: timestamp(60),
      },
    });
    await index.searchVector({
      tenantId,
      userId,
      vector: Float32Array.from([1, 0, 0, 0]),
      model: MODEL,
      limit: 1,
      filter: { includeHistory: true },
    });
    expect(takeRequests()).toEqual([
      { call: `GET /collections/${COLLECTION}`, query: {}, body: undefined },
      {
        call: `POST /collections/${COLLECTION}/points/query`,
        query: {},
        body: {
          query: [0.5, 0.5, 0, 0],
          filter: {
            must: [
              ...owner(tenantId, userId),
              { key: 'type', match: { any: ['issue', 'resolution'] } },
              { key: 'kind', match: { any: ['fact'] } },
              { key: 'current', match: { value: true } },
              {
                key: 'observed_at',
                range: { gte: Date.parse(timestamp(0)), lt: Date.parse(timestamp(60)) },
              },
            ],
          },
          with_payload: ['memory_id', 'observed_at'],
          limit: 6,
        },
      },
      {
        call: `POST /collections/${COLLECTION}/points/query`,
        query: {},
        body: {
          query: [1, 0, 0, 0],
          filter: { must: owner(tenantId, userId) },
          with_payload: ['memory_id', 'observed_at'],
          limit: 2,
        },
      },
    ]);
  });

  it('fetches every tied point when equal scores straddle the limit', async () => {
    const tied = [1, 2, 3].map((second) =>
      entry({
        userId,
        vector: Float32Array.from([0, 1, 0, 0]),
        observedAt: timestamp(second),
      }),
    );
    await adapter().upsert({ tenantId, entries: tied });
    takeRequests();
    const hits = await adapter().searchVector({
      tenantId,
      userId,
      vector: Float32Array.from([0, 1, 0, 0]),
      model: MODEL,
      limit: 1,
    });
    expect(hits.map((hit) => hit.memoryId)).toEqual([tied[2]!.memoryId]);
    const queries = takeRequests().filter(({ call }) => call.endsWith('/points/query'));
    expect(queries.map(({ body }) => body)).toEqual([
      expect.objectContaining({ limit: 2 }),
      expect.objectContaining({ limit: 257, score_threshold: expect.closeTo(1, 5) as number }),
    ]);
  });

  it('asks nothing more for a model without a collection, or a filter that matches nothing', async () => {
    const index = adapter();
    const search = (model: string, types?: []) =>
      index.searchVector({
        tenantId,
        userId,
        vector: Float32Array.from([1, 0, 0, 0]),
        model,
        limit: 3,
        filter: types ? { types } : undefined,
      });
    expect(await search('never:used')).toEqual([]);
    expect(await search(MODEL, [])).toEqual([]);
    expect(takeRequests().map(({ call }) => call)).toEqual([
      `GET /collections/${collectionName('memnex', 'never:used')}`,
    ]);
  });

  it('sets current with set_payload on the owned point ids, in every collection of the prefix', async () => {
    const other = collectionName('memnex', 'other:model');
    await adapter().upsert({ tenantId, entries: [entry({ userId, model: 'other:model' })] });
    takeRequests();
    const memoryIds = [randomId(), randomId()];
    await adapter().setCurrent({ tenantId, userId, memoryIds, current: false });
    const body = {
      payload: { current: false },
      filter: {
        must: [
          ...owner(tenantId, userId),
          { has_id: memoryIds.map((memoryId) => pointId(tenantId, memoryId)) },
        ],
      },
    };
    const requests = takeRequests();
    expect(requests[0]).toEqual({ call: 'GET /collections', query: {}, body: undefined });
    expect(requests.slice(1)).toEqual(
      expect.arrayContaining([
        { call: `POST /collections/${COLLECTION}/points/payload`, query: { wait: 'true' }, body },
        { call: `POST /collections/${other}/points/payload`, query: { wait: 'true' }, body },
      ]),
    );
    expect(requests).toHaveLength(3);
  });

  it('reassigns by counting the points of the old user, then setting user_id on them', async () => {
    const [stored] = fake.store
      .points(COLLECTION)
      .filter((point) => point.payload.user_id === userId);
    const memoryId = stored!.payload.memory_id as string;
    const toUserId = randomId();
    const moved = await adapter().reassign({
      tenantId,
      fromUserId: userId,
      toUserId,
      memoryIds: [memoryId],
    });
    expect(moved).toBe(1);
    const filter = {
      must: [...owner(tenantId, userId), { has_id: [pointId(tenantId, memoryId)] }],
    };
    expect(takeRequests()).toEqual([
      { call: 'GET /collections', query: {}, body: undefined },
      {
        call: `POST /collections/${COLLECTION}/points/count`,
        query: {},
        body: { filter, exact: true },
      },
      {
        call: `POST /collections/${COLLECTION}/points/payload`,
        query: { wait: 'true' },
        body: { payload: { user_id: toUserId }, filter },
      },
    ]);
  });

  it('deletes by filter after counting, and sends nothing for an empty id list', async () => {
    const index = adapter();
    expect(await index.delete({ tenantId, userId, memoryIds: [] })).toBe(0);
    expect(takeRequests()).toEqual([]);
    expect(await index.delete({ tenantId, userId })).toBe(1);
    const filter = { must: owner(tenantId, userId) };
    expect(takeRequests()).toEqual([
      { call: 'GET /collections', query: {}, body: undefined },
      {
        call: `POST /collections/${COLLECTION}/points/count`,
        query: {},
        body: { filter, exact: true },
      },
      {
        call: `POST /collections/${COLLECTION}/points/delete`,
        query: { wait: 'true' },
        body: { filter },
      },
    ]);
    // Nothing left to count: no delete request.
    expect(await index.delete({ tenantId, userId })).toBe(0);
    expect(takeRequests().map(({ call }) => call)).toEqual([
      'GET /collections',
      `POST /collections/${COLLECTION}/points/count`,
    ]);
  });
});

describe('connection and errors', () => {
  it('sends the API key as the api-key header on every request', async () => {
    const guarded = await startFakeQdrant({ apiKey: 'secret-key' });
    try {
      const index = createQdrantSemanticIndex({ url: guarded.url, apiKey: 'secret-key' });
      await index.init();
      const tenantId = randomTenantId();
      await index.upsert({ tenantId, entries: [entry()] });
      expect(guarded.requests.length).toBeGreaterThan(3);
      expect(guarded.requests.every((request) => request.apiKey === 'secret-key')).toBe(true);
      const wrong = createQdrantSemanticIndex({ url: guarded.url, apiKey: 'wrong' });
      const error = await expectMemnexError(wrong.init(), 'STORAGE_UNAVAILABLE');
      expect(error.message).toContain('refused the API key');
    } finally {
      await guarded.close();
    }
  });

  it('fails init, reads and writes with STORAGE_UNAVAILABLE when the server is down', async () => {
    const url = fake.url;
    await fake.close();
    fake = await startFakeQdrant();
    const index = createQdrantSemanticIndex({ url });
    const error = await expectMemnexError(index.init(), 'STORAGE_UNAVAILABLE');
    expect(error.message).toContain(`Qdrant at ${url} is not reachable`);
    expect(error.message).toContain('ECONNREFUSED');
    const tenantId = randomTenantId();
    const userId = randomId();
    const failures = [
      index.upsert({ tenantId, entries: [entry()] }),
      index.searchVector({
        tenantId,
        userId,
        vector: Float32Array.from([1, 0, 0, 0]),
        model: MODEL,
        limit: 3,
      }),
      index.setCurrent({ tenantId, userId, memoryIds: [randomId()], current: false }),
      index.reassign({
        tenantId,
        fromUserId: userId,
        toUserId: randomId(),
        memoryIds: [randomId()],
      }),
      index.delete({ tenantId, userId }),
    ];
    for (const failure of failures) {
      const wrapped = await expectMemnexError(failure, 'STORAGE_UNAVAILABLE');
      expect(wrapped.cause).toBeDefined();
    }
  });

  it('maps 5xx answers to STORAGE_UNAVAILABLE and logs the server reason', async () => {
    const warnings: unknown[] = [];
    const logger: Logger = {
      debug: () => {},
      info: () => {},
      warn: (message, fields) => warnings.push({ message, ...fields }),
      error: () => {},
      child: () => logger,
    };
    const index = adapter({ logger });
    const tenantId = randomTenantId();
    fake.fail({ status: 500, match: /\/points$/ });
    await expectMemnexError(index.upsert({ tenantId, entries: [entry()] }), 'STORAGE_UNAVAILABLE');
    fake.fail({ status: 503, match: /\/points\/query$/ });
    const search = index.searchVector({
      tenantId,
      userId: randomId(),
      vector: Float32Array.from([1, 0, 0, 0]),
      model: MODEL,
      limit: 3,
    });
    await expectMemnexError(search, 'STORAGE_UNAVAILABLE');
    fake.fail({ status: 502, match: /^GET \/collections$/ });
    await expectMemnexError(index.init(), 'STORAGE_UNAVAILABLE');
    expect(warnings).toEqual([
      expect.objectContaining({ operation: 'upsert', reason: expect.stringContaining('HTTP 500') }),
      expect.objectContaining({
        operation: 'searchVector',
        reason: expect.stringContaining('HTTP 503'),
      }),
    ]);
  });

  it('gives up after timeoutMs on a server that never answers', async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const index = createQdrantSemanticIndex({ url: `http://127.0.0.1:${port}`, timeoutMs: 50 });
      await expectMemnexError(index.init(), 'STORAGE_UNAVAILABLE');
      const tenantId = randomTenantId();
      await expectMemnexError(
        index.delete({ tenantId, userId: randomId() }),
        'STORAGE_UNAVAILABLE',
      );
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('refuses a url that is not http(s) when it is created', () => {
    let caught: unknown;
    try {
      createQdrantSemanticIndex({ url: 'localhost:6333' });
    } catch (error) {
      caught = error;
    }
    expect(MemnexError.isInstance(caught) && caught.code).toBe('VALIDATION_FAILED');
  });
});
