import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestSeal,
  makeApiKey,
  makeAuditDraft,
  makeIndexEntry,
  makeMemory,
  makeTenant,
  makeUser,
  timestamp,
} from '@memnex/storage-conformance';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from './data-dir-lock.js';
import { migrate } from './migrate.js';
import { createPostgresStores, type PostgresStores } from './postgres-stores.js';

const dataDir = await mkdtemp(join(tmpdir(), 'memnex-data-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const openAll = async (stores: PostgresStores) => {
  await stores.warm.init();
  await stores.semantic.init();
  await stores.audit.init();
  await stores.state.init();
};
const closeAll = async (stores: PostgresStores) => {
  await stores.state.close();
  await stores.audit.close();
  await stores.semantic.close();
  await stores.warm.close();
};

const tenant = makeTenant();
const tenantId = tenant.id;
const key = makeApiKey({ tenantId });
const user = makeUser({ tenantId });
const memory = makeMemory({ tenantId, userId: user.id, text: 'Prefers a callback after 6pm' });
const seal = createTestSeal();

// The tests run in order: each builds on the data dir the one before left behind.
// Creating a PGlite cluster (initdb in WebAssembly) takes seconds; opening it again less.
describe('embedded data dir', { timeout: 60_000 }, () => {
  it('migrates a new data dir, then finds nothing left to apply', async () => {
    const journal = JSON.parse(
      await readFile(new URL('../drizzle/meta/_journal.json', import.meta.url), 'utf8'),
    ) as { entries: Array<{ tag: string }> };
    expect((await migrate({ dataDir })).applied).toEqual(journal.entries.map(({ tag }) => tag));
    expect(await migrate({ dataDir })).toEqual({ applied: [] });
  });

  it('takes over the lock of a stopped process, and refuses a second open naming the owner', async () => {
    const stalePid = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(join(dataDir, LOCK_FILE), JSON.stringify({ pid: stalePid }));
    const first = createPostgresStores({ dataDir });
    await openAll(first);
    expect(JSON.parse(await readFile(join(dataDir, LOCK_FILE), 'utf8'))).toMatchObject({
      pid: process.pid,
    });
    const second = createPostgresStores({ dataDir });
    const error = await second.warm.init().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect((error as Error).message).toContain(`pid ${process.pid}`);
    await expect(migrate({ dataDir })).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    await closeAll(first);
    await expect(readFile(join(dataDir, LOCK_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('keeps tenants, keys, memories, index entries, the ledger and state across a restart', async () => {
    const before = createPostgresStores({ dataDir });
    expect(before.warm.capabilities).toEqual({ durable: true, shared: false });
    await openAll(before);
    await before.warm.createTenant({ tenant });
    await before.warm.createApiKey({ tenantId, key });
    await before.warm.ensureUser({ tenantId, user });
    await before.warm.commitWrite({
      tenantId,
      userId: user.id,
      expectedVersion: 0,
      insert: [memory],
      update: [],
      at: timestamp(10),
    });
    const vector = Float32Array.from([0.6, 0.8, 0, 0]);
    await before.semantic.upsert({
      tenantId,
      entries: [
        makeIndexEntry({
          memoryId: memory.id,
          userId: user.id,
          text: memory.text,
          vector,
          model: 'm',
        }),
      ],
    });
    const entry = await before.audit.append({
      tenantId,
      draft: makeAuditDraft(),
      seal,
      at: timestamp(11),
    });
    await before.state.putSchema({
      tenantId,
      pattern: 'plan',
      schema: { type: 'object' },
      updatedAt: timestamp(12),
      updatedBy: key.id,
    });
    const written = await before.state.set({
      tenantId,
      key: 'plan',
      value: { step: 2 },
      expiresAt: null,
      updatedBy: key.id,
      at: timestamp(13),
      schemaRevision: 1,
    });
    await closeAll(before);

    const after = createPostgresStores({ dataDir });
    await openAll(after);
    expect(await after.warm.getTenant({ tenantId })).toEqual(tenant);
    expect(await after.warm.findApiKey({ keyId: key.id })).toEqual(key);
    expect(await after.warm.getUserById({ tenantId, userId: user.id })).toMatchObject({
      version: 1,
    });
    expect(await after.warm.listMemories({ tenantId, userId: user.id })).toEqual([memory]);
    const lexical = await after.semantic.searchLexical({
      tenantId,
      userId: user.id,
      query: 'callback',
      limit: 5,
    });
    expect(lexical.map((hit) => hit.memoryId)).toEqual([memory.id]);
    const [nearest] = await after.semantic.searchVector({
      tenantId,
      userId: user.id,
      vector,
      model: 'm',
      limit: 5,
    });
    expect(nearest).toMatchObject({ memoryId: memory.id });
    expect(nearest?.score).toBeCloseTo(1, 5);
    expect(await after.audit.head({ tenantId })).toEqual(entry);
    expect(await after.state.get({ tenantId, key: 'plan', now: timestamp(14) })).toMatchObject({
      value: { step: 2 },
      version: 1,
    });
    expect(await after.state.history({ tenantId, key: 'plan', afterVersion: 0, limit: 5 })).toEqual(
      [written.ok ? written.change : undefined],
    );
    expect((await after.state.listSchemas({ tenantId })).revision).toBe(1);
    await closeAll(after);
  });
});
