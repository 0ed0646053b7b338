import type { StateStore } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { randomTenantId, sortBy, timestamp } from '../fixtures.js';
import {
  LATER,
  WRITER,
  historyOf,
  schemaEntry,
  setValue,
  stateDeletion,
  stateWrite,
  versionOf,
} from './helpers.js';

/** A JSON Schema with some depth, to check it comes back whole. */
const PLAN_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    step: { type: 'integer', minimum: 0 },
    tags: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$' } },
    note: { type: ['string', 'null'], description: 'frei — 🙂' },
  },
  required: ['step'],
  additionalProperties: false,
};

/** The tenant's schemas, their revision, and the revision check of `set`. */
export function describeSchemas(store: () => StateStore): void {
  describe('schemas', () => {
    it('starts at revision 0 without schemas', async () => {
      expect(await store().listSchemas({ tenantId: randomTenantId() })).toEqual({
        revision: 0,
        schemas: [],
      });
    });

    it('registers and replaces schemas, adding 1 to the revision each time', async () => {
      const tenantId = randomTenantId();
      const put = (pattern: string, schema: unknown, at: number) =>
        store().putSchema(schemaEntry(tenantId, pattern, { schema, updatedAt: timestamp(at) }));
      expect(await put('plan:*', { type: 'object' }, 1)).toEqual({ revision: 1 });
      expect(await put('goal', { type: 'string' }, 2)).toEqual({ revision: 2 });
      expect(await put('plan:*', PLAN_SCHEMA, 3)).toEqual({ revision: 3 });
      expect(await store().listSchemas({ tenantId })).toEqual({
        revision: 3,
        schemas: [
          {
            pattern: 'goal',
            schema: { type: 'string' },
            updatedAt: timestamp(2),
            updatedBy: WRITER,
          },
          { pattern: 'plan:*', schema: PLAN_SCHEMA, updatedAt: timestamp(3), updatedBy: WRITER },
        ],
      });
    });

    it('lists schemas in code-unit order of their patterns', async () => {
      const tenantId = randomTenantId();
      const patterns = ['b', 'B', 'a:*', '_x', 'a', 'a/*', 'é', 'Z*'];
      for (const pattern of patterns) {
        await store().putSchema(schemaEntry(tenantId, pattern, { schema: { title: pattern } }));
      }
      const { revision, schemas } = await store().listSchemas({ tenantId });
      expect(revision).toBe(patterns.length);
      expect(schemas.map((entry) => entry.pattern)).toEqual(sortBy(patterns, (pattern) => pattern));
      expect(
        schemas.every((entry) => (entry.schema as { title: string }).title === entry.pattern),
      ).toBe(true);
    });

    it('removes a schema, adding 1 to the revision; removing a missing one changes nothing', async () => {
      const tenantId = randomTenantId();
      for (const pattern of ['goal', 'plan:*']) {
        await store().putSchema(schemaEntry(tenantId, pattern));
      }
      expect(await store().deleteSchema({ tenantId, pattern: 'goal' })).toEqual({
        deleted: true,
        revision: 3,
      });
      expect(await store().deleteSchema({ tenantId, pattern: 'goal' })).toEqual({
        deleted: false,
        revision: 3,
      });
      expect(await store().deleteSchema({ tenantId, pattern: 'plan:' })).toEqual({
        deleted: false,
        revision: 3,
      });
      const { revision, schemas } = await store().listSchemas({ tenantId });
      expect(revision).toBe(3);
      expect(schemas.map((entry) => entry.pattern)).toEqual(['plan:*']);
      expect(await store().deleteSchema({ tenantId: randomTenantId(), pattern: 'goal' })).toEqual({
        deleted: false,
        revision: 0,
      });
    });

    it('keeps its own copy of a schema', async () => {
      const tenantId = randomTenantId();
      const schema = structuredClone(PLAN_SCHEMA);
      await store().putSchema(schemaEntry(tenantId, 'plan', { schema }));
      schema.required.push('tags');
      const [listed] = (await store().listSchemas({ tenantId })).schemas;
      try {
        (listed!.schema as typeof schema).required.push('note');
      } catch (error) {
        expect(error).toBeInstanceOf(TypeError);
      }
      expect((await store().listSchemas({ tenantId })).schemas[0]?.schema).toEqual(PLAN_SCHEMA);
    });

    it('refuses a write validated against another revision, writing and recording nothing', async () => {
      const tenantId = randomTenantId();
      expect(
        await store().putSchema(schemaEntry(tenantId, 'plan', { schema: PLAN_SCHEMA })),
      ).toEqual({ revision: 1 });
      for (const schemaRevision of [0, 2, 9]) {
        expect(
          await store().set(stateWrite(tenantId, 'plan', { step: 1 }, { schemaRevision })),
        ).toEqual({ ok: false, reason: 'schemas-changed', schemaRevision: 1 });
      }
      expect(await store().get({ tenantId, key: 'plan', now: LATER })).toBeNull();
      expect(await versionOf(store(), tenantId, 'plan')).toBe(0);
      expect(await historyOf(store(), tenantId, 'plan')).toEqual([]);
      const change = await setValue(store(), tenantId, 'plan', { step: 1 }, { schemaRevision: 1 });
      expect(change.version).toBe(1);
    });

    it('refuses a write at an old revision once a schema is removed or replaced', async () => {
      const tenantId = randomTenantId();
      const entry = schemaEntry(tenantId, '*');
      await store().putSchema(entry);
      await setValue(store(), tenantId, 'k', 1, { schemaRevision: 1 });
      await store().putSchema(entry);
      expect(await store().set(stateWrite(tenantId, 'k', 2, { schemaRevision: 1 }))).toEqual({
        ok: false,
        reason: 'schemas-changed',
        schemaRevision: 2,
      });
      await store().deleteSchema({ tenantId, pattern: '*' });
      expect(await store().set(stateWrite(tenantId, 'k', 2, { schemaRevision: 2 }))).toEqual({
        ok: false,
        reason: 'schemas-changed',
        schemaRevision: 3,
      });
      expect((await setValue(store(), tenantId, 'k', 2, { schemaRevision: 3 })).version).toBe(2);
    });

    it('reports a schema change before a version conflict', async () => {
      const tenantId = randomTenantId();
      await setValue(store(), tenantId, 'k', 1);
      await store().putSchema(schemaEntry(tenantId, 'k'));
      expect(
        await store().set(stateWrite(tenantId, 'k', 2, { ifVersion: 5, schemaRevision: 0 })),
      ).toEqual({ ok: false, reason: 'schemas-changed', schemaRevision: 1 });
      expect(
        await store().set(stateWrite(tenantId, 'k', 2, { ifVersion: 5, schemaRevision: 1 })),
      ).toEqual({ ok: false, reason: 'conflict', currentVersion: 1 });
    });

    it('checks no revision on delete', async () => {
      const tenantId = randomTenantId();
      await setValue(store(), tenantId, 'k', 1);
      await store().putSchema(schemaEntry(tenantId, 'k'));
      expect(await store().delete(stateDeletion(tenantId, 'k'))).toMatchObject({
        ok: true,
        change: { version: 2 },
      });
    });

    it('either applies a concurrent write before a schema change or refuses it', async () => {
      const tenantId = randomTenantId();
      const writes = Array.from({ length: 20 }, (_, index) =>
        store().set(stateWrite(tenantId, `k${index % 4}`, index, { schemaRevision: 0 })),
      );
      const schemaChange = store().putSchema(schemaEntry(tenantId, 'k*'));
      const [results, revision] = await Promise.all([Promise.all(writes), schemaChange]);
      expect(revision).toEqual({ revision: 1 });
      let applied = 0;
      for (const result of results) {
        if (result.ok) applied += 1;
        else expect(result).toEqual({ ok: false, reason: 'schemas-changed', schemaRevision: 1 });
      }
      const versions = await store().versions({ tenantId, keys: ['k0', 'k1', 'k2', 'k3'] });
      const total = Object.values(versions).reduce((sum, version) => sum + version, 0);
      expect(total).toBe(applied);
      expect(await store().set(stateWrite(tenantId, 'k0', 'late', { schemaRevision: 0 }))).toEqual({
        ok: false,
        reason: 'schemas-changed',
        schemaRevision: 1,
      });
    });
  });
}
