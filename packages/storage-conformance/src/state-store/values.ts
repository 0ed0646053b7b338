import type { StateStore } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { randomTenantId, timestamp } from '../fixtures.js';
import {
  LATER,
  WRITER,
  appliedChange,
  deleteKey,
  historyOf,
  setValue,
  stateDeletion,
  stateWrite,
  versionOf,
  versionsOf,
} from './helpers.js';

/** JSON values of every shape, each of which must come back exactly as written. */
const JSON_VALUES: unknown[] = [
  {
    plan: {
      steps: [
        { id: 1, done: false },
        { id: 2, done: true },
      ],
      owner: null,
    },
    depth: 3,
  },
  [1, 'two', [3, [4, { five: 5 }]], null, true, {}],
  'josé 🙂 ñandú — 中文 \u2028 "quoted" \\ back\nslash\ttab',
  '',
  null,
  0,
  -1,
  3.25,
  0.1 + 0.2,
  -1.5e-7,
  1e21,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  2 ** 31,
  true,
  false,
  {},
  [],
  { 'key with spaces': 1, ключ: 'значение', '🙂': ['🙃'], nested: { a: { b: { c: [] } } } },
];

/** Reading and writing values: versions, copies, TTLs. */
export function describeValues(store: () => StateStore): void {
  describe('values', () => {
    it('has no value, version 0 and no history for a key never written', async () => {
      const tenantId = randomTenantId();
      expect(await store().get({ tenantId, key: 'plan', now: LATER })).toBeNull();
      expect(await versionOf(store(), tenantId, 'plan')).toBe(0);
      expect(await historyOf(store(), tenantId, 'plan')).toEqual([]);
    });

    it('writes version 1 first and returns the change it recorded', async () => {
      const tenantId = randomTenantId();
      const value = { step: 1, goal: 'ship it' };
      const result = await store().set(
        stateWrite(tenantId, 'plan', value, { at: timestamp(5), updatedBy: 'k_writer' }),
      );
      expect(result).toEqual({
        ok: true,
        change: {
          key: 'plan',
          kind: 'value',
          value,
          version: 1,
          updatedAt: timestamp(5),
          updatedBy: 'k_writer',
          expiresAt: null,
        },
      });
      expect(await store().get({ tenantId, key: 'plan', now: timestamp(5) })).toEqual({
        key: 'plan',
        value,
        version: 1,
        updatedAt: timestamp(5),
        updatedBy: 'k_writer',
        expiresAt: null,
      });
    });

    it('adds 1 to the version on every write and reads the last value', async () => {
      const tenantId = randomTenantId();
      for (let step = 1; step <= 5; step += 1) {
        const change = await setValue(
          store(),
          tenantId,
          'counter',
          { step },
          { at: timestamp(step) },
        );
        expect(change.version).toBe(step);
      }
      expect(await store().get({ tenantId, key: 'counter', now: LATER })).toEqual({
        key: 'counter',
        value: { step: 5 },
        version: 5,
        updatedAt: timestamp(5),
        updatedBy: WRITER,
        expiresAt: null,
      });
      expect(await versionOf(store(), tenantId, 'counter')).toBe(5);
    });

    it('returns every kind of JSON value exactly as written', async () => {
      const tenantId = randomTenantId();
      for (const [index, value] of JSON_VALUES.entries()) {
        const change = await setValue(store(), tenantId, `value:${index}`, value);
        expect(change.value, `change of value ${index}`).toEqual(value);
        const record = await store().get({ tenantId, key: `value:${index}`, now: LATER });
        expect(record, `record of value ${index}`).not.toBeNull();
        expect(record!.value, `value ${index}`).toEqual(value);
      }
      const listed = await store().list({ tenantId, prefix: 'value:', limit: 100, now: LATER });
      expect(listed).toHaveLength(JSON_VALUES.length);
      for (const record of listed) {
        expect(record.value).toEqual(JSON_VALUES[Number(record.key.slice('value:'.length))]);
      }
    });

    it('keeps unicode keys intact', async () => {
      const tenantId = randomTenantId();
      const key = 'plan:josé/ñandú 🙂 "x" \\ %_*';
      await setValue(store(), tenantId, key, 1);
      expect((await store().get({ tenantId, key, now: LATER }))?.key).toBe(key);
      expect(await store().list({ tenantId, prefix: 'plan:josé', limit: 10, now: LATER })).toEqual([
        expect.objectContaining({ key, value: 1 }),
      ]);
    });

    it('keeps its own copies: changing a written or returned value changes nothing stored', async () => {
      const tenantId = randomTenantId();
      const written = { list: [1, 2], nested: { flag: true } };
      const change = await setValue(store(), tenantId, 'copy', written);
      written.list.push(3);
      written.nested.flag = false;
      // Returned values may be copies or frozen, and a change may carry the written value itself
      // (the store holds its own copy): changing one either sticks to that object or throws.
      const attempt = (mutate: () => void) => {
        try {
          mutate();
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
        }
      };
      attempt(() => (change.value as typeof written).list.push(4));
      const read = await store().get({ tenantId, key: 'copy', now: LATER });
      attempt(() => (read!.value as typeof written).list.push(5));
      attempt(() => ((read!.value as typeof written).nested.flag = false));
      const [listed] = await store().list({ tenantId, prefix: 'copy', limit: 1, now: LATER });
      attempt(() => (listed!.value as typeof written).list.push(6));
      const [recorded] = await historyOf(store(), tenantId, 'copy');
      attempt(() => (recorded!.value as typeof written).list.push(7));
      const expected = { list: [1, 2], nested: { flag: true } };
      expect((await store().get({ tenantId, key: 'copy', now: LATER }))?.value).toEqual(expected);
      expect((await historyOf(store(), tenantId, 'copy'))[0]?.value).toEqual(expected);
    });

    it('reads a value as absent from its expiry on, keeping its version', async () => {
      const tenantId = randomTenantId();
      await setValue(store(), tenantId, 'ttl', 'short-lived', {
        at: timestamp(1),
        expiresAt: timestamp(100),
      });
      expect(await store().get({ tenantId, key: 'ttl', now: timestamp(99) })).toEqual({
        key: 'ttl',
        value: 'short-lived',
        version: 1,
        updatedAt: timestamp(1),
        updatedBy: WRITER,
        expiresAt: timestamp(100),
      });
      expect(await store().get({ tenantId, key: 'ttl', now: timestamp(100) })).toBeNull();
      expect(await store().get({ tenantId, key: 'ttl', now: timestamp(101) })).toBeNull();
      expect(await versionOf(store(), tenantId, 'ttl')).toBe(1);
    });

    it('replaces a TTL on the next write, and drops it when the next write has none', async () => {
      const tenantId = randomTenantId();
      await setValue(store(), tenantId, 'ttl', 1, { expiresAt: timestamp(10) });
      await setValue(store(), tenantId, 'ttl', 2, { at: timestamp(5), expiresAt: timestamp(50) });
      expect((await store().get({ tenantId, key: 'ttl', now: timestamp(20) }))?.value).toBe(2);
      expect(await store().get({ tenantId, key: 'ttl', now: timestamp(50) })).toBeNull();
      await setValue(store(), tenantId, 'ttl', 3, { at: timestamp(6) });
      expect(await store().get({ tenantId, key: 'ttl', now: LATER })).toMatchObject({
        value: 3,
        version: 3,
        expiresAt: null,
      });
    });
  });
}

/** Compare-and-set with `ifVersion`. */
export function describeCompareAndSet(store: () => StateStore): void {
  describe('compare-and-set', () => {
    it('applies a write whose ifVersion is the current version', async () => {
      const tenantId = randomTenantId();
      await setValue(store(), tenantId, 'cas', 'first');
      const change = await setValue(store(), tenantId, 'cas', 'second', { ifVersion: 1 });
      expect(change).toMatchObject({ version: 2, value: 'second' });
    });

    it('refuses a stale ifVersion with the current version, writing and recording nothing', async () => {
      const tenantId = randomTenantId();
      await setValue(store(), tenantId, 'cas', 'first');
      await setValue(store(), tenantId, 'cas', 'second');
      const refused = await store().set(stateWrite(tenantId, 'cas', 'stale', { ifVersion: 1 }));
      expect(refused).toEqual({ ok: false, reason: 'conflict', currentVersion: 2 });
      const ahead = await store().set(stateWrite(tenantId, 'cas', 'ahead', { ifVersion: 7 }));
      expect(ahead).toEqual({ ok: false, reason: 'conflict', currentVersion: 2 });
      expect((await store().get({ tenantId, key: 'cas', now: LATER }))?.value).toBe('second');
      expect(await versionOf(store(), tenantId, 'cas')).toBe(2);
      expect(versionsOf(await historyOf(store(), tenantId, 'cas'))).toEqual([1, 2]);
    });

    it('creates a key with ifVersion 0, and refuses ifVersion 0 once it has a value', async () => {
      const tenantId = randomTenantId();
      const created = await setValue(store(), tenantId, 'once', 'mine', { ifVersion: 0 });
      expect(created.version).toBe(1);
      expect(await store().set(stateWrite(tenantId, 'once', 'yours', { ifVersion: 0 }))).toEqual({
        ok: false,
        reason: 'conflict',
        currentVersion: 1,
      });
      expect((await store().get({ tenantId, key: 'once', now: LATER }))?.value).toBe('mine');
    });

    it('refuses an ifVersion above 0 for a key never written, with current version 0', async () => {
      const tenantId = randomTenantId();
      expect(await store().set(stateWrite(tenantId, 'new', 'x', { ifVersion: 1 }))).toEqual({
        ok: false,
        reason: 'conflict',
        currentVersion: 0,
      });
      expect(await versionOf(store(), tenantId, 'new')).toBe(0);
      expect(await historyOf(store(), tenantId, 'new')).toEqual([]);
    });

    it('treats a deleted key as having no value, continuing its versions after the deletion', async () => {
      const tenantId = randomTenantId();
      await setValue(store(), tenantId, 'gone', 'first');
      await deleteKey(store(), tenantId, 'gone');
      expect(await store().set(stateWrite(tenantId, 'gone', 'x', { ifVersion: 2 }))).toEqual({
        ok: false,
        reason: 'conflict',
        currentVersion: 0,
      });
      expect(await store().set(stateWrite(tenantId, 'gone', 'x', { ifVersion: 1 }))).toEqual({
        ok: false,
        reason: 'conflict',
        currentVersion: 0,
      });
      const revived = await setValue(store(), tenantId, 'gone', 'again', { ifVersion: 0 });
      expect(revived.version).toBe(3);
      expect(await store().get({ tenantId, key: 'gone', now: LATER })).toMatchObject({
        value: 'again',
        version: 3,
      });
    });

    it('treats an expired value as having no value at the time of the write', async () => {
      const tenantId = randomTenantId();
      await setValue(store(), tenantId, 'lease', 'holder-1', { expiresAt: timestamp(10) });
      const early = await store().set(
        stateWrite(tenantId, 'lease', 'holder-2', { ifVersion: 0, at: timestamp(9) }),
      );
      expect(early).toEqual({ ok: false, reason: 'conflict', currentVersion: 1 });
      const stale = await store().set(
        stateWrite(tenantId, 'lease', 'holder-2', { ifVersion: 1, at: timestamp(10) }),
      );
      expect(stale).toEqual({ ok: false, reason: 'conflict', currentVersion: 0 });
      const taken = await setValue(store(), tenantId, 'lease', 'holder-2', {
        ifVersion: 0,
        at: timestamp(10),
        expiresAt: timestamp(20),
      });
      expect(taken).toMatchObject({ version: 2, value: 'holder-2', expiresAt: timestamp(20) });
      expect(await store().get({ tenantId, key: 'lease', now: timestamp(15) })).toMatchObject({
        value: 'holder-2',
        version: 2,
      });
    });

    it('applies a write without ifVersion whatever the key holds (last write wins)', async () => {
      const tenantId = randomTenantId();
      await setValue(store(), tenantId, 'lww', 1, { expiresAt: timestamp(5) });
      expect((await setValue(store(), tenantId, 'lww', 2, { at: timestamp(3) })).version).toBe(2);
      await deleteKey(store(), tenantId, 'lww', { at: timestamp(4) });
      expect((await setValue(store(), tenantId, 'lww', 4, { at: timestamp(5) })).version).toBe(4);
      expect(versionsOf(await historyOf(store(), tenantId, 'lww'))).toEqual([1, 2, 3, 4]);
    });
  });
}

/** Deletions and compare-and-delete. */
export function describeDeletes(store: () => StateStore): void {
  describe('delete', () => {
    it('deletes a value: version + 1, the deletion is recorded, the key reads as absent', async () => {
      const tenantId = randomTenantId();
      const written = await setValue(store(), tenantId, 'plan', { step: 1 });
      const result = await store().delete(
        stateDeletion(tenantId, 'plan', { at: timestamp(7), updatedBy: 'k_deleter' }),
      );
      const deletion = {
        key: 'plan',
        kind: 'delete',
        value: null,
        version: 2,
        updatedAt: timestamp(7),
        updatedBy: 'k_deleter',
        expiresAt: null,
        reason: 'deleted',
      };
      expect(result).toEqual({ ok: true, change: deletion });
      expect(await store().get({ tenantId, key: 'plan', now: LATER })).toBeNull();
      expect(await versionOf(store(), tenantId, 'plan')).toBe(2);
      expect(await historyOf(store(), tenantId, 'plan')).toEqual([written, deletion]);
    });

    it('deletes nothing and records nothing for a key never written', async () => {
      const tenantId = randomTenantId();
      expect(await store().delete(stateDeletion(tenantId, 'never'))).toEqual({
        ok: true,
        change: null,
      });
      expect(await versionOf(store(), tenantId, 'never')).toBe(0);
      expect(await historyOf(store(), tenantId, 'never')).toEqual([]);
    });

    it('deletes nothing and records nothing for a key deleted already', async () => {
      const tenantId = randomTenantId();
      await setValue(store(), tenantId, 'twice', 1);
      expect(await deleteKey(store(), tenantId, 'twice')).not.toBeNull();
      expect(await deleteKey(store(), tenantId, 'twice', { at: timestamp(3) })).toBeNull();
      expect(await versionOf(store(), tenantId, 'twice')).toBe(2);
      expect(versionsOf(await historyOf(store(), tenantId, 'twice'))).toEqual([1, 2]);
    });

    it('deletes an expired value, recording why', async () => {
      const tenantId = randomTenantId();
      await setValue(store(), tenantId, 'ttl', 'x', { expiresAt: timestamp(10) });
      await setValue(store(), tenantId, 'ttl-too', 'y', { expiresAt: timestamp(10) });
      const expired = await deleteKey(store(), tenantId, 'ttl', {
        ifVersion: 1,
        at: timestamp(20),
        reason: 'expired',
        updatedBy: 'system',
      });
      expect(expired).toEqual({
        key: 'ttl',
        kind: 'delete',
        value: null,
        version: 2,
        updatedAt: timestamp(20),
        updatedBy: 'system',
        expiresAt: null,
        reason: 'expired',
      });
      const unconditional = await deleteKey(store(), tenantId, 'ttl-too', { at: timestamp(20) });
      expect(unconditional).toMatchObject({ kind: 'delete', version: 2, reason: 'deleted' });
      expect(await versionOf(store(), tenantId, 'ttl')).toBe(2);
      expect(await store().get({ tenantId, key: 'ttl', now: timestamp(5) })).toBeNull();
    });

    it('refuses a stale ifVersion with the current version, deleting nothing', async () => {
      const tenantId = randomTenantId();
      await setValue(store(), tenantId, 'cad', 1);
      await setValue(store(), tenantId, 'cad', 2);
      expect(await store().delete(stateDeletion(tenantId, 'cad', { ifVersion: 1 }))).toEqual({
        ok: false,
        reason: 'conflict',
        currentVersion: 2,
      });
      expect((await store().get({ tenantId, key: 'cad', now: LATER }))?.value).toBe(2);
      expect(versionsOf(await historyOf(store(), tenantId, 'cad'))).toEqual([1, 2]);
      expect(await deleteKey(store(), tenantId, 'cad', { ifVersion: 2 })).toMatchObject({
        version: 3,
      });
    });

    it('refuses an ifVersion for a key without a value with current version 0', async () => {
      const tenantId = randomTenantId();
      expect(await store().delete(stateDeletion(tenantId, 'never', { ifVersion: 1 }))).toEqual({
        ok: false,
        reason: 'conflict',
        currentVersion: 0,
      });
      await setValue(store(), tenantId, 'ttl', 1, { expiresAt: timestamp(10) });
      await setValue(store(), tenantId, 'ttl', 2, { expiresAt: timestamp(10) });
      const stale = await store().delete(
        stateDeletion(tenantId, 'ttl', { ifVersion: 1, at: timestamp(10) }),
      );
      expect(stale).toEqual({ ok: false, reason: 'conflict', currentVersion: 0 });
      await setValue(store(), tenantId, 'gone', 1);
      await deleteKey(store(), tenantId, 'gone');
      expect(await store().delete(stateDeletion(tenantId, 'gone', { ifVersion: 1 }))).toEqual({
        ok: false,
        reason: 'conflict',
        currentVersion: 0,
      });
      expect(await store().delete(stateDeletion(tenantId, 'gone', { ifVersion: 2 }))).toEqual({
        ok: false,
        reason: 'conflict',
        currentVersion: 0,
      });
      expect(await versionOf(store(), tenantId, 'gone')).toBe(2);
      expect(await versionOf(store(), tenantId, 'ttl')).toBe(2);
    });
  });
}

/** `versions`: deleted and expired keys keep theirs. */
export function describeVersions(store: () => StateStore): void {
  describe('versions', () => {
    it('reports live, deleted and expired keys, and 0 for keys never written', async () => {
      const tenantId = randomTenantId();
      await setValue(store(), tenantId, 'live', 1);
      await setValue(store(), tenantId, 'live', 2);
      await setValue(store(), tenantId, 'deleted', 1);
      await deleteKey(store(), tenantId, 'deleted');
      await setValue(store(), tenantId, 'expired', 1, { expiresAt: timestamp(2) });
      const keys = ['live', 'deleted', 'expired', 'unknown'];
      const versions = await store().versions({ tenantId, keys });
      expect(Object.fromEntries(keys.map((key) => [key, versions[key] ?? 0]))).toEqual({
        live: 2,
        deleted: 2,
        expired: 1,
        unknown: 0,
      });
      for (const key of Object.keys(versions)) expect(keys).toContain(key);
    });

    it('answers an empty list of keys with nothing', async () => {
      expect(await store().versions({ tenantId: randomTenantId(), keys: [] })).toEqual({});
    });

    it('changes only the written key', async () => {
      const tenantId = randomTenantId();
      await setValue(store(), tenantId, 'a', 1);
      const change = await setValue(store(), tenantId, 'b', 1);
      expect(change.version).toBe(1);
      await deleteKey(store(), tenantId, 'a');
      expect(await versionOf(store(), tenantId, 'b')).toBe(1);
      expect(appliedChange(await store().set(stateWrite(tenantId, 'b', 2))).version).toBe(2);
    });
  });
}
