import type { StateStore } from '@memnex/core';
import {
  expectMemnexError,
  randomTenantId,
  setValue,
  stateWrite,
  timestamp,
} from '@memnex/storage-conformance';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRedisStateStore } from './redis-state-store.js';
import {
  CLOSED_REDIS_URL,
  TEST_REDIS_URL,
  createRecordingLogger,
  createTestClient,
  deleteKeysUnder,
  describeWithRedis,
  uniquePrefix,
} from './redis-test-support.js';
import { encodeText } from './state-store-keys.js';

const LATER = timestamp(1_000_000);

/** The hash tag Redis Cluster hashes a name by: the text between the first `{` and next `}`. */
function hashTag(name: string): string {
  const open = name.indexOf('{');
  const close = open < 0 ? -1 : name.indexOf('}', open + 1);
  return close > open + 1 ? name.slice(open + 1, close) : name;
}

describeWithRedis('createRedisStateStore', () => {
  const basePrefix = uniquePrefix('state');
  const raw = createTestClient();
  const opened: StateStore[] = [];
  let prefixes = 0;
  /** A store under a prefix of its own (registries included) unless `prefix` is given. */
  const open = async (prefix = `${basePrefix}${(prefixes += 1)}:`) => {
    const store = createRedisStateStore({ redis: TEST_REDIS_URL, keyPrefix: prefix });
    opened.push(store);
    await store.init();
    return { store, prefix };
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });
  afterAll(async () => {
    raw.disconnect();
    await deleteKeysUnder(basePrefix);
  });

  describe('key layout', () => {
    it('keeps a tenant under <prefix>st:{<tenant>}:, the tenant being the hash tag', async () => {
      const { store, prefix } = await open();
      const tenantId = randomTenantId();
      await setValue(store, tenantId, 'plan', { step: 1 }, { expiresAt: LATER });
      await setValue(store, tenantId, 'gone', 1);
      await store.delete({
        tenantId,
        key: 'gone',
        updatedBy: 'k',
        at: timestamp(2),
        reason: 'deleted',
      });
      await store.putSchema({
        tenantId,
        pattern: 'plan',
        schema: {},
        updatedAt: 'x',
        updatedBy: 'k',
      });
      const base = `${prefix}st:{${tenantId}}:`;
      expect((await raw.keys(`${prefix}*`)).sort()).toEqual(
        [
          `${base}e:gone`,
          `${base}e:plan`,
          `${base}exp`,
          `${base}h:gone`,
          `${base}h:plan`,
          `${base}keys`,
          `${base}rev`,
          `${base}schemas`,
          `${prefix}st:expiring`,
          `${prefix}st:tenants`,
        ].sort(),
      );
      expect(await raw.hgetall(`${base}e:plan`)).toEqual({
        version: '1',
        deleted: '0',
        value: '{"step":1}',
        updatedAt: timestamp(1),
        updatedBy: 'k_conformance',
        expiresAt: LATER,
        expiresAtMs: String(Date.parse(LATER)),
      });
      // A tombstone keeps the version, and who deleted the value when.
      expect(await raw.hgetall(`${base}e:gone`)).toEqual({
        version: '2',
        deleted: '1',
        updatedAt: timestamp(2),
        updatedBy: 'k',
      });
      expect(await raw.zrange(`${base}keys`, 0, -1, 'WITHSCORES')).toEqual([
        'gone',
        '0',
        'plan',
        '0',
      ]);
      expect(await raw.zrange(`${base}exp`, 0, -1, 'WITHSCORES')).toEqual([
        'plan',
        String(Date.parse(LATER)),
      ]);
      const [member, score] = await raw.zrange(`${base}h:plan`, 0, -1, 'WITHSCORES');
      expect(score).toBe('1');
      expect(member).toBe(
        `${Date.parse(timestamp(1))} {"key":"plan","kind":"value","value":{"step":1},"version":1,` +
          `"updatedAt":"${timestamp(1)}","updatedBy":"k_conformance","expiresAt":"${LATER}"}`,
      );
      expect(await raw.smembers(`${prefix}st:tenants`)).toEqual([tenantId]);
      expect(await raw.smembers(`${prefix}st:expiring`)).toEqual([tenantId]);
    });

    it('gives every key of a tenant the same non-empty hash tag, whatever the tenant id', async () => {
      const { store, prefix } = await open();
      for (const tenantId of ['', 'a}:e:b', '{x}', '%7D']) {
        await setValue(store, tenantId, 'k', 1, { expiresAt: LATER });
        await store.putSchema({
          tenantId,
          pattern: 'k',
          schema: {},
          updatedAt: 'x',
          updatedBy: 'k',
        });
      }
      const names = (await raw.keys(`${prefix}st:{*`)).filter((name) => name.includes('}:'));
      const tags = new Set(names.map(hashTag));
      expect([...tags].sort()).toEqual(['%', '%257D', '%7Bx%7D', 'a%7D%3Ae%3Ab'].sort());
      expect(names).toHaveLength(4 * 6);
      // And the tenants stay apart.
      expect(await store.get({ tenantId: 'a', key: 'b:e:k', now: timestamp(2) })).toBeNull();
      expect((await store.versions({ tenantId: '%7D', keys: ['k'] })).k).toBe(1);
    });

    it('keeps a key and its index member byte-identical to its code units', async () => {
      const { store, prefix } = await open();
      const tenantId = randomTenantId();
      await setValue(store, tenantId, 'a\ud800', 'lone');
      await setValue(store, tenantId, 'a\ufffd', 'replacement');
      const members = await raw.zrangeBuffer(`${prefix}st:{${tenantId}}:keys`, 0, -1);
      expect(members).toEqual([encodeText('a\ud800'), encodeText('a\ufffd')]);
      expect((await store.get({ tenantId, key: 'a\ud800', now: LATER }))?.value).toBe('lone');
      expect((await store.get({ tenantId, key: 'a\ufffd', now: LATER }))?.value).toBe(
        'replacement',
      );
    });
  });

  describe('prefix listing', () => {
    const keys = [
      'a',
      'a(',
      'a(b',
      'a+',
      'a-',
      'a[',
      'a[b',
      'a\\',
      'a*',
      'a?',
      'a]',
      'a\u00ff',
      'a\uffff',
      'a😀',
      'a\ud800',
      'b',
      '(',
      '[',
      '-',
      '+',
      '',
      '\u0000',
      '😀x',
      '\ue000',
    ];
    const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

    it('lists keys in code-unit order for literal prefixes, range syntax characters included', async () => {
      const { store } = await open();
      const tenantId = randomTenantId();
      for (const key of keys) await setValue(store, tenantId, key, key);
      for (const prefix of [
        '',
        'a',
        'a(',
        'a[',
        'a-',
        'a+',
        'a\\',
        '(',
        '[',
        '-',
        '+',
        '😀',
        'a\ud800',
      ]) {
        const listed = await store.list({ tenantId, prefix, limit: 100, now: LATER });
        const expected = keys.filter((key) => key.startsWith(prefix)).sort(byCodeUnit);
        expect(
          listed.map((record) => record.key),
          `prefix ${JSON.stringify(prefix)}`,
        ).toEqual(expected);
        expect(listed.map((record) => record.value)).toEqual(expected);
        const versions = await store.listVersions({ tenantId, prefix, limit: 100 });
        expect(versions.map((entry) => entry.key)).toEqual(expected);
      }
    });

    it('starts after `after` wherever it falls relative to the prefix', async () => {
      const { store } = await open();
      const tenantId = randomTenantId();
      for (const key of keys) await setValue(store, tenantId, key, 1);
      for (const [prefix, after] of [
        ['a', 'a['],
        ['a', '0'],
        ['a', 'b'],
        ['', 'a\uffff'],
        ['', '😀'],
        ['a', 'a😀'],
      ] as const) {
        const listed = await store.list({ tenantId, prefix, after, limit: 100, now: LATER });
        const expected = keys
          .filter((key) => key.startsWith(prefix) && key > after)
          .sort(byCodeUnit);
        expect(listed.map((record) => record.key)).toEqual(expected);
      }
    });

    it('fills a page past many deleted and expired keys', async () => {
      const { store } = await open();
      const tenantId = randomTenantId();
      const names = Array.from({ length: 700 }, (_, index) => `k${String(index).padStart(4, '0')}`);
      // The first 690 keys hold no live value: even ones are deleted, odd ones expired.
      await Promise.all(
        names.map((key, index) =>
          setValue(store, tenantId, key, index, {
            expiresAt: index < 690 && index % 2 === 1 ? timestamp(5) : null,
          }),
        ),
      );
      await Promise.all(
        names
          .filter((_, index) => index < 690 && index % 2 === 0)
          .map((key) =>
            store.delete({ tenantId, key, updatedBy: 'k', at: timestamp(2), reason: 'deleted' }),
          ),
      );
      const listed = await store.list({ tenantId, prefix: 'k', limit: 3, now: timestamp(10) });
      expect(listed.map((record) => record.key)).toEqual(['k0690', 'k0691', 'k0692']);
      const all = await store.list({ tenantId, prefix: '', limit: 1000, now: timestamp(10) });
      expect(all.map((record) => record.key)).toEqual(names.slice(690));
      const versions = await store.listVersions({ tenantId, prefix: 'k', limit: 1000 });
      expect(versions).toHaveLength(700);
      expect(versions[0]).toEqual({ key: 'k0000', version: 2 });
      expect(versions[1]).toEqual({ key: 'k0001', version: 1 });
    });
  });

  describe('scripts', () => {
    it('reloads its scripts after SCRIPT FLUSH', async () => {
      const { store } = await open();
      const tenantId = randomTenantId();
      await setValue(store, tenantId, 'k', 1);
      await raw.script('FLUSH');
      expect((await setValue(store, tenantId, 'k', 2)).version).toBe(2);
      const deleted = await store.delete({
        tenantId,
        key: 'k',
        updatedBy: 'k',
        at: timestamp(3),
        reason: 'deleted',
      });
      expect(deleted).toMatchObject({ ok: true, change: { version: 3 } });
    });

    it('stores JSON text untouched: empty arrays stay arrays, numbers keep every digit', async () => {
      const { store } = await open();
      const tenantId = randomTenantId();
      const value = {
        list: [],
        nested: [[], {}],
        numbers: [Number.MAX_SAFE_INTEGER, 1.7976931348623157e308, 5e-324, 0.1],
        text: 'a "b" \\ é 😀\u0000',
      };
      await setValue(store, tenantId, 'json', value);
      expect((await store.get({ tenantId, key: 'json', now: LATER }))?.value).toEqual(value);
      const [change] = await store.history({ tenantId, key: 'json', afterVersion: 0, limit: 10 });
      expect(change?.value).toEqual(value);
    });

    it('keeps no history with historyLimit 0, and the newest n with n', async () => {
      const { store } = await open();
      const tenantId = randomTenantId();
      await setValue(store, tenantId, 'none', 1, { historyLimit: 0 });
      await setValue(store, tenantId, 'none', 2, { historyLimit: 0 });
      expect(await store.history({ tenantId, key: 'none', afterVersion: 0, limit: 10 })).toEqual(
        [],
      );
      expect((await store.versions({ tenantId, keys: ['none'] })).none).toBe(2);
      for (let step = 1; step <= 5; step += 1) {
        await setValue(store, tenantId, 'two', step, { historyLimit: 2 });
      }
      const kept = await store.history({ tenantId, key: 'two', afterVersion: 0, limit: 10 });
      expect(kept.map((change) => change.version)).toEqual([4, 5]);
    });

    it('refuses times that are not instants and values that are not JSON', async () => {
      const { store } = await open();
      const tenantId = randomTenantId();
      await expectMemnexError(
        store.set(stateWrite(tenantId, 'k', 1, { at: 'soon' })),
        'VALIDATION_FAILED',
      );
      await expectMemnexError(
        store.set(stateWrite(tenantId, 'k', 1, { expiresAt: 'never' })),
        'VALIDATION_FAILED',
      );
      await expectMemnexError(store.set(stateWrite(tenantId, 'k', undefined)), 'VALIDATION_FAILED');
      await expectMemnexError(store.set(stateWrite(tenantId, 'k', 10n)), 'VALIDATION_FAILED');
      await expectMemnexError(store.listExpired({ now: 'now', limit: 1 }), 'VALIDATION_FAILED');
      await expectMemnexError(store.get({ tenantId, key: 'k', now: 'now' }), 'VALIDATION_FAILED');
      await expectMemnexError(
        store.list({ tenantId, prefix: '', limit: 1, now: 'now' }),
        'VALIDATION_FAILED',
      );
      expect((await store.versions({ tenantId, keys: ['k'] })).k).toBe(0);
    });
  });

  describe('tenant registries', () => {
    it('lists expired values of many tenants, page after page, up to the limit', async () => {
      const { store } = await open();
      const tenants = Array.from({ length: 450 }, () => randomTenantId());
      await Promise.all(
        tenants.map((tenantId) =>
          setValue(store, tenantId, 'ttl', 1, { at: timestamp(0), expiresAt: timestamp(1) }),
        ),
      );
      const all = await store.listExpired({ now: timestamp(1), limit: 1000 });
      expect(all.map((entry) => entry.tenantId).sort()).toEqual([...tenants].sort());
      expect(await store.listExpired({ now: timestamp(1), limit: 300 })).toHaveLength(300);
      expect(await store.listExpired({ now: timestamp(0), limit: 1000 })).toEqual([]);
    });

    it('drops a tenant from the expiry registry once its expiring values are gone', async () => {
      const { store, prefix } = await open();
      const tenantId = randomTenantId();
      await setValue(store, tenantId, 'ttl', 1, { at: timestamp(0), expiresAt: timestamp(1) });
      expect(await raw.sismember(`${prefix}st:expiring`, tenantId)).toBe(1);
      await store.delete({
        tenantId,
        key: 'ttl',
        ifVersion: 1,
        updatedBy: 'system',
        at: timestamp(1),
        reason: 'expired',
      });
      expect(await store.listExpired({ now: timestamp(1), limit: 10 })).toEqual([]);
      expect(await raw.sismember(`${prefix}st:expiring`, tenantId)).toBe(0);
      // The next value with a TTL registers the tenant again.
      await setValue(store, tenantId, 'ttl', 2, { at: timestamp(2), expiresAt: timestamp(3) });
      expect(await store.listExpired({ now: timestamp(3), limit: 10 })).toEqual([
        { tenantId, key: 'ttl', version: 3 },
      ]);
    });

    it('repairs a registration lost between a write and its registry update', async () => {
      const { store, prefix } = await open();
      const tenantId = randomTenantId();
      await setValue(store, tenantId, 'ttl', 1, { at: timestamp(0), expiresAt: timestamp(1) });
      await raw.del(`${prefix}st:expiring`, `${prefix}st:tenants`);
      // Another process registers the tenant on its first write to it.
      const { store: restarted } = await open(prefix);
      await setValue(restarted, tenantId, 'other', 1);
      expect(await raw.sismember(`${prefix}st:tenants`, tenantId)).toBe(1);
      // trimHistory registers tenants that still have expiring values.
      await restarted.trimHistory({ before: timestamp(0) });
      expect(await restarted.listExpired({ now: timestamp(1), limit: 10 })).toEqual([
        { tenantId, key: 'ttl', version: 1 },
      ]);
    });

    it('prunes registered tenants that have nothing left to find', async () => {
      const { store, prefix } = await open();
      const tenantId = randomTenantId();
      // Registered but empty, as after its last key was dropped.
      await raw.sadd(`${prefix}st:tenants`, tenantId);
      await raw.sadd(`${prefix}st:expiring`, tenantId);
      await store.trimHistory({ before: timestamp(0) });
      await store.listExpired({ now: timestamp(0), limit: 10 });
      expect(await raw.scard(`${prefix}st:tenants`)).toBe(0);
      expect(await raw.scard(`${prefix}st:expiring`)).toBe(0);
    });

    it('logs a failed registration and still reports the write', async () => {
      const prefix = `${basePrefix}${(prefixes += 1)}:`;
      const logger = createRecordingLogger();
      const store = createRedisStateStore({ redis: TEST_REDIS_URL, keyPrefix: prefix, logger });
      opened.push(store);
      // A registry of the wrong type makes SADD fail.
      await raw.set(`${prefix}st:tenants`, 'not a set');
      const tenantId = randomTenantId();
      expect((await setValue(store, tenantId, 'k', 1)).version).toBe(1);
      expect(logger.lines.map((line) => line.message)).toContain(
        'redis state store: tenant registration failed',
      );
      await raw.del(`${prefix}st:tenants`);
      await setValue(store, tenantId, 'k', 2);
      expect(await raw.sismember(`${prefix}st:tenants`, tenantId)).toBe(1);
    });
  });

  describe('dropTenant', () => {
    it('removes every key of a tenant with more keys than a page, and its registrations', async () => {
      const { store, prefix } = await open();
      const tenantId = randomTenantId();
      const other = randomTenantId();
      await Promise.all(
        Array.from({ length: 450 }, (_, index) =>
          setValue(store, tenantId, `k${index}`, index, { expiresAt: index % 2 ? LATER : null }),
        ),
      );
      await setValue(store, other, 'k1', 1, { expiresAt: LATER });
      await store.putSchema({
        tenantId,
        pattern: 'k*',
        schema: {},
        updatedAt: 'x',
        updatedBy: 'k',
      });
      await store.dropTenant({ tenantId });
      expect(await raw.keys(`${prefix}st:{${tenantId}}*`)).toEqual([]);
      expect(await raw.smembers(`${prefix}st:tenants`)).toEqual([other]);
      expect(await raw.smembers(`${prefix}st:expiring`)).toEqual([other]);
      expect((await store.versions({ tenantId: other, keys: ['k1'] })).k1).toBe(1);
    });

    it('removes keys written while it runs', async () => {
      const { store, prefix } = await open();
      const tenantId = randomTenantId();
      await Promise.all(
        Array.from({ length: 300 }, (_, index) => setValue(store, tenantId, `k${index}`, index)),
      );
      const writes = Promise.all(
        Array.from({ length: 100 }, (_, index) => setValue(store, tenantId, `late${index}`, index)),
      );
      await store.dropTenant({ tenantId });
      await writes;
      // Writes that landed after the drop are kept, whole: each with its index entry.
      const left = await raw.zrange(`${prefix}st:{${tenantId}}:keys`, 0, -1);
      const entries = (await raw.keys(`${prefix}st:{${tenantId}}:e:*`)).length;
      expect(entries).toBe(left.length);
      if (left.length > 0) expect(await raw.sismember(`${prefix}st:tenants`, tenantId)).toBe(1);
    });
  });

  it('leaves a client it was given open when it closes', async () => {
    const client = createTestClient();
    try {
      const store = createRedisStateStore({ redis: client, keyPrefix: `${basePrefix}given:` });
      await store.init();
      await store.close();
      expect(await client.ping()).toBe('PONG');
      await expectMemnexError(
        store.versions({ tenantId: randomTenantId(), keys: ['k'] }),
        'STORAGE_UNAVAILABLE',
      );
    } finally {
      client.disconnect();
    }
  });
});

describe('createRedisStateStore options', () => {
  it('declares a shared store, durable only through Redis persistence', () => {
    const store = createRedisStateStore({ redis: CLOSED_REDIS_URL });
    expect(store.capabilities).toEqual({ durable: false, shared: true });
  });

  it('refuses a client with an ioredis keyPrefix', () => {
    const client = new Redis({ lazyConnect: true, keyPrefix: 'app:' });
    expect(() => createRedisStateStore({ redis: client })).toThrow(/keyPrefix/);
    client.disconnect();
  });
});

describe('createRedisStateStore without Redis', () => {
  it('maps every failure to STORAGE_UNAVAILABLE with the driver error as cause', async () => {
    const store = createRedisStateStore({ redis: CLOSED_REDIS_URL });
    const tenantId = 't_unreachable';
    try {
      const errors = await Promise.all([
        expectMemnexError(store.get({ tenantId, key: 'k', now: LATER }), 'STORAGE_UNAVAILABLE'),
        expectMemnexError(store.set(stateWrite(tenantId, 'k', 1)), 'STORAGE_UNAVAILABLE'),
        expectMemnexError(
          store.list({ tenantId, prefix: '', limit: 1, now: LATER }),
          'STORAGE_UNAVAILABLE',
        ),
        expectMemnexError(store.listExpired({ now: LATER, limit: 1 }), 'STORAGE_UNAVAILABLE'),
        expectMemnexError(store.dropTenant({ tenantId }), 'STORAGE_UNAVAILABLE'),
      ]);
      for (const error of errors) {
        expect(error.cause).toBeInstanceOf(Error);
        expect(error.message).not.toContain('127.0.0.1');
      }
    } finally {
      await store.close();
    }
  });
});
