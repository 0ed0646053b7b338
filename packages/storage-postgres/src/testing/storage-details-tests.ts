import {
  createTestSeal,
  makeAuditDraft,
  makeIndexEntry,
  makeMemory,
  makeTenant,
  makeUser,
  randomId,
  timestamp,
} from '@memnex/storage-conformance';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExistingClient } from '../existing-client.js';
import { createPostgresStores, type PostgresStores } from '../postgres-stores.js';

/**
 * What this adapter must get right beyond the shared suites: values come back exactly as they
 * were sealed or written, ids sort by code unit whatever the server's collation, and odd input
 * fails cleanly.
 */
export function describeStorageDetails(name: string, client: () => ExistingClient): void {
  describe(`storage details: ${name}`, () => {
    let stores: PostgresStores;
    let tenantId: string;

    beforeAll(async () => {
      stores = createPostgresStores({ client: client() });
      await Promise.all([
        stores.warm.init(),
        stores.semantic.init(),
        stores.audit.init(),
        stores.state.init(),
      ]);
      const tenant = makeTenant();
      tenantId = tenant.id;
      await stores.warm.createTenant({ tenant });
    });

    it('keeps a ledger entry exactly as sealed: payload key order and timestamp text', async () => {
      const draft = makeAuditDraft({
        payload: { zeta: 1, alpha: { b: 2, a: [3, 'é'] }, mid: null },
      });
      const entry = await stores.audit.append({
        tenantId,
        draft,
        seal: createTestSeal(),
        at: '2025-01-01T00:00:00Z',
      });
      const [stored] = await stores.audit.list({ tenantId });
      expect(stored).toEqual(entry);
      expect(JSON.stringify(stored?.payload)).toBe(JSON.stringify(draft.payload));
      expect(stored?.ts).toBe('2025-01-01T00:00:00Z');
    });

    it('lists ids in code-unit order, whatever the collation of the server', async () => {
      const ids = ['b-user', 'B-user', '_user', 'a-user'];
      for (const id of ids) {
        await stores.warm.ensureUser({
          tenantId,
          user: makeUser({ tenantId, id, externalId: id }),
        });
      }
      const listed = (await stores.warm.listUsers({ tenantId })).map((user) => user.id);
      expect(listed).toEqual(['B-user', '_user', 'a-user', 'b-user']);
    });

    it('refuses text Postgres cannot store (NUL) with VALIDATION_FAILED, storing nothing', async () => {
      const user = await stores.warm.ensureUser({ tenantId, user: makeUser({ tenantId }) });
      const memory = makeMemory({ tenantId, userId: user.id, text: 'before\u0000after' });
      const write = stores.warm.commitWrite({
        tenantId,
        userId: user.id,
        expectedVersion: 0,
        insert: [memory],
        update: [],
        at: timestamp(1),
      });
      await expect(write).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(await stores.warm.getUserById({ tenantId, userId: user.id })).toMatchObject({
        version: 0,
      });
    });

    it('treats text-search operators in a query as plain words', async () => {
      const userId = randomId();
      const entry = makeIndexEntry({ userId, text: 'Refund for order 4521 is late' });
      await stores.semantic.upsert({ tenantId, entries: [entry] });
      for (const query of ["refund & (order) | !x:* <-> 'late'", '\\', "o'neil", '""']) {
        await stores.semantic.searchLexical({ tenantId, userId, query, limit: 5 });
      }
      const hits = await stores.semantic.searchLexical({
        tenantId,
        userId,
        query: '!refund:*',
        limit: 5,
      });
      expect(hits.map((hit) => hit.memoryId)).toEqual([entry.memoryId]);
    });

    it('returns state times in ISO form with milliseconds, in UTC, as the write reported them', async () => {
      const result = await stores.state.set({
        tenantId,
        key: 'offset-times',
        value: 1,
        at: '2025-06-01T12:30:00+02:00',
        expiresAt: '2030-01-01T00:00:00.5Z',
        updatedBy: 'k_details',
        schemaRevision: 0,
      });
      expect(result).toMatchObject({
        ok: true,
        change: { updatedAt: '2025-06-01T10:30:00.000Z', expiresAt: '2030-01-01T00:00:00.500Z' },
      });
      const record = await stores.state.get({
        tenantId,
        key: 'offset-times',
        now: '2025-06-01T10:30:00Z',
      });
      expect(record).toMatchObject({
        updatedAt: '2025-06-01T10:30:00.000Z',
        expiresAt: '2030-01-01T00:00:00.500Z',
      });
      const [change] = await stores.state.history({
        tenantId,
        key: 'offset-times',
        afterVersion: 0,
        limit: 1,
      });
      expect(change).toEqual(result.ok ? result.change : undefined);
    });

    it('refuses a state value Postgres cannot store (NUL) with VALIDATION_FAILED, storing nothing', async () => {
      const write = stores.state.set({
        tenantId,
        key: 'nul',
        value: { text: 'before\u0000after' },
        at: timestamp(1),
        expiresAt: null,
        updatedBy: 'k_details',
        schemaRevision: 0,
      });
      await expect(write).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(await stores.state.versions({ tenantId, keys: ['nul'] })).toEqual({ nul: 0 });
    });

    it('lists state keys by prefix with characters at the end of Unicode', async () => {
      const keys = ['z\u{10FFFF}', 'z\u{10FFFF}a', 'z\u{10FFFE}', 'z\uFFFF', '{'];
      for (const key of keys) {
        await stores.state.set({
          tenantId,
          key,
          value: key,
          at: timestamp(1),
          expiresAt: null,
          updatedBy: 'k_details',
          schemaRevision: 0,
        });
      }
      const listed = async (prefix: string) =>
        (await stores.state.listVersions({ tenantId, prefix, limit: 10 })).map(
          (entry) => entry.key,
        );
      expect(await listed('z\u{10FFFF}')).toEqual(['z\u{10FFFF}', 'z\u{10FFFF}a']);
      expect(await listed('z')).toEqual(['z\uFFFF', 'z\u{10FFFE}', 'z\u{10FFFF}', 'z\u{10FFFF}a']);
    });

    it('returns timestamps in ISO form with milliseconds, in UTC', async () => {
      const user = await stores.warm.ensureUser({
        tenantId,
        user: makeUser({ tenantId, createdAt: '2025-06-01T12:30:00+02:00' }),
      });
      expect(user.createdAt).toBe('2025-06-01T10:30:00.000Z');
    });
  });
}
