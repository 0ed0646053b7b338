import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import type { UsageBucket, UsageStore } from '../ports/index.js';
import { UsageRecorder } from './usage.js';

const HOUR = 3_600_000;

/** A usage store that records every call; `add` fails while `failing` is set. */
function recordingStore() {
  const calls: string[] = [];
  const added: Array<{ tenantId: string; buckets: Array<Partial<UsageBucket>> }> = [];
  const pruned: Array<{ tenantId: string; before: string }> = [];
  let gate: Promise<void> | null = null;
  const control = {
    failing: false,
    /** Hold every `add` until the returned function is called. */
    hold(): () => void {
      let release = () => undefined as void;
      gate = new Promise<void>((resolve) => (release = resolve));
      return release;
    },
  };
  const store = {
    capabilities: { durable: false, shared: false },
    init: async () => undefined,
    close: async () => undefined,
    async add(options: { tenantId: string; buckets: Array<Partial<UsageBucket>> }) {
      calls.push('add');
      await gate;
      if (control.failing) throw new Error('down');
      added.push(structuredClone(options));
    },
    async list() {
      calls.push('list');
      return [];
    },
    async prune(options: { tenantId: string; before: string }) {
      calls.push('prune');
      pruned.push(options);
      return 0;
    },
  } satisfies UsageStore;
  return { store, calls, added, pruned, control };
}

function clockAt(iso: string) {
  let now = Date.parse(iso);
  return {
    now: () => new Date(now),
    advance: (ms: number) => void (now += ms),
  };
}

describe('UsageRecorder', () => {
  it('counts without calling the store, then adds one bucket per tenant and hour', async () => {
    const { store, calls, added } = recordingStore();
    const clock = clockAt('2026-03-01T09:59:59.000Z');
    const recorder = new UsageRecorder(store, clock.now, silentLogger);
    recorder.count('t1', 'reads');
    recorder.count('t1', 'cacheHits');
    clock.advance(1000);
    recorder.count('t1', 'reads');
    recorder.count('t2', 'writes');
    expect(calls).toEqual([]);

    await recorder.flush();
    expect(added).toEqual([
      {
        tenantId: 't1',
        buckets: [
          { hour: '2026-03-01T09:00:00.000Z', reads: 1, writes: 0, cacheHits: 1, cacheMisses: 0 },
          { hour: '2026-03-01T10:00:00.000Z', reads: 1, writes: 0, cacheHits: 0, cacheMisses: 0 },
        ],
      },
      {
        tenantId: 't2',
        buckets: [
          { hour: '2026-03-01T10:00:00.000Z', reads: 0, writes: 1, cacheHits: 0, cacheMisses: 0 },
        ],
      },
    ]);
    // Nothing new was counted: the next flush adds nothing.
    await recorder.flush();
    expect(added).toHaveLength(2);
  });

  it('keeps the counts of a failed add, merged with what was counted meanwhile', async () => {
    const { store, added, control } = recordingStore();
    const recorder = new UsageRecorder(
      store,
      clockAt('2026-03-01T09:30:00.000Z').now,
      silentLogger,
    );
    recorder.count('t1', 'reads');
    control.failing = true;
    await expect(recorder.flush()).rejects.toThrow('down');
    recorder.count('t1', 'reads');
    control.failing = false;
    await recorder.flush();
    expect(added).toEqual([
      {
        tenantId: 't1',
        buckets: [
          { hour: '2026-03-01T09:00:00.000Z', reads: 2, writes: 0, cacheHits: 0, cacheMisses: 0 },
        ],
      },
    ]);
  });

  it('adds each count once when flushes overlap', async () => {
    const { store, calls, added, control } = recordingStore();
    const recorder = new UsageRecorder(store, () => new Date(), silentLogger);
    const release = control.hold();
    recorder.count('t1', 'writes');
    const first = recorder.flush();
    while (!calls.includes('add')) await new Promise((resolve) => setImmediate(resolve));
    // Counted while the first add is under way: the second flush adds it, and only it.
    recorder.count('t1', 'writes');
    const second = recorder.flush('t1');
    release();
    await Promise.all([first, second]);
    await recorder.flush();
    const writes = added.flatMap((call) => call.buckets.map((bucket) => bucket.writes));
    expect(writes).toEqual([1, 1]);
  });

  it('deletes hours past retention (30 days by default), at most once an hour per tenant', async () => {
    const { store, pruned } = recordingStore();
    const clock = clockAt('2026-03-31T09:30:00.000Z');
    const recorder = new UsageRecorder(store, clock.now, silentLogger);
    recorder.count('t1', 'reads');
    await recorder.flush();
    expect(pruned).toEqual([{ tenantId: 't1', before: '2026-03-01T09:00:00.000Z' }]);
    clock.advance(HOUR / 2);
    recorder.count('t1', 'reads');
    await recorder.flush();
    expect(pruned).toHaveLength(1);
    clock.advance(HOUR);
    recorder.count('t1', 'reads');
    await recorder.flush();
    expect(pruned.at(-1)).toEqual({ tenantId: 't1', before: '2026-03-01T11:00:00.000Z' });
  });

  it('stores what is left when it stops', async () => {
    const { store, added } = recordingStore();
    const recorder = new UsageRecorder(store, () => new Date(), silentLogger, {
      flushIntervalMs: 60_000,
    });
    recorder.start();
    recorder.count('t1', 'reads');
    await recorder.stop();
    expect(added).toHaveLength(1);
  });
});
