import type { MemoryRecord, UserRecord, WarmStore, WriteCommit } from '@memnex/core';
import { makeMemory, makeTenant, makeUser, timestamp } from '../fixtures.js';

/** Two fresh tenants, A and B, created in the store. */
export async function createTenants(
  store: WarmStore,
): Promise<{ tenantA: string; tenantB: string }> {
  const tenantA = makeTenant({ name: 'Tenant A' });
  const tenantB = makeTenant({ name: 'Tenant B' });
  await store.createTenant({ tenant: tenantA });
  await store.createTenant({ tenant: tenantB });
  return { tenantA: tenantA.id, tenantB: tenantB.id };
}

/** A new user of the tenant, created through `ensureUser`. */
export async function seedUser(
  store: WarmStore,
  tenantId: string,
  overrides: Partial<UserRecord> = {},
): Promise<UserRecord> {
  return store.ensureUser({ tenantId, user: makeUser({ ...overrides, tenantId }) });
}

/** The user's current version, read from the store (0 when the user is unknown). */
export async function versionOf(
  store: WarmStore,
  tenantId: string,
  userId: string,
): Promise<number> {
  return (await store.getUserById({ tenantId, userId }))?.version ?? 0;
}

/**
 * Insert memories for a user in one commit at the user's current version; every item is a
 * {@link makeMemory} override. Returns the inserted records.
 */
export async function seedMemories(
  store: WarmStore,
  user: UserRecord,
  items: Array<Partial<MemoryRecord>>,
  extra: Partial<WriteCommit> = {},
): Promise<MemoryRecord[]> {
  const memories = items.map((item) =>
    makeMemory({ ...item, tenantId: user.tenantId, userId: user.id }),
  );
  await store.commitWrite({
    tenantId: user.tenantId,
    userId: user.id,
    expectedVersion: await versionOf(store, user.tenantId, user.id),
    insert: memories,
    update: [],
    at: timestamp(1000),
    ...extra,
  });
  return memories;
}

/** Ids of memories, in the order given. */
export function idsOf(memories: ReadonlyArray<{ id: string }>): string[] {
  return memories.map((memory) => memory.id);
}
