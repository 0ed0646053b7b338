import { describe, expect, it } from 'vitest';
import type { Stores } from '../ports/index.js';
import { instrumentStores, type StoreCall } from './instrument-stores.js';

function fakeStores(): Stores {
  const hot = {
    capabilities: { shared: false },
    init: async () => undefined,
    close: async () => undefined,
    getWorkingSet: async ({ userId }: { userId: string }) => (userId === 'known' ? { v: 1 } : null),
    invalidate: async () => {
      throw new Error('down');
    },
  };
  const plain = { init: async () => undefined, close: async () => undefined };
  return {
    warm: plain,
    hot,
    semantic: plain,
    bus: plain,
    audit: plain,
    state: plain,
    leases: plain,
    accounts: plain,
    usage: plain,
  } as unknown as Stores;
}

describe('instrumentStores', () => {
  it('reports each call with its store, operation, outcome and result, and passes it through', async () => {
    const calls: StoreCall[] = [];
    const stores = instrumentStores(fakeStores(), (call) => calls.push(call));
    const hit = await stores.hot.getWorkingSet({ tenantId: 't', userId: 'known' });
    const miss = await stores.hot.getWorkingSet({ tenantId: 't', userId: 'other' });
    await expect(stores.hot.invalidate({ tenantId: 't', userId: 'x' })).rejects.toThrow('down');
    await stores.hot.init();
    expect(hit).toEqual({ v: 1 });
    expect(miss).toBeNull();
    expect(
      calls.map(({ store, operation, ok, result }) => ({ store, operation, ok, result })),
    ).toEqual([
      { store: 'hot', operation: 'getWorkingSet', ok: true, result: { v: 1 } },
      { store: 'hot', operation: 'getWorkingSet', ok: true, result: null },
      { store: 'hot', operation: 'invalidate', ok: false, result: undefined },
    ]);
    expect(calls.every((call) => call.seconds >= 0)).toBe(true);
    expect(stores.hot.capabilities).toEqual({ shared: false });
  });
});
