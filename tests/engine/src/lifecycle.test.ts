import {
  createMemnex,
  MemnexError,
  type Leases,
  type Logger,
  type Memnex,
  type Stores,
} from '@memnex/core';
import { createHashEmbedder } from '@memnex/embeddings';
import { createMemoryStores } from '@memnex/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_KEY, manualClock, MINUTE, PII_KEY, setup } from './setup.js';

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const engines: Memnex[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});

async function started(options: Parameters<typeof setup>[0] = {}) {
  const result = await setup({ lifecycle: { sweepIntervalMs: 0 }, ...options });
  engines.push(result.memnex);
  return result;
}

async function auditOps(memnex: Memnex, tenantId: string, op: string) {
  return memnex.audit.list({ tenantId, op, limit: 1000 });
}

describe('retention', () => {
  it('a fact with a 1-hour TTL leaves read and search at expiry and is deleted after the grace window, both audited', async () => {
    const clock = manualClock();
    const { memnex, tenantId } = await started({
      now: clock.now,
      lifecycle: { sweepIntervalMs: 0, graceSeconds: 2 * 86_400 },
    });
    const user = 'u-ttl';
    const written = await memnex.write({
      tenantId,
      user,
      facts: [
        { type: 'intent', text: 'Wants a callback about the router tomorrow', ttl: 3600 },
        { type: 'profile', text: 'Lives in Pune' },
      ],
    });
    const [callback, city] = written.written.map((item) => item.id);
    const texts = async () => (await memnex.read({ tenantId, user })).items.map((item) => item.id);
    const found = async (includeHistory = false) =>
      (await memnex.search({ tenantId, user, query: 'callback router', includeHistory })).hits.map(
        (hit) => hit.id,
      );
    expect(await texts()).toEqual(expect.arrayContaining([callback, city]));
    expect(await found()).toContain(callback);

    clock.advance(HOUR + MINUTE);
    // Out of reads and search at once, before any sweep (the read cache was warm).
    expect(await texts()).toEqual([city]);
    expect(await found()).not.toContain(callback);

    const first = await memnex.lifecycle.sweep();
    expect(first).toMatchObject({ ran: true, expired: 1, purged: 0, users: 1, complete: true });
    const [expiredEntry] = await auditOps(memnex, tenantId, 'memory.expire');
    expect(expiredEntry).toMatchObject({
      actor: 'system',
      payload: { memoryIds: [callback], count: 1 },
    });
    const history = await memnex.search({
      tenantId,
      user,
      query: 'callback router',
      includeHistory: true,
    });
    expect(history.hits.find((hit) => hit.id === callback)).toMatchObject({ status: 'expired' });
    const timeline = await memnex.timeline({ tenantId, user });
    expect(timeline.entries.map((entry) => [entry.event, entry.memory.id])).toContainEqual([
      'expired',
      callback,
    ]);
    expect(await memnex.lifecycle.sweep()).toMatchObject({ ran: true, expired: 0, purged: 0 });

    clock.advance(2 * DAY - 2 * MINUTE);
    expect(await memnex.lifecycle.sweep()).toMatchObject({ expired: 0, purged: 0 });
    clock.advance(2 * MINUTE);
    expect(await memnex.lifecycle.sweep()).toMatchObject({ expired: 0, purged: 1, users: 1 });
    const [purgedEntry] = await auditOps(memnex, tenantId, 'memory.purge');
    expect(purgedEntry).toMatchObject({
      actor: 'system',
      payload: { memoryIds: [callback], count: 1, graceSeconds: 2 * 86_400 },
    });
    const exported = await memnex.export({ tenantId, user });
    expect(exported.memories.map((memory) => memory.id)).toEqual([city]);
    expect(await found(true)).not.toContain(callback);
    expect((await memnex.audit.verify({ tenantId })).ok).toBe(true);
  });

  it('deletes superseded facts past their time to live after the grace window too', async () => {
    const clock = manualClock();
    const { memnex, tenantId } = await started({
      now: clock.now,
      lifecycle: { sweepIntervalMs: 0, graceSeconds: 60 },
    });
    const user = 'u-history';
    const first = await memnex.write({
      tenantId,
      user,
      facts: [{ type: 'profile', text: 'Lives in Leeds', slot: 'profile:city', ttl: 600 }],
    });
    await memnex.write({
      tenantId,
      user,
      facts: [{ type: 'profile', text: 'Lives in Pune', slot: 'profile:city' }],
    });
    const old = first.written[0]!.id;
    const statusOf = async () =>
      (await memnex.export({ tenantId, user })).memories.find((memory) => memory.id === old)
        ?.status;
    expect(await statusOf()).toBe('superseded');
    clock.advance(11 * MINUTE);
    expect(await memnex.lifecycle.sweep()).toMatchObject({ expired: 0, purged: 1 });
    expect(await statusOf()).toBeUndefined();
  });

  it('applies the tenant retention policy per type, and touches only expired memories', async () => {
    const clock = manualClock();
    const { memnex, tenantId } = await started({ now: clock.now });
    await memnex.tenants.update({ tenantId, set: { settings: { retention: { event: 600 } } } });
    await memnex.write({
      tenantId,
      user: 'u-policy',
      facts: [{ type: 'preference', text: 'Prefers Hindi on calls' }],
      messages: [{ text: 'hello, is anyone there?' }],
    });
    clock.advance(11 * MINUTE);
    const result = await memnex.lifecycle.sweep();
    expect(result).toMatchObject({ ran: true, expired: 1 });
    const items = (await memnex.read({ tenantId, user: 'u-policy' })).items;
    expect(items.map((item) => item.text)).toEqual(['Prefers Hindi on calls']);
  });

  it('expires memories of every tenant in one sweep, each in its own ledger', async () => {
    const clock = manualClock();
    const { memnex, tenantId } = await started({ now: clock.now });
    const other = (await memnex.tenants.create({ name: 'globex' })).id;
    for (const tenant of [tenantId, other]) {
      await memnex.write({
        tenantId: tenant,
        user: 'same-id',
        facts: [{ type: 'intent', text: `Wants a quote (${tenant})`, ttl: 60 }],
      });
    }
    clock.advance(2 * MINUTE);
    expect(await memnex.lifecycle.sweep()).toMatchObject({ expired: 2, users: 2 });
    for (const tenant of [tenantId, other]) {
      const [entry] = await auditOps(memnex, tenant, 'memory.expire');
      expect(entry?.payload.count).toBe(1);
    }
  });

  it('handles more expired memories than one batch', async () => {
    const clock = manualClock();
    const { memnex, tenantId } = await started({
      now: clock.now,
      lifecycle: { sweepIntervalMs: 0, batchSize: 7 },
    });
    for (let index = 0; index < 5; index += 1) {
      await memnex.write({
        tenantId,
        user: `batch-${index}`,
        facts: Array.from({ length: 6 }, (_, fact) => ({
          type: 'intent' as const,
          text: `Intent number ${fact} of user ${index}`,
          ttl: 60,
        })),
      });
    }
    clock.advance(2 * MINUTE);
    expect(await memnex.lifecycle.sweep()).toMatchObject({ expired: 30, users: 5, complete: true });
  });
});

/** A logger that records when each engine's sweeps start and finish, in one shared sequence. */
function sweepRecorder() {
  const events: Array<{ instance: string; what: 'started' | 'finished' }> = [];
  const logger = (instance: string): Logger => {
    const record = (message: string) => {
      if (message === 'retention sweep started') events.push({ instance, what: 'started' });
      if (message === 'retention sweep finished') events.push({ instance, what: 'finished' });
    };
    const self: Logger = {
      debug: record,
      info: record,
      warn: () => {},
      error: () => {},
      child: () => self,
    };
    return self;
  };
  /** Largest number of sweeps running at once. */
  const overlap = () => {
    let running = 0;
    let most = 0;
    for (const event of events) {
      running += event.what === 'started' ? 1 : -1;
      most = Math.max(most, running);
    }
    return most;
  };
  return { events, logger, overlap };
}

/** Stores whose memory reads take a few milliseconds, so that sweeps last long enough to collide. */
function slowStores(shared: Stores): Stores {
  const pause = () => new Promise((resolve) => setTimeout(resolve, 2));
  const warm = new Proxy(shared.warm, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== 'getMemories' && property !== 'listExpiredMemories') return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]) => {
        await pause();
        return method.apply(target, args);
      };
    },
  });
  return { ...shared, warm };
}

async function twoInstancesSweeping(leases?: Leases) {
  const clock = manualClock();
  const shared = createMemoryStores();
  const stores = slowStores(leases ? { ...shared, leases } : shared);
  const recorder = sweepRecorder();
  const make = (instance: string) =>
    createMemnex({
      stores,
      embedder: createHashEmbedder({ dimensions: 64 }),
      auditKey: AUDIT_KEY,
      piiKey: PII_KEY,
      now: clock.now,
      logger: recorder.logger(instance),
      lifecycle: { sweepIntervalMs: 0, batchSize: 4 },
    });
  const a = make('a');
  const b = make('b');
  engines.push(a, b);
  await a.init();
  await b.init();
  const { id: tenantId } = await a.tenants.create({ name: 'shared' });
  let seeded = 0;
  const results = [];
  for (let round = 0; round < 4; round += 1) {
    for (let user = 0; user < 6; user += 1) {
      await a.write({
        tenantId,
        user: `r${round}-u${user}`,
        facts: [
          { type: 'intent', text: `Round ${round} intent A`, ttl: 30 },
          { type: 'intent', text: `Round ${round} intent B`, ttl: 30 },
        ],
      });
      seeded += 2;
    }
    clock.advance(MINUTE);
    results.push(
      ...(await Promise.all([
        a.lifecycle.sweep(),
        b.lifecycle.sweep(),
        b.lifecycle.sweep(),
        a.lifecycle.sweep(),
      ])),
    );
  }
  // Two calls on one instance share its running sweep: count each sweep once.
  const expired = [...new Set(results)].reduce(
    (sum, result) => sum + (result.ran ? result.expired : 0),
    0,
  );
  return { recorder, results, expired, seeded, tenantId, a };
}

describe('applying a retention policy to stored memories', () => {
  it('brings forward the expiry of what was written before the policy, never later, history included', async () => {
    const clock = manualClock();
    const { memnex, tenantId } = await started({ now: clock.now });
    const user = 'u-kept';
    const written = await memnex.write({
      tenantId,
      user,
      facts: [
        { type: 'intent', text: 'Wants a quote for fibre', slot: 'intent:quote' },
        { type: 'intent', text: 'Wants a callback at noon', ttl: 600 },
        { type: 'profile', text: 'Lives in Pune' },
      ],
    });
    const [quote, callback, city] = written.written.map((item) => item.id);
    clock.advance(HOUR);
    const newer = await memnex.write({
      tenantId,
      user,
      facts: [{ type: 'intent', text: 'Wants a quote for fibre and TV', slot: 'intent:quote' }],
    });
    const bundle = newer.written[0]!.id;
    await memnex.write({
      tenantId,
      user: 'u-other',
      facts: [{ type: 'intent', text: 'Wants a new router' }],
    });
    clock.advance(2 * DAY);
    await memnex.tenants.update({
      tenantId,
      set: { settings: { retention: { intent: DAY / 1000 } } },
    });
    const [change] = await auditOps(memnex, tenantId, 'tenant.update');
    expect(change).toMatchObject({
      actor: 'system',
      payload: { set: { settings: { retention: { intent: 86_400 } } } },
    });
    const ids = async () => (await memnex.read({ tenantId, user })).items.map((item) => item.id);
    expect(await ids()).toEqual(expect.arrayContaining([bundle, city]));

    // A dry run counts and changes nothing.
    const dry = await memnex.lifecycle.applyRetention({ tenantId, user, dryRun: true });
    expect(dry).toEqual({
      dryRun: true,
      retention: { intent: 86_400 },
      users: 1,
      // the superseded quote and the current bundle; the callback already ends sooner
      memories: 2,
      byType: { intent: 2 },
      due: 2,
    });
    expect(await ids()).toContain(bundle);
    expect(await auditOps(memnex, tenantId, 'memory.retention')).toEqual([]);

    const applied = await memnex.lifecycle.applyRetention({ tenantId, user, actor: 'key:ops' });
    expect(applied).toMatchObject({ dryRun: false, users: 1, memories: 2, due: 2 });
    // Out of reads at once, as any memory past its time to live; the other person untouched.
    expect(await ids()).toEqual([city]);
    const other = await memnex.read({ tenantId, user: 'u-other' });
    expect(other.items.map((item) => item.text)).toEqual(['Wants a new router']);
    const history = await memnex.export({ tenantId, user });
    const expiryOf = (id: string | undefined) =>
      history.memories.find((memory) => memory.id === id)?.expiresAt;
    const createdOf = (id: string | undefined) =>
      history.memories.find((memory) => memory.id === id)!.createdAt;
    expect(expiryOf(quote)).toBe(new Date(Date.parse(createdOf(quote)) + DAY).toISOString());
    expect(expiryOf(bundle)).toBe(new Date(Date.parse(createdOf(bundle)) + DAY).toISOString());
    expect(expiryOf(callback)).toBe(
      new Date(Date.parse(createdOf(callback)) + 10 * MINUTE).toISOString(),
    );
    expect(expiryOf(city)).toBeNull();
    const [entry, ...more] = await auditOps(memnex, tenantId, 'memory.retention');
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      actor: 'key:ops',
      payload: { count: 2, retention: { intent: 86_400 } },
    });
    expect([...(entry!.payload.memoryIds as string[])].sort()).toEqual([quote, bundle].sort());
    expect((await memnex.audit.verify({ tenantId })).ok).toBe(true);

    // Applied once, nothing is left to change; the sweep expires them as usual.
    expect(await memnex.lifecycle.applyRetention({ tenantId, user })).toMatchObject({
      memories: 0,
    });
    // The bundle, and the callback whose own ten minutes passed long ago.
    expect(await memnex.lifecycle.sweep()).toMatchObject({ ran: true, expired: 2 });
  });

  it('covers every person of the tenant, and nobody when the tenant has no policy', async () => {
    const clock = manualClock();
    const { memnex, tenantId } = await started({ now: clock.now });
    for (const user of ['p1', 'p2']) {
      await memnex.write({ tenantId, user, messages: [{ text: `Hello, this is ${user}` }] });
    }
    expect(await memnex.lifecycle.applyRetention({ tenantId })).toEqual({
      dryRun: false,
      retention: {},
      users: 0,
      memories: 0,
      byType: {},
      due: 0,
    });
    await memnex.tenants.update({ tenantId, set: { settings: { retention: { event: 3600 } } } });
    const result = await memnex.lifecycle.applyRetention({ tenantId });
    expect(result).toMatchObject({ users: 2, memories: 2, byType: { event: 2 }, due: 0 });
    clock.advance(HOUR + MINUTE);
    expect((await memnex.read({ tenantId, user: 'p1' })).items).toEqual([]);
  });

  it('refuses bad input and an unknown tenant without changing anything', async () => {
    const { memnex, tenantId } = await started();
    await memnex.write({ tenantId, user: 'p1', messages: [{ text: 'Hello there' }] });
    await memnex.tenants.update({ tenantId, set: { settings: { retention: { event: 60 } } } });
    await expect(
      memnex.lifecycle.applyRetention({ tenantId, dryRun: 'yes' } as never),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      memnex.lifecycle.applyRetention({ tenantId: 't_0000000000000000' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const [memory] = (await memnex.export({ tenantId, user: 'p1' })).memories;
    expect(memory!.expiresAt).toBeNull();
  });
});

describe('the retention sweep across instances', () => {
  it('never runs on two instances at the same time', async () => {
    const { recorder, results, expired, seeded, tenantId, a } = await twoInstancesSweeping();
    expect(recorder.events.filter((event) => event.what === 'started').length).toBeGreaterThan(0);
    expect(recorder.overlap()).toBe(1);
    expect(results.some((result) => !result.ran)).toBe(true);
    expect(expired).toBe(seeded);
    const entries = await a.audit.list({ tenantId, op: 'memory.expire', limit: 1000 });
    expect(entries.reduce((sum, entry) => sum + Number(entry.payload.count), 0)).toBe(seeded);
  });

  it('would overlap without the lease (the check above can fail)', async () => {
    const always: Leases = {
      capabilities: { shared: true },
      init: async () => {},
      close: async () => {},
      acquire: async () => true,
      release: async () => {},
    };
    const { recorder } = await twoInstancesSweeping(always);
    expect(recorder.overlap()).toBeGreaterThan(1);
  });

  it('the sweep timer runs the sweep by itself', async () => {
    const clock = manualClock();
    const { memnex, tenantId } = await started({
      now: clock.now,
      lifecycle: { sweepIntervalMs: 10 },
    });
    await memnex.write({
      tenantId,
      user: 'timer',
      facts: [{ type: 'intent', text: 'Wants to cancel the plan', ttl: 1 }],
    });
    clock.advance(MINUTE);
    await expect
      .poll(async () => (await auditOps(memnex, tenantId, 'memory.expire')).length)
      .toBe(1);
  });
});

describe('compaction', () => {
  const variants = () => {
    const prefixes = ['', 'She ', 'She really ', 'She also ', 'So she ', 'Also ', 'Really '];
    const bodies = [
      'prefers to be contacted by email',
      'prefers being contacted by email',
      'prefers contact by email',
      'prefer to be contacted by email',
      'prefers to be contacted by email only',
    ];
    const texts: string[] = [];
    for (const body of bodies) for (const prefix of prefixes) texts.push(`${prefix}${body}`);
    return texts.slice(0, 30);
  };

  it('leaves one fact of 30 near-duplicates, with the others in its history', async () => {
    const clock = manualClock();
    const { memnex, tenantId } = await started({ now: clock.now });
    await memnex.tenants.update({
      tenantId,
      set: { settings: { conflictPolicy: { preference: 'keep_both' } } },
    });
    const user = 'u-dupes';
    for (const text of variants()) {
      await memnex.write({ tenantId, user, facts: [{ type: 'preference', text }] });
      clock.advance(MINUTE);
    }
    await memnex.write({
      tenantId,
      user,
      facts: [
        { type: 'preference', text: 'Prefers a window seat' },
        { type: 'issue', text: 'Refund for order 4521 not received', entities: ['order:4521'] },
        {
          type: 'preference',
          text: 'Prefers the refund for order 4521 on the card',
          entities: ['order:4521'],
        },
        {
          type: 'preference',
          text: 'She prefers the refund for order 4521 on the card',
          entities: ['order:4521'],
        },
        { type: 'profile', text: 'Name is Priya', metadata: { pinned: true } },
        {
          type: 'profile',
          text: 'Name is Priya S',
          metadata: { pinned: true },
          slot: 'profile:nick',
        },
      ],
    });
    const before = (await memnex.read({ tenantId, user, tokenBudget: 8000 })).items;
    expect(before.filter((item) => item.text.includes('email'))).toHaveLength(30);

    const preview = await memnex.lifecycle.compact({ tenantId, user, dryRun: true });
    expect(preview.merges).toHaveLength(1);
    expect(preview.merges[0]!.merged).toHaveLength(29);
    const unchanged = (await memnex.read({ tenantId, user, tokenBudget: 8000 })).items;
    expect(unchanged.map((item) => item.id).sort()).toEqual(before.map((item) => item.id).sort());
    expect(await auditOps(memnex, tenantId, 'memory.compact')).toEqual([]);

    const result = await memnex.lifecycle.compact({ tenantId, user });
    expect(result.dryRun).toBe(false);
    expect(result.merges).toEqual(preview.merges);
    const keep = result.merges[0]!.keep;
    expect(keep.text).toBe(variants()[29]);
    expect(result.protected).toBe(5);

    const after = (await memnex.read({ tenantId, user, tokenBudget: 8000 })).items;
    const emails = after.filter((item) => item.text.includes('email'));
    expect(emails.map((item) => item.id)).toEqual([keep.id]);
    expect(emails[0]!.metadata.mergedFrom).toHaveLength(29);
    // Untouched: the dissimilar fact, both open issues, both pinned facts.
    for (const text of [
      'Prefers a window seat',
      'Refund for order 4521 not received',
      'Prefers the refund for order 4521 on the card',
      'She prefers the refund for order 4521 on the card',
      'Name is Priya',
      'Name is Priya S',
    ]) {
      expect(after.map((item) => item.text)).toContain(text);
    }
    const timeline = await memnex.timeline({ tenantId, user, limit: 1000 });
    const superseded = timeline.entries.filter(
      (entry) => entry.event === 'superseded' && entry.by === keep.id,
    );
    expect(superseded).toHaveLength(29);
    const [entry] = await auditOps(memnex, tenantId, 'memory.compact');
    expect(entry?.payload.merged).toEqual([
      { keep: keep.id, merged: result.merges[0]!.merged.map((fact) => fact.id) },
    ]);

    // A second run finds nothing more to merge.
    expect((await memnex.lifecycle.compact({ tenantId, user })).merges).toEqual([]);
  });

  it('plans again when the person changed between its read and its commit', async () => {
    const stores = createMemoryStores();
    let conflicts = 0;
    const warm = new Proxy(stores.warm, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (property !== 'commitWrite') return value;
        return async (commit: Parameters<Stores['warm']['commitWrite']>[0]) => {
          // The first compaction commit meets a version another instance has just moved.
          if (commit.insert.length === 0 && conflicts === 0) {
            conflicts += 1;
            throw new MemnexError({ code: 'CONFLICT', message: 'version moved' });
          }
          return target.commitWrite(commit);
        };
      },
    });
    const { memnex, tenantId } = await started({ stores: { ...stores, warm } });
    await memnex.write({
      tenantId,
      user: 'u-raced',
      facts: [
        { type: 'preference', text: 'Prefers email' },
        { type: 'preference', text: 'She prefers email' },
      ],
    });
    const result = await memnex.lifecycle.compact({ tenantId, user: 'u-raced' });
    expect(conflicts).toBe(1);
    expect(result.merges.map((merge) => merge.merged.length)).toEqual([1]);
    const read = await memnex.read({ tenantId, user: 'u-raced' });
    expect(read.items.map((item) => item.text)).toEqual(['She prefers email']);
  });

  it('never merges facts that differ in a negation, a number or an entity', async () => {
    const { memnex, tenantId } = await started();
    const user = 'u-distinct';
    await memnex.write({
      tenantId,
      user,
      facts: [
        { type: 'preference', text: 'Likes green tea' },
        { type: 'preference', text: 'Does not like green tea' },
        { type: 'intent', text: 'Wants to return order 4521' },
        { type: 'intent', text: 'Wants to return order 4522' },
        { type: 'intent', text: 'Wants to visit the store', entities: ['store:pune'] },
        { type: 'intent', text: 'She wants to visit the store', entities: ['store:mumbai'] },
      ],
    });
    const result = await memnex.lifecycle.compact({ tenantId, user });
    expect(result.merges).toEqual([]);
  });

  it('decays the salience of old facts seen once, without compounding, and spares the others', async () => {
    const clock = manualClock();
    const { memnex, tenantId } = await started({ now: clock.now });
    const user = 'u-decay';
    await memnex.write({
      tenantId,
      user,
      facts: [
        { type: 'preference', text: 'Likes jazz' },
        { type: 'preference', text: 'Prefers morning deliveries' },
        { type: 'preference', text: 'Pinned note', metadata: { pinned: true } },
      ],
    });
    clock.advance(100 * DAY);
    // Seen again: no longer a fact seen once.
    await memnex.write({
      tenantId,
      user,
      facts: [{ type: 'preference', text: 'Prefers morning deliveries' }],
    });
    clock.advance(170 * DAY);
    const salience = async () =>
      Object.fromEntries(
        (await memnex.read({ tenantId, user })).items.map((item) => [item.text, item.salience]),
      );
    const before = await salience();
    const first = await memnex.lifecycle.compact({ tenantId, user });
    expect(first.decays.map((item) => item.id)).toHaveLength(1);
    const after = await salience();
    expect(after['Likes jazz']).toBeLessThan(before['Likes jazz']!);
    expect(after['Likes jazz']).toBeCloseTo(before['Likes jazz']! * 0.5, 2);
    expect(after['Prefers morning deliveries']).toBe(before['Prefers morning deliveries']);
    expect(after['Pinned note']).toBe(before['Pinned note']);
    expect((await memnex.lifecycle.compact({ tenantId, user })).decays).toEqual([]);
    clock.advance(180 * DAY);
    await memnex.lifecycle.compact({ tenantId, user });
    expect((await salience())['Likes jazz']).toBeCloseTo(before['Likes jazz']! * 0.25, 2);
  });

  it('compacts every person of a tenant, and refuses bad input without changing anything', async () => {
    const { memnex, tenantId } = await started();
    for (const user of ['p1', 'p2']) {
      await memnex.write({
        tenantId,
        user,
        facts: [
          { type: 'preference', text: 'Prefers email' },
          { type: 'preference', text: 'She prefers email' },
        ],
      });
    }
    await expect(
      memnex.lifecycle.compact({ tenantId, similarity: 0.2 } as never),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const result = await memnex.lifecycle.compact({ tenantId });
    expect(result.users).toBe(2);
    expect(result.merges.map((merge) => merge.user).sort()).toEqual(['p1', 'p2']);
    const unknown = await memnex.lifecycle.compact({ tenantId, user: 'nobody' });
    expect(unknown).toMatchObject({ users: 0, merges: [] });
  });
});
