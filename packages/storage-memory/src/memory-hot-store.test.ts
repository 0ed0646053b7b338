import { makeMemory, randomId, randomTenantId } from '@memnex/storage-conformance';
import { describe, expect, it } from 'vitest';
import { createMemoryHotStore } from './memory-hot-store.js';

function createClockedStore() {
  let now = 1_000_000;
  const store = createMemoryHotStore({ now: () => now });
  return { store, advance: (seconds: number) => (now += seconds * 1000) };
}

describe('createMemoryHotStore TTL', () => {
  const tenantId = randomTenantId();
  const userId = randomId();
  const workingSet = { version: 1, memories: [makeMemory({ tenantId, userId })], lastSeen: null };

  it('expires a working set once its TTL has passed', async () => {
    const { store, advance } = createClockedStore();
    await store.setWorkingSet({ tenantId, userId, generation: 0, workingSet, ttlSeconds: 60 });
    advance(59);
    expect(await store.getWorkingSet({ tenantId, userId })).toEqual(workingSet);
    advance(1);
    expect(await store.getWorkingSet({ tenantId, userId })).toBeNull();
    expect(await store.invalidate({ tenantId, userId })).toBe(0);
  });

  it('keeps a working set without TTL forever', async () => {
    const { store, advance } = createClockedStore();
    await store.setWorkingSet({ tenantId, userId, generation: 0, workingSet });
    advance(10 * 365 * 24 * 3600);
    expect(await store.getWorkingSet({ tenantId, userId })).toEqual(workingSet);
  });

  it('expires identifier entries and does not count them as deleted', async () => {
    const { store, advance } = createClockedStore();
    await store.setIdentifier({ tenantId, key: 'phone:+1', userId, ttlSeconds: 5 });
    advance(5);
    expect(await store.getIdentifier({ tenantId, key: 'phone:+1' })).toBeNull();
    await store.setIdentifier({ tenantId, key: 'phone:+2', userId, ttlSeconds: 5 });
    advance(6);
    expect(await store.deleteIdentifier({ tenantId, key: 'phone:+2' })).toBe(0);
    expect(await store.forgetUser({ tenantId, userId, identifierKeys: ['phone:+2'] })).toBe(0);
  });

  it('advances the generation on forgetUser, so a slow reader cannot cache the user again', async () => {
    const { store } = createClockedStore();
    const generation = await store.getGeneration({ tenantId, userId });
    await store.forgetUser({ tenantId, userId, identifierKeys: [] });
    expect(await store.setWorkingSet({ tenantId, userId, generation, workingSet })).toBe(false);
  });

  it('advances generations on clear instead of resetting them', async () => {
    const { store } = createClockedStore();
    await store.invalidate({ tenantId, userId });
    await store.clear();
    expect(await store.getGeneration({ tenantId, userId })).toBe(2);
    expect(await store.setWorkingSet({ tenantId, userId, generation: 0, workingSet })).toBe(false);
  });
});
