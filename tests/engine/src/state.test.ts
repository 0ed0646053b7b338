import {
  createMemnex,
  MemnexError,
  type Bus,
  type BusEvent,
  type Memnex,
  type StateOptions,
  type Stores,
} from '@memnex/core';
import type { StateEvent } from '@memnex/core/wire';
import { createMemoryStores } from '@memnex/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_KEY, eventually, manualClock, setup } from './setup.js';

const engines: Memnex[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});

async function started(options: Parameters<typeof setup>[0] = {}) {
  const result = await setup(options);
  engines.push(result.memnex);
  return result;
}

async function expectError(work: Promise<unknown>, code: string): Promise<MemnexError> {
  const error = await work.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(MemnexError.isInstance(error), `expected ${code}, got ${String(error)}`).toBe(true);
  expect((error as MemnexError).code).toBe(code);
  return error as MemnexError;
}

function collector() {
  const events: StateEvent[] = [];
  return {
    events,
    listener: { event: (event: StateEvent) => void events.push(event) },
    versions: (key?: string) =>
      events
        .filter((event) => event.event !== 'schema' && (key === undefined || event.key === key))
        .map((event) => event.version),
  };
}

/**
 * Two engines over the same memory stores, as two instances on one database. Instance B's bus
 * holds back every state event (`state.changed`, `state.schema`): a test hands them over with `deliver`, in any order, or
 * never (as if A stopped between a commit and its publish).
 */
async function twoInstances(
  options: { stores?: (shared: Stores) => Partial<Stores>; state?: StateOptions } = {},
) {
  const shared = createMemoryStores();
  const held: BusEvent[] = [];
  let handler: ((event: BusEvent) => void) | null = null;
  const gapListeners: Array<() => void> = [];
  const holding: Bus = {
    ...shared.bus,
    init: () => shared.bus.init(),
    close: () => shared.bus.close(),
    publish: (event) => shared.bus.publish(event),
    onGap: (listener) => {
      gapListeners.push(listener);
      return shared.bus.onGap(listener);
    },
    subscribe: (listener) => {
      handler = listener;
      return shared.bus.subscribe((event) =>
        event.type.startsWith('state.') ? void held.push(event) : listener(event),
      );
    },
  };
  const a = createMemnex({ stores: shared, auditKey: AUDIT_KEY });
  const b = createMemnex({
    stores: { ...shared, ...options.stores?.(shared), bus: holding },
    auditKey: AUDIT_KEY,
    state: options.state,
  });
  engines.push(a, b);
  await a.init();
  await b.init();
  const { id: tenantId } = await a.tenants.create({ name: 't' });
  return {
    a,
    b,
    tenantId,
    held,
    deliver: (event: BusEvent) => handler!(event),
    /** Tell B that its bus may have lost events (a reconnect). */
    gap: () => gapListeners.forEach((listener) => listener()),
  };
}

describe('state values', () => {
  it('versions every write, answers compare-and-set conflicts with the current version', async () => {
    const { memnex, tenantId } = await started();
    const first = await memnex.state.set({ tenantId, key: 'plan:goal', value: { step: 1 } });
    expect(first).toMatchObject({
      key: 'plan:goal',
      value: { step: 1 },
      version: 1,
      updatedBy: 'system',
      expiresAt: null,
    });
    const second = await memnex.state.set({
      tenantId,
      key: 'plan:goal',
      value: { step: 2 },
      ifVersion: 1,
    });
    expect(second.version).toBe(2);
    const conflict = await expectError(
      memnex.state.set({ tenantId, key: 'plan:goal', value: { step: 3 }, ifVersion: 1 }),
      'CONFLICT',
    );
    expect(conflict.details).toMatchObject({ currentVersion: 2 });
    expect(await memnex.state.get({ tenantId, key: 'plan:goal' })).toMatchObject({
      value: { step: 2 },
      version: 2,
    });
    // ifVersion 0: create only.
    await expectError(
      memnex.state.set({ tenantId, key: 'plan:goal', value: 1, ifVersion: 0 }),
      'CONFLICT',
    );
    expect(
      (await memnex.state.set({ tenantId, key: 'plan:new', value: 1, ifVersion: 0 })).version,
    ).toBe(1);
  });

  it('lets exactly one of many racing compare-and-sets win each version', async () => {
    const { memnex, tenantId } = await started();
    await memnex.state.set({ tenantId, key: 'counter', value: 0 });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) =>
        memnex.state.set({ tenantId, key: 'counter', value: index, ifVersion: 1 }),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') {
        expect((result.reason as MemnexError).code).toBe('CONFLICT');
        expect((result.reason as MemnexError).details).toMatchObject({ currentVersion: 2 });
      }
    }
  });

  it('deletes with a new version, and a later write continues the numbering', async () => {
    const { memnex, tenantId } = await started();
    await memnex.state.set({ tenantId, key: 'k', value: 'a' });
    expect(await memnex.state.delete({ tenantId, key: 'k' })).toEqual({
      key: 'k',
      deleted: true,
      version: 2,
    });
    expect(await memnex.state.get({ tenantId, key: 'k' })).toBeNull();
    expect(await memnex.state.delete({ tenantId, key: 'k' })).toEqual({
      key: 'k',
      deleted: false,
      version: 2,
    });
    expect((await memnex.state.set({ tenantId, key: 'k', value: 'b', ifVersion: 0 })).version).toBe(
      3,
    );
    await expectError(memnex.state.delete({ tenantId, key: 'k', ifVersion: 2 }), 'CONFLICT');
  });

  it('refuses bad keys, non-JSON values and oversized values without storing anything', async () => {
    const { memnex, tenantId } = await started();
    await expectError(
      memnex.state.set({ tenantId, key: 'has space', value: 1 }),
      'VALIDATION_FAILED',
    );
    await expectError(memnex.state.set({ tenantId, key: 'glob:*', value: 1 }), 'VALIDATION_FAILED');
    await expectError(memnex.state.set({ tenantId, key: '', value: 1 }), 'VALIDATION_FAILED');
    await expectError(
      memnex.state.set({ tenantId, key: 'x'.repeat(513), value: 1 }),
      'VALIDATION_FAILED',
    );
    await expectError(
      memnex.state.set({ tenantId, key: 'n', value: Number.NaN }),
      'VALIDATION_FAILED',
    );
    await expectError(
      memnex.state.set({ tenantId, key: 'n', value: { a: Infinity } }),
      'VALIDATION_FAILED',
    );
    await expectError(
      memnex.state.set({ tenantId, key: 'n', value: undefined }),
      'VALIDATION_FAILED',
    );
    await expectError(
      memnex.state.set({ tenantId, key: 'n', value: 1, ttlSeconds: 0 }),
      'VALIDATION_FAILED',
    );
    await expectError(
      memnex.state.set({ tenantId, key: 'n', value: { a: ['x\u0000'] } }),
      'VALIDATION_FAILED',
    );
    await expectError(memnex.state.set({ tenantId, key: '..', value: 1 }), 'VALIDATION_FAILED');
    const dated = await expectError(
      memnex.state.set({ tenantId, key: 'n', value: { at: [1, new Date()] } }),
      'VALIDATION_FAILED',
    );
    expect(dated.details).toMatchObject({
      issues: [{ path: 'value.at.1', message: 'a Date object is not JSON' }],
    });
    await expectError(
      memnex.state.set({ tenantId, key: 'n', value: { f: () => 1, n: 10n } }),
      'VALIDATION_FAILED',
    );
    // A backslash followed by "u0000" is text, not NUL.
    await memnex.state.set({ tenantId, key: 'path', value: 'C:\\u0000' });
    await expectError(
      memnex.state.set({ tenantId, key: 'big', value: 'x'.repeat(1_048_577) }),
      'PAYLOAD_TOO_LARGE',
    );
    expect((await memnex.state.list({ tenantId })).entries.map((entry) => entry.key)).toEqual([
      'path',
    ]);
  });

  it('expires values: they read as absent at once and the sweep announces their deletion', async () => {
    const clock = manualClock();
    const { memnex, tenantId } = await started({ now: clock.now, state: { sweepIntervalMs: 5 } });
    const seen = collector();
    await memnex.state.subscribe({ tenantId, pattern: 'session:*' }, seen.listener);
    const written = await memnex.state.set({
      tenantId,
      key: 'session:1',
      value: 'on',
      ttlSeconds: 60,
    });
    expect(written.expiresAt).toBe(new Date(clock.now().getTime() + 60_000).toISOString());
    clock.advance(60_000);
    expect(await memnex.state.get({ tenantId, key: 'session:1' })).toBeNull();
    await eventually(async () => {
      expect(seen.events.at(-1)).toMatchObject({
        event: 'delete',
        key: 'session:1',
        version: 2,
        reason: 'expired',
      });
    });
  });

  it('lists by glob and prefix in key order, paging with a cursor', async () => {
    const { memnex, tenantId } = await started();
    for (const key of ['team:b:task', 'team:a:task', 'team:a:note', 'other', 'team:c:task']) {
      await memnex.state.set({ tenantId, key, value: key });
    }
    const tasks = await memnex.state.list({ tenantId, pattern: 'team:*:task', limit: 2 });
    expect(tasks.entries.map((entry) => entry.key)).toEqual(['team:a:task', 'team:b:task']);
    const rest = await memnex.state.list({
      tenantId,
      pattern: 'team:*:task',
      limit: 2,
      cursor: tasks.nextCursor!,
    });
    expect(rest.entries.map((entry) => entry.key)).toEqual(['team:c:task']);
    expect(rest.nextCursor).toBeNull();
    const prefixed = await memnex.state.list({ tenantId, prefix: 'team:a' });
    expect(prefixed.entries.map((entry) => entry.key)).toEqual(['team:a:note', 'team:a:task']);
    await expectError(
      memnex.state.list({ tenantId, cursor: '!!not-a-cursor' }),
      'VALIDATION_FAILED',
    );
  });
});

describe('state schemas', () => {
  const point = {
    type: 'object',
    properties: { x: { type: 'number' }, y: { type: 'number' } },
    required: ['x', 'y'],
  };

  it('reports every violation with its JSON pointer and stores nothing', async () => {
    const { memnex, tenantId } = await started();
    await memnex.state.setSchema({ tenantId, pattern: 'geo:*', schema: point });
    const error = await expectError(
      memnex.state.set({ tenantId, key: 'geo:home', value: { x: 'a' } }),
      'VALIDATION_FAILED',
    );
    const issues = (error.details as { issues: Array<{ path: string; code: string }> }).issues;
    expect(issues.map((issue) => [issue.path, issue.code]).sort()).toEqual([
      ['/x', 'type'],
      ['/y', 'required'],
    ]);
    expect(await memnex.state.get({ tenantId, key: 'geo:home' })).toBeNull();
    expect(
      (await memnex.state.set({ tenantId, key: 'geo:home', value: { x: 1, y: 2 } })).version,
    ).toBe(1);
  });

  it('applies the most specific schema: an exact key beats a glob, a longer glob a shorter one', async () => {
    const { memnex, tenantId } = await started();
    await memnex.state.setSchema({ tenantId, pattern: '*', schema: { type: 'object' } });
    await memnex.state.setSchema({ tenantId, pattern: 'plan:*', schema: { type: 'string' } });
    await memnex.state.setSchema({ tenantId, pattern: 'plan:count', schema: { type: 'integer' } });
    await memnex.state.set({ tenantId, key: 'plan:count', value: 3 });
    await memnex.state.set({ tenantId, key: 'plan:goal', value: 'ship' });
    await memnex.state.set({ tenantId, key: 'misc', value: {} });
    await expectError(
      memnex.state.set({ tenantId, key: 'plan:count', value: 'three' }),
      'VALIDATION_FAILED',
    );
    await expectError(
      memnex.state.set({ tenantId, key: 'plan:goal', value: 3 }),
      'VALIDATION_FAILED',
    );
    await expectError(memnex.state.set({ tenantId, key: 'misc', value: 3 }), 'VALIDATION_FAILED');
    expect((await memnex.state.listSchemas({ tenantId })).map((schema) => schema.pattern)).toEqual([
      '*',
      'plan:*',
      'plan:count',
    ]);
  });

  it('checks the schema itself, in draft 2020-12 or draft-07, and honours false and {}', async () => {
    const { memnex, tenantId } = await started();
    await expectError(
      memnex.state.setSchema({ tenantId, pattern: 'a', schema: { type: 'nope' } }),
      'VALIDATION_FAILED',
    );
    await expectError(
      memnex.state.setSchema({ tenantId, pattern: 'a', schema: [1] as never }),
      'VALIDATION_FAILED',
    );
    await expectError(
      memnex.state.setSchema({
        tenantId,
        pattern: 'a',
        schema: { $schema: 'http://example.com/other' },
      }),
      'VALIDATION_FAILED',
    );
    await memnex.state.setSchema({
      tenantId,
      pattern: 'd7',
      schema: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'array',
        items: [{ type: 'string' }],
        additionalItems: false,
      },
    });
    await memnex.state.set({ tenantId, key: 'd7', value: ['x'] });
    await expectError(
      memnex.state.set({ tenantId, key: 'd7', value: ['x', 1] }),
      'VALIDATION_FAILED',
    );
    await memnex.state.setSchema({ tenantId, pattern: 'never', schema: false });
    await expectError(memnex.state.set({ tenantId, key: 'never', value: 1 }), 'VALIDATION_FAILED');
    await memnex.state.setSchema({ tenantId, pattern: 'any', schema: {} });
    expect(await memnex.state.getSchema({ tenantId, pattern: 'any' })).toMatchObject({
      schema: {},
    });
    await memnex.state.set({ tenantId, key: 'any', value: 'whatever' });
    expect(await memnex.state.deleteSchema({ tenantId, pattern: 'never' })).toEqual({
      pattern: 'never',
      deleted: true,
    });
    await memnex.state.set({ tenantId, key: 'never', value: 1 });
    expect(await memnex.state.deleteSchema({ tenantId, pattern: 'never' })).toEqual({
      pattern: 'never',
      deleted: false,
    });
  });

  it('never accepts a value validated against a schema that changed before the write landed', async () => {
    // B never hears of the schema change: only the store's revision check stops the write.
    const { a, b, tenantId } = await twoInstances();
    await b.state.set({ tenantId, key: 'n', value: 'text' });
    await a.state.setSchema({ tenantId, pattern: 'n', schema: { type: 'number' } });
    await expectError(
      b.state.set({ tenantId, key: 'n', value: 'still text' }),
      'VALIDATION_FAILED',
    );
  });
});

describe('state scopes', () => {
  it('limits a key to the globs of its scopes, for values, lists, schemas and subscriptions', async () => {
    const { memnex, tenantId } = await started();
    const call = {
      actor: 'k1',
      callerScopes: ['state:read:plan:*', 'state:write:plan:tasks:*', 'state:schema:plan:tasks:*'],
    };
    await memnex.state.set({ tenantId, key: 'plan:tasks:1', value: 1, ...call });
    await memnex.state.get({ tenantId, key: 'plan:goal', ...call });
    await expectError(
      memnex.state.set({ tenantId, key: 'plan:goal', value: 1, ...call }),
      'FORBIDDEN',
    );
    await expectError(memnex.state.get({ tenantId, key: 'secret', ...call }), 'FORBIDDEN');
    await expectError(memnex.state.list({ tenantId, ...call }), 'FORBIDDEN');
    await memnex.state.list({ tenantId, pattern: 'plan:t*', ...call });
    await expectError(memnex.state.list({ tenantId, pattern: 'pla?:*', ...call }), 'FORBIDDEN');
    await memnex.state.setSchema({ tenantId, pattern: 'plan:tasks:*', schema: {}, ...call });
    await expectError(
      memnex.state.setSchema({ tenantId, pattern: 'plan:*', schema: {}, ...call }),
      'FORBIDDEN',
    );
    await expectError(
      memnex.state.subscribe({ tenantId, pattern: '*', ...call }, collector().listener),
      'FORBIDDEN',
    );
    await memnex.state.subscribe({ tenantId, pattern: 'plan:*', ...call }, collector().listener);
    expect((await memnex.state.get({ tenantId, key: 'plan:tasks:1', ...call }))?.updatedBy).toBe(
      'k1',
    );
  });

  it('stamps values with the key id and schema changes in the ledger as key:<id>', async () => {
    const { memnex, tenantId } = await started();
    const call = { actor: 'key:k0123abcd' };
    expect((await memnex.state.set({ tenantId, key: 'a', value: 1, ...call })).updatedBy).toBe(
      'k0123abcd',
    );
    await memnex.state.setSchema({ tenantId, pattern: 'a', schema: {}, ...call });
    const entries = await memnex.audit.list({ tenantId });
    expect(entries.at(-1)).toMatchObject({ op: 'state.schema.set', actor: 'key:k0123abcd' });
  });

  it('keeps tenants apart whatever the key', async () => {
    const { memnex, tenantId } = await started();
    const other = (await memnex.tenants.create({ name: 'other' })).id;
    const seen = collector();
    await memnex.state.subscribe({ tenantId: other, pattern: '*' }, seen.listener);
    await memnex.state.set({ tenantId, key: 'shared:name', value: 'a' });
    expect(await memnex.state.get({ tenantId: other, key: 'shared:name' })).toBeNull();
    expect(
      (await memnex.state.set({ tenantId: other, key: 'shared:name', value: 'b' })).version,
    ).toBe(1);
    expect(seen.events.map((event) => event.key)).toEqual(['shared:name']);
    expect(seen.events[0]).toMatchObject({ value: 'b' });
  });
});

describe('state subscriptions', () => {
  it('delivers changes of matching keys in order, with schema events', async () => {
    const { memnex, tenantId } = await started();
    const seen = collector();
    const subscription = await memnex.state.subscribe(
      { tenantId, pattern: 'plan:*' },
      seen.listener,
    );
    expect(subscription.ready).toEqual({ versions: {}, truncated: false });
    for (let index = 0; index < 5; index += 1)
      await memnex.state.set({ tenantId, key: 'plan:goal', value: index });
    await memnex.state.set({ tenantId, key: 'elsewhere', value: 1 });
    await memnex.state.setSchema({ tenantId, pattern: 'plan:*', schema: {} });
    await memnex.state.delete({ tenantId, key: 'plan:goal' });
    expect(seen.events.map((event) => [event.event, event.key, event.version])).toEqual([
      ['value', 'plan:goal', 1],
      ['value', 'plan:goal', 2],
      ['value', 'plan:goal', 3],
      ['value', 'plan:goal', 4],
      ['value', 'plan:goal', 5],
      ['schema', 'plan:*', 1],
      ['delete', 'plan:goal', 6],
    ]);
    subscription.close();
    await memnex.state.set({ tenantId, key: 'plan:goal', value: 'after' });
    expect(seen.events).toHaveLength(7);
  });

  it('resumes from sinceVersion and from a per-key since map, replaying each missed version once', async () => {
    const { memnex, tenantId } = await started();
    for (let index = 1; index <= 3; index += 1)
      await memnex.state.set({ tenantId, key: 'a', value: index });
    await memnex.state.set({ tenantId, key: 'b', value: 1 });
    await memnex.state.delete({ tenantId, key: 'b' });
    const exact = collector();
    const one = await memnex.state.subscribe(
      { tenantId, pattern: 'a', sinceVersion: 1 },
      exact.listener,
    );
    expect(one.ready.versions).toEqual({ a: 1 });
    await eventually(async () => expect(exact.versions()).toEqual([2, 3]));
    await memnex.state.set({ tenantId, key: 'a', value: 4 });
    expect(exact.versions()).toEqual([2, 3, 4]);

    const glob = collector();
    await memnex.state.subscribe({ tenantId, pattern: '*', since: { a: 3, b: 1 } }, glob.listener);
    await eventually(async () => {
      expect(glob.events.map((event) => [event.event, event.key, event.version]).sort()).toEqual([
        ['delete', 'b', 2],
        ['value', 'a', 4],
      ]);
    });
  });

  it('replays the current value, marked resync, when the history no longer reaches back', async () => {
    const { memnex, tenantId } = await started({ state: { historyLimit: 2 } });
    for (let index = 1; index <= 5; index += 1)
      await memnex.state.set({ tenantId, key: 'k', value: index });
    const seen = collector();
    await memnex.state.subscribe({ tenantId, pattern: 'k', sinceVersion: 1 }, seen.listener);
    await eventually(async () => expect(seen.events).toHaveLength(1));
    expect(seen.events[0]).toMatchObject({ event: 'value', version: 5, value: 5, resync: true });
  });

  it('fills gaps and drops duplicates when another instance’s events arrive late, twice or not at all', async () => {
    // Instance B receives A's events late, twice, or not at all.
    const { a, b, tenantId, held, deliver } = await twoInstances();
    const seen = collector();
    await b.state.subscribe({ tenantId, pattern: 'task:*' }, seen.listener);
    for (let index = 1; index <= 6; index += 1)
      await a.state.set({ tenantId, key: 'task:1', value: index });
    expect(held).toHaveLength(6);
    // Deliver v6, v3, v3 again, then v1; v2, v4, v5 are lost.
    const [v1, , v3, , , v6] = held;
    for (const event of [v6!, v3!, v3!, v1!]) deliver(event);
    await eventually(async () => expect(seen.versions('task:1')).toEqual([1, 2, 3, 4, 5, 6]));
    expect(
      seen.events.every((event) => event.event === 'value' && !('resync' in event && event.resync)),
    ).toBe(true);
  });

  it('keeps asking the store to fill a gap while it fails, and delivers once it answers', async () => {
    let failures = 2;
    const { a, b, tenantId, held, deliver } = await twoInstances({
      stores: (shared) => ({
        state: new Proxy(shared.state, {
          get(target, property, receiver) {
            if (property === 'history') {
              return async (options: Parameters<typeof target.history>[0]) => {
                if (failures > 0) {
                  failures -= 1;
                  throw new Error('store down');
                }
                return target.history(options);
              };
            }
            return Reflect.get(target, property, receiver) as unknown;
          },
        }),
      }),
    });
    const seen = collector();
    await b.state.subscribe({ tenantId, pattern: 'k' }, seen.listener);
    for (let index = 1; index <= 3; index += 1)
      await a.state.set({ tenantId, key: 'k', value: index });
    deliver(held[2]!);
    await eventually(async () => expect(seen.versions()).toEqual([1, 2, 3]), 5000);
    expect(failures).toBe(0);
  });

  it('delivers, within the reconcile interval, changes whose events were never published', async () => {
    // B never hears of A's changes, as if A stopped after each commit, before publishing.
    const { a, b, tenantId } = await twoInstances({ state: { reconcileIntervalMs: 20 } });
    await a.state.set({ tenantId, key: 'plan:goal', value: 0 });
    const seen = collector();
    await b.state.subscribe({ tenantId, pattern: 'plan:*' }, seen.listener);
    for (let index = 1; index <= 3; index += 1) {
      await a.state.set({ tenantId, key: 'plan:goal', value: index });
    }
    await eventually(async () => expect(seen.versions('plan:goal')).toEqual([2, 3, 4]), 5000);
  });

  it('catches up on every subscribed key when the bus reports a gap', async () => {
    const { a, b, tenantId, gap } = await twoInstances({ state: { reconcileIntervalMs: 0 } });
    await a.state.set({ tenantId, key: 'x', value: 0 });
    const seen = collector();
    await b.state.subscribe({ tenantId, pattern: '*' }, seen.listener);
    await a.state.set({ tenantId, key: 'x', value: 1 });
    await a.state.set({ tenantId, key: 'x', value: 2 });
    // The bus lost both events; B hears of nothing until the gap is reported.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen.events).toEqual([]);
    gap();
    await eventually(async () => expect(seen.versions('x')).toEqual([2, 3]));
  });

  it('ends a subscription when its key is revoked', async () => {
    const { memnex, tenantId } = await started();
    const created = await memnex.keys.create({
      tenantId,
      label: 'agent',
      scopes: ['state:read:*'],
    });
    let ended: MemnexError | null | undefined;
    const seen = collector();
    await memnex.state.subscribe(
      {
        tenantId,
        pattern: '*',
        actor: `key:${created.record.id}`,
        callerScopes: created.record.scopes,
      },
      { ...seen.listener, end: (error) => (ended = error) },
    );
    await memnex.keys.revoke({ tenantId, keyId: created.record.id });
    await eventually(async () => expect(ended?.code).toBe('UNAUTHENTICATED'));
    await memnex.state.set({ tenantId, key: 'x', value: 1 });
    expect(seen.events).toEqual([]);
  });
});
