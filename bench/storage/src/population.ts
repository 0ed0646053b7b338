import type { Embedder, IndexEntry, Memnex, MemoryRecord, Stores } from '@memnex/core';
import { makeMemory, makeUser } from '@memnex/storage-conformance';
import { v7 as uuidv7 } from 'uuid';

/** The benchmark's tenant; fixed so that a kept database is found again. */
export const TENANT_ID = 'bench';

const TYPES = ['profile', 'preference', 'issue', 'intent', 'resolution'] as const;
const PHRASES = [
  'prefers a callback after six in the evening',
  'reported the parcel arrived with a cracked screen',
  'wants the refund to go back to the original card',
  'asked to switch the plan to the yearly billing',
  'lives near the central station and works from home',
  'was promised a replacement within five working days',
  'speaks Hindi and English and prefers Hindi on calls',
  'had the issue resolved by the second technician visit',
  'is allergic to peanuts and asked for a nut free hamper',
  'wants invoices sent to the finance team address',
];

function memoriesOf(userId: string, index: number, perUser: number): MemoryRecord[] {
  const base = Date.parse('2026-01-01T00:00:00.000Z') + index * 1000;
  return Array.from({ length: perUser }, (_, slot) => {
    const type = TYPES[slot % TYPES.length]!;
    const order = index * perUser + slot;
    const at = new Date(base + slot * 60_000).toISOString();
    return makeMemory({
      id: uuidv7(),
      tenantId: TENANT_ID,
      userId,
      type,
      text: `Order #${order}: customer ${PHRASES[slot % PHRASES.length]}`,
      slot: type === 'profile' ? `profile:field${slot}` : null,
      entities: [`order:${order}`],
      source: {
        channel: slot % 2 ? 'voice' : 'whatsapp',
        agentId: null,
        sessionId: null,
        messageIds: [],
      },
      observedAt: at,
      validFrom: at,
      lastSeenAt: at,
      createdAt: at,
      updatedAt: at,
    });
  });
}

/**
 * Load `users` x `perUser` memories (with their index entries and vectors) unless the tenant
 * already holds them; returns how the population was obtained.
 */
export async function seedPopulation(
  memnex: Memnex,
  stores: Stores,
  embedder: Embedder,
  { users, perUser }: { users: number; perUser: number },
  progress: (line: string) => void,
): Promise<string> {
  if (!(await memnex.tenants.get({ tenantId: TENANT_ID }))) {
    await memnex.tenants.create({ name: 'bench', id: TENANT_ID });
  }
  const stats = await memnex.tenants.stats({ tenantId: TENANT_ID });
  if (stats.users >= users && stats.memories.current >= users * perUser) {
    return `kept from an earlier run: ${stats.memories.current.toLocaleString('en')} memories`;
  }
  const started = Date.now();
  let done = stats.users;
  let next = stats.users;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < users) {
        const index = next++;
        const user = await stores.warm.ensureUser({
          tenantId: TENANT_ID,
          user: makeUser({ id: uuidv7(), tenantId: TENANT_ID, externalId: `u${index}` }),
        });
        if (user.version > 0) continue;
        const records = memoriesOf(user.id, index, perUser).map((record) => ({
          ...record,
          embeddingModel: embedder.model,
        }));
        const vectors = await embedder.embed(records.map((record) => record.text));
        await stores.warm.commitWrite({
          tenantId: TENANT_ID,
          userId: user.id,
          expectedVersion: 0,
          insert: records,
          update: [],
          at: new Date().toISOString(),
        });
        const entries: IndexEntry[] = records.map((record, position) => ({
          memoryId: record.id,
          userId: user.id,
          text: record.text,
          type: record.type,
          kind: record.kind,
          current: true,
          observedAt: record.observedAt,
          vector: vectors[position] ?? null,
          model: embedder.model,
        }));
        await stores.semantic.upsert({ tenantId: TENANT_ID, entries });
        if (++done % 500 === 0) {
          const rate = (done - stats.users) / ((Date.now() - started) / 1000);
          progress(`seeded ${done}/${users} users (${Math.round(rate)} users/s)`);
        }
      }
    }),
  );
  return `seeded in ${Math.round((Date.now() - started) / 1000)} s`;
}
