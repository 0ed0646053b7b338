import type { HotStore, WorkingSet } from '@memnex/core';
import {
  expectMemnexError,
  makeMemory,
  randomId,
  randomTenantId,
} from '@memnex/storage-conformance';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRedisHotStore } from './redis-hot-store.js';
import {
  CLOSED_REDIS_URL,
  TEST_REDIS_URL,
  createRecordingLogger,
  createTestClient,
  deleteKeysUnder,
  describeWithRedis,
  uniquePrefix,
} from './redis-test-support.js';

const workingSet = (tenantId: string, userId: string, text = 'Prefers email'): WorkingSet => ({
  version: 1,
  memories: [makeMemory({ tenantId, userId, text })],
  lastSeen: null,
});

describeWithRedis('createRedisHotStore', () => {
  const keyPrefix = uniquePrefix('hot');
  const raw = createTestClient();
  const opened: HotStore[] = [];
  const open = async (prefix = keyPrefix, extra: { generationTtlSeconds?: number } = {}) => {
    const store = createRedisHotStore({ redis: TEST_REDIS_URL, keyPrefix: prefix, ...extra });
    opened.push(store);
    await store.init();
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });
  afterAll(async () => {
    raw.disconnect();
    await deleteKeysUnder(keyPrefix);
  });

  it('lays keys out as <prefix>{<tenant>}:<kind>:<id>, the tenant being the hash tag', async () => {
    const store = await open();
    const tenantId = randomTenantId();
    const userId = randomId();
    await store.setWorkingSet({
      tenantId,
      userId,
      generation: 0,
      workingSet: workingSet(tenantId, userId),
    });
    await store.invalidate({ tenantId, userId });
    await store.setIdentifier({ tenantId, key: 'phone:+1', userId });
    const keys = await raw.keys(`${keyPrefix}{${tenantId}}:*`);
    expect(keys.sort()).toEqual(
      [
        `${keyPrefix}{${tenantId}}:gen:${userId}`,
        `${keyPrefix}{${tenantId}}:id:phone:+1`,
        `${keyPrefix}{${tenantId}}:ids:${userId}`,
      ].sort(),
    );
  });

  it('keeps tenants apart even when ids contain braces and colons', async () => {
    const store = await open();
    const plain = randomTenantId();
    const tricky = `${plain}}:ws:x`;
    const userId = 'x}:ws:u';
    await store.setWorkingSet({
      tenantId: plain,
      userId,
      generation: 0,
      workingSet: workingSet(plain, userId),
    });
    expect(await store.getWorkingSet({ tenantId: tricky, userId: 'u' })).toBeNull();
    expect(await store.getWorkingSet({ tenantId: plain, userId })).not.toBeNull();
  });

  it('gives working sets and generations the TTLs asked for', async () => {
    const store = await open(keyPrefix, { generationTtlSeconds: 120 });
    const tenantId = randomTenantId();
    const userId = randomId();
    await store.invalidate({ tenantId, userId });
    await store.setWorkingSet({
      tenantId,
      userId,
      generation: 1,
      workingSet: workingSet(tenantId, userId),
      ttlSeconds: 60,
    });
    const workingSetTtl = await raw.pttl(`${keyPrefix}{${tenantId}}:ws:${userId}`);
    const generationTtl = await raw.ttl(`${keyPrefix}{${tenantId}}:gen:${userId}`);
    expect(workingSetTtl).toBeGreaterThan(0);
    expect(workingSetTtl).toBeLessThanOrEqual(60_000);
    expect(generationTtl).toBeGreaterThan(0);
    expect(generationTtl).toBeLessThanOrEqual(120);
  });

  it('forgets identifiers the caller did not name but that point to the user', async () => {
    const store = await open();
    const tenantId = randomTenantId();
    const userId = randomId();
    const other = randomId();
    await store.setIdentifier({ tenantId, key: 'phone:+1', userId, ttlSeconds: 3600 });
    await store.setIdentifier({ tenantId, key: 'email:a@b.co', userId });
    // Moved to someone else since: must survive the forget.
    await store.setIdentifier({ tenantId, key: 'web:moved', userId });
    await store.setIdentifier({ tenantId, key: 'web:moved', userId: other });
    expect(await store.forgetUser({ tenantId, userId, identifierKeys: ['phone:+1'] })).toBe(2);
    expect(await store.getIdentifier({ tenantId, key: 'email:a@b.co' })).toBeNull();
    expect(await store.getIdentifier({ tenantId, key: 'web:moved' })).toBe(other);
    expect(await raw.exists(`${keyPrefix}{${tenantId}}:ids:${userId}`)).toBe(0);
    expect(await store.getGeneration({ tenantId, userId })).toBe(1);
  });

  it('reads a warm working set by its stamp alone, and whole again once it is stored anew', async () => {
    const client = createTestClient();
    const whole: string[] = [];
    const get = client.get.bind(client);
    client.get = ((key: string) => {
      whole.push(key);
      return get(key);
    }) as typeof client.get;
    const store = createRedisHotStore({ redis: client, keyPrefix });
    opened.push(store);
    await store.init();
    try {
      const tenantId = randomTenantId();
      const userId = randomId();
      const key = { tenantId, userId };
      const stored = workingSet(tenantId, userId);
      await store.setWorkingSet({ ...key, generation: 0, workingSet: stored });
      const first = await store.getWorkingSet(key);
      expect(first).toEqual(stored);
      expect(await store.getWorkingSet(key)).toBe(first);
      expect(await store.getWorkingSet(key)).toBe(first);
      expect(whole).toHaveLength(1);

      // The same content stored again carries a new stamp: read whole once more.
      await store.setWorkingSet({ ...key, generation: 0, workingSet: stored });
      const second = await store.getWorkingSet(key);
      expect(second).toEqual(stored);
      expect(second).not.toBe(first);
      expect(whole).toHaveLength(2);

      await store.invalidate(key);
      expect(await store.getWorkingSet(key)).toBeNull();
      expect(whole).toHaveLength(2);
    } finally {
      client.disconnect();
    }
  });

  it('reads a working set stored without a stamp', async () => {
    const store = await open();
    const tenantId = randomTenantId();
    const userId = randomId();
    const stored = workingSet(tenantId, userId, 'Stored by an earlier version');
    await raw.set(`${keyPrefix}{${tenantId}}:ws:${userId}`, JSON.stringify(stored));
    expect(await store.getWorkingSet({ tenantId, userId })).toEqual(stored);
    expect(await store.getWorkingSet({ tenantId, userId })).toEqual(stored);
  });

  it('treats an unreadable working set as a miss and drops it', async () => {
    const logger = createRecordingLogger();
    const store = createRedisHotStore({ redis: TEST_REDIS_URL, keyPrefix, logger });
    opened.push(store);
    await store.init();
    const tenantId = randomTenantId();
    const userId = randomId();
    const key = `${keyPrefix}{${tenantId}}:ws:${userId}`;
    await raw.set(key, '{not json');
    expect(await store.getWorkingSet({ tenantId, userId })).toBeNull();
    expect(await raw.exists(key)).toBe(0);
    expect(logger.lines.map((line) => line.message)).toContain(
      'dropping an unreadable working set',
    );
  });

  describe('clear', () => {
    it('leaves keys of another prefix alone, even one that extends its own', async () => {
      const store = await open();
      const nested = await open(`${keyPrefix}nested:`);
      const tenantId = randomTenantId();
      const userId = randomId();
      const foreignKey = `${keyPrefix}ratelimit:k1`;
      await raw.set(foreignKey, '42');
      await nested.setIdentifier({ tenantId, key: 'phone:+1', userId });
      await store.setIdentifier({ tenantId, key: 'phone:+1', userId });
      await store.clear();
      expect(await store.getIdentifier({ tenantId, key: 'phone:+1' })).toBeNull();
      expect(await nested.getIdentifier({ tenantId, key: 'phone:+1' })).toBe(userId);
      expect(await raw.get(foreignKey)).toBe('42');
    });

    it('advances generations rather than resetting them', async () => {
      const store = await open();
      const tenantId = randomTenantId();
      const userId = randomId();
      await store.invalidate({ tenantId, userId });
      await store.invalidate({ tenantId, userId });
      const before = await store.getGeneration({ tenantId, userId });
      await store.clear();
      expect(await store.getGeneration({ tenantId, userId })).toBe(before + 1);
      const stale = workingSet(tenantId, userId, 'read before the clear');
      expect(
        await store.setWorkingSet({ tenantId, userId, generation: before, workingSet: stale }),
      ).toBe(false);
    });

    it('works through more keys than one SCAN page', async () => {
      const store = await open(uniquePrefix('hot-many'));
      const tenantId = randomTenantId();
      await Promise.all(
        Array.from({ length: 1500 }, (_, index) =>
          store.setIdentifier({ tenantId, key: `web:${index}`, userId: 'u' }),
        ),
      );
      await store.clear();
      const left = await Promise.all(
        [0, 777, 1499].map((index) => store.getIdentifier({ tenantId, key: `web:${index}` })),
      );
      expect(left).toEqual([null, null, null]);
    });
  });

  it('leaves a client it was given open when it closes', async () => {
    const client = createTestClient();
    try {
      const store = createRedisHotStore({ redis: client, keyPrefix });
      await store.init();
      await store.close();
      expect(await client.ping()).toBe('PONG');
      await expectMemnexError(
        store.getGeneration({ tenantId: randomTenantId(), userId: randomId() }),
        'STORAGE_UNAVAILABLE',
      );
    } finally {
      client.disconnect();
    }
  });
});

describe('createRedisHotStore options', () => {
  it('refuses a client with an ioredis keyPrefix, which clear() could not see through', () => {
    const client = new Redis({ lazyConnect: true, keyPrefix: 'app:' });
    expect(() => createRedisHotStore({ redis: client })).toThrow(/keyPrefix/);
    client.disconnect();
  });

  it('refuses a generation TTL under a second', () => {
    expect(() => createRedisHotStore({ redis: CLOSED_REDIS_URL, generationTtlSeconds: 0 })).toThrow(
      /generationTtlSeconds/,
    );
  });
});

describe('createRedisHotStore without Redis', () => {
  const key = { tenantId: 't_unreachable', userId: 'u1' };

  it('fails init with STORAGE_UNAVAILABLE naming the server, without credentials', async () => {
    const store = createRedisHotStore({ redis: 'redis://user:s3cret@127.0.0.1:1' });
    const error = await expectMemnexError(store.init(), 'STORAGE_UNAVAILABLE');
    expect(error.message).toContain('127.0.0.1:1');
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).not.toContain('s3cret');
    expect(error.cause).toBeInstanceOf(Error);
    await store.close();
  });

  it('maps every failure to STORAGE_UNAVAILABLE with the driver error as cause', async () => {
    const store = createRedisHotStore({ redis: CLOSED_REDIS_URL });
    try {
      // Issued together, they wait for the same reconnection attempts, then fail together.
      const [read, write, clear] = await Promise.all([
        expectMemnexError(store.getWorkingSet(key), 'STORAGE_UNAVAILABLE'),
        expectMemnexError(
          store.setWorkingSet({ ...key, generation: 0, workingSet: workingSet('t', 'u') }),
          'STORAGE_UNAVAILABLE',
        ),
        expectMemnexError(store.clear(), 'STORAGE_UNAVAILABLE'),
      ]);
      for (const error of [read, write, clear]) expect(error.cause).toBeInstanceOf(Error);
    } finally {
      await store.close();
    }
  });
});
