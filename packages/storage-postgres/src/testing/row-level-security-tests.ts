import { MemnexError } from '@memnex/core';
import {
  createTestSeal,
  makeAccount,
  makeApiKey,
  makeAuditDraft,
  makeIdempotencyRecord,
  makeIdentifier,
  makeIndexEntry,
  makeMemory,
  makeTenant,
  makeUser,
  timestamp,
} from '@memnex/storage-conformance';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectRows, type Database } from '../database.js';
import { migrate } from '../migrate.js';
import { wrapClient, type ExistingClient } from '../existing-client.js';
import { createPostgresStores, type PostgresStores } from '../postgres-stores.js';
import { APP_ROLE } from '../tenant-scope.js';

/** Every table that holds tenant rows. */
const TENANT_TABLES = [
  'tenants',
  'api_keys',
  'users',
  'identifiers',
  'memories',
  'idempotency_records',
  'state_values',
  'state_changes',
  'state_schemas',
  'state_schema_revisions',
  'audit_entries',
  'memory_index',
  'memory_vectors',
  'accounts',
  'usage_counts',
];

/** Tables that hold no tenant's rows, and so have no row-level security. */
const SHARED_TABLES = ['leases', 'embedding_models'];

/** What one seeded tenant owns. */
interface SeededTenant {
  tenantId: string;
  keyIds: string[];
  /** E-mail of the tenant's console account. */
  email: string;
}

/** A tenant with a row in every table the stores write. */
async function seedTenant(stores: PostgresStores): Promise<SeededTenant> {
  const tenant = makeTenant();
  const tenantId = tenant.id;
  await stores.warm.createTenant({ tenant });
  const keys = [makeApiKey({ tenantId }), makeApiKey({ tenantId })];
  for (const key of keys) await stores.warm.createApiKey({ tenantId, key });
  const user = await stores.warm.ensureUser({ tenantId, user: makeUser({ tenantId }) });
  await stores.warm.linkIdentifier({
    tenantId,
    identifier: makeIdentifier({ tenantId, userId: user.id }),
  });
  const memory = makeMemory({ tenantId, userId: user.id, text: 'secret of this tenant' });
  await stores.warm.commitWrite({
    tenantId,
    userId: user.id,
    expectedVersion: 0,
    insert: [memory],
    update: [],
    idempotency: makeIdempotencyRecord({ tenantId, userId: user.id }),
    at: timestamp(1),
  });
  await stores.semantic.upsert({
    tenantId,
    entries: [
      makeIndexEntry({
        memoryId: memory.id,
        userId: user.id,
        text: memory.text,
        vector: Float32Array.from([1, 0, 0, 0]),
        model: 'rls:model',
      }),
    ],
  });
  await stores.audit.append({
    tenantId,
    draft: makeAuditDraft(),
    seal: createTestSeal(),
    at: timestamp(2),
  });
  const { revision } = await stores.state.putSchema({
    tenantId,
    pattern: 'plan:*',
    schema: { type: 'object' },
    updatedAt: timestamp(3),
    updatedBy: keys[0]!.id,
  });
  await stores.state.set({
    tenantId,
    key: 'plan:goal',
    value: { step: 1 },
    expiresAt: timestamp(5),
    updatedBy: keys[0]!.id,
    at: timestamp(4),
    schemaRevision: revision,
  });
  const account = makeAccount({ tenantId });
  await stores.accounts.create({ account });
  await stores.usage.add({ tenantId, buckets: [{ hour: timestamp(0), reads: 1 }] });
  return { tenantId, keyIds: keys.map((key) => key.id), email: account.email };
}

/**
 * Run raw SQL as the service does: in a transaction, as the application role, with the given
 * settings (none means no tenant at all).
 */
async function asApp(
  database: Database,
  settings: {
    tenantId?: string;
    apiKeyId?: string;
    stateSweep?: boolean;
    memorySweep?: boolean;
    indexMaintenance?: boolean;
    accountEmail?: string;
  },
  statement: string,
): Promise<Array<Record<string, unknown>>> {
  return database.transaction(async (transaction) => {
    await transaction.execute(sql`select set_config('role', ${APP_ROLE}, true)`);
    if (settings.stateSweep) {
      await transaction.execute(sql`select set_config('memnex.state_sweep', 'on', true)`);
    }
    if (settings.memorySweep) {
      await transaction.execute(sql`select set_config('memnex.memory_sweep', 'on', true)`);
    }
    if (settings.indexMaintenance) {
      await transaction.execute(sql`select set_config('memnex.index_maintenance', 'on', true)`);
    }
    if (settings.tenantId !== undefined) {
      await transaction.execute(
        sql`select set_config('memnex.tenant_id', ${settings.tenantId}, true)`,
      );
    }
    if (settings.accountEmail !== undefined) {
      await transaction.execute(
        sql`select set_config('memnex.account_email', ${settings.accountEmail}, true)`,
      );
    }
    if (settings.apiKeyId !== undefined) {
      await transaction.execute(
        sql`select set_config('memnex.api_key_id', ${settings.apiKeyId}, true)`,
      );
    }
    return selectRows(transaction, sql.raw(statement));
  });
}

/** The SQLSTATE of a failed statement run through drizzle. */
async function sqlStateOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { cause?: { code?: string } }).cause?.code;
  }
}

/**
 * The proof that isolation lives in the database: raw queries that forget their tenant filter
 * see nothing of another tenant. `client` must be one connection or a pool; the stores and the
 * raw queries share it.
 */
export function describeRowLevelSecurity(name: string, client: () => ExistingClient): void {
  describe(`row-level security: ${name}`, () => {
    let database: Database;
    let stores: PostgresStores;
    let first: SeededTenant;
    let second: SeededTenant;

    beforeAll(async () => {
      stores = createPostgresStores({ client: client() });
      await Promise.all([
        stores.warm.init(),
        stores.semantic.init(),
        stores.audit.init(),
        stores.state.init(),
        stores.accounts.init(),
        stores.usage.init(),
      ]);
      database = await wrapClient(client());
      first = await seedTenant(stores);
      second = await seedTenant(stores);
    });

    it("shows a raw select * from memories none of another tenant's rows", async () => {
      const rows = await asApp(database, { tenantId: second.tenantId }, 'select * from memories');
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.filter((row) => row.tenant_id === first.tenantId)).toEqual([]);
      expect(rows.every((row) => row.tenant_id === second.tenantId)).toBe(true);
    });

    it('shows nothing in any tenant table when no tenant is set', async () => {
      for (const table of TENANT_TABLES) {
        expect(await asApp(database, {}, `select * from ${table}`), table).toEqual([]);
      }
    });

    it("shows every tenant table only the set tenant's rows", async () => {
      for (const table of TENANT_TABLES) {
        const rows = await asApp(database, { tenantId: first.tenantId }, `select * from ${table}`);
        expect(rows.length, table).toBeGreaterThan(0);
        const tenantOf = (row: Record<string, unknown>) => row.tenant_id ?? row.id;
        expect(
          rows.every((row) => tenantOf(row) === first.tenantId),
          table,
        ).toBe(true);
      }
    });

    it("refuses to write another tenant's rows", async () => {
      const as = { tenantId: second.tenantId };
      const updated = await asApp(
        database,
        as,
        `update memories set text = 'overwritten' where tenant_id = '${first.tenantId}' returning id`,
      );
      expect(updated).toEqual([]);
      const deleted = await asApp(
        database,
        as,
        `delete from users where tenant_id = '${first.tenantId}' returning id`,
      );
      expect(deleted).toEqual([]);
      const insert = asApp(
        database,
        as,
        `insert into tenants (id, name, created_at) values ('${first.tenantId}x', 'x', now())`,
      );
      expect(await sqlStateOf(insert)).toBe('42501');
      const [memory] = await stores.warm.listMemories({
        tenantId: first.tenantId,
        userId: (await stores.warm.listUsers({ tenantId: first.tenantId }))[0]!.id,
      });
      expect(memory?.text).toBe('secret of this tenant');
    });

    it('lets the state sweep read state of every tenant, and nothing else, and write no value', async () => {
      const sweep = { stateSweep: true };
      const values = await asApp(database, sweep, 'select tenant_id from state_values');
      const tenants = values.map((row) => row.tenant_id);
      expect(tenants).toEqual(expect.arrayContaining([first.tenantId, second.tenantId]));
      const changes = await asApp(database, sweep, 'select tenant_id from state_changes');
      expect(changes.map((row) => row.tenant_id)).toEqual(
        expect.arrayContaining([first.tenantId, second.tenantId]),
      );
      for (const table of TENANT_TABLES.filter(
        (name) => name !== 'state_values' && name !== 'state_changes',
      )) {
        expect(await asApp(database, sweep, `select * from ${table}`), table).toEqual([]);
      }
      const updated = await asApp(
        database,
        sweep,
        `update state_values set version = 99 where tenant_id = '${first.tenantId}' returning key`,
      );
      expect(updated).toEqual([]);
      const deleted = await asApp(
        database,
        sweep,
        `delete from state_values where tenant_id = '${first.tenantId}' returning key`,
      );
      expect(deleted).toEqual([]);
      expect(
        await stores.state.get({ tenantId: first.tenantId, key: 'plan:goal', now: timestamp(4) }),
      ).toMatchObject({ version: 1, value: { step: 1 } });
    });

    it('lets the retention sweep read memories of every tenant, and nothing else, and write none', async () => {
      const sweep = { memorySweep: true };
      const rows = await asApp(database, sweep, 'select tenant_id from memories');
      expect(rows.map((row) => row.tenant_id)).toEqual(
        expect.arrayContaining([first.tenantId, second.tenantId]),
      );
      for (const table of TENANT_TABLES.filter((name) => name !== 'memories')) {
        expect(await asApp(database, sweep, `select * from ${table}`), table).toEqual([]);
      }
      const statements = [
        `update memories set status = 'expired' where tenant_id = '${first.tenantId}' returning id`,
        `delete from memories where tenant_id = '${first.tenantId}' returning id`,
      ];
      for (const statement of statements) {
        expect(await asApp(database, sweep, statement)).toEqual([]);
      }
      const [user] = await stores.warm.listUsers({ tenantId: first.tenantId });
      const left = await stores.warm.listMemories({ tenantId: first.tenantId, userId: user!.id });
      expect(left.map((memory) => memory.status)).toEqual(['active']);
    });

    it('lets re-embedding read index entries and vectors of every tenant, delete vectors, and write nothing', async () => {
      const maintenance = { indexMaintenance: true };
      const both = [first.tenantId, second.tenantId];
      for (const table of ['memory_index', 'memory_vectors']) {
        const rows = await asApp(database, maintenance, `select tenant_id from ${table}`);
        expect(
          rows.map((row) => row.tenant_id),
          table,
        ).toEqual(expect.arrayContaining(both));
      }
      for (const table of TENANT_TABLES.filter((name) => !name.startsWith('memory_'))) {
        expect(await asApp(database, maintenance, `select * from ${table}`), table).toEqual([]);
      }
      const writes = [
        `update memory_index set text = 'x' where tenant_id = '${first.tenantId}' returning 1`,
        `delete from memory_index where tenant_id = '${first.tenantId}' returning 1`,
        `update memory_vectors set model = 'x' where tenant_id = '${first.tenantId}' returning 1`,
      ];
      for (const statement of writes) {
        expect(await asApp(database, maintenance, statement), statement).toEqual([]);
      }
      const insert = asApp(
        database,
        maintenance,
        `insert into memory_vectors (tenant_id, memory_id, model, dimensions, vector)
          select tenant_id, memory_id, 'rls:other', 1, '\\x00000000' from memory_index limit 1`,
      );
      expect(await sqlStateOf(insert)).toBe('42501');
      // Deleting the vectors of a retired model, in every tenant, is what pruning needs.
      const [entry] = await asApp(
        database,
        { tenantId: first.tenantId },
        'select * from memory_index',
      );
      await stores.semantic.upsertVectors({
        tenantId: first.tenantId,
        entries: [
          makeIndexEntry({
            memoryId: String(entry!.memory_id),
            vector: Float32Array.from([0, 1]),
            model: 'rls:retired',
          }),
        ],
      });
      const pruned = await asApp(
        database,
        maintenance,
        `delete from memory_vectors where model = 'rls:retired' returning tenant_id`,
      );
      expect(pruned).toEqual([{ tenant_id: first.tenantId }]);
      const kept = await asApp(
        database,
        { tenantId: first.tenantId },
        'select model from memory_vectors',
      );
      expect(kept).toEqual([{ model: 'rls:model' }]);
    });

    it('lets a key lookup read the one key it names, and no other', async () => {
      const [keyId] = first.keyIds;
      const rows = await asApp(database, { apiKeyId: keyId }, 'select id from api_keys');
      expect(rows).toEqual([{ id: keyId }]);
      expect(await asApp(database, { apiKeyId: keyId }, 'select id from memories')).toEqual([]);
      expect((await stores.warm.findApiKey({ keyId: keyId! }))?.tenantId).toBe(first.tenantId);
    });

    it('lets a sign-in lookup read the one account it names, and no other', async () => {
      const as = { accountEmail: first.email };
      expect(await asApp(database, as, 'select email from accounts')).toEqual([
        { email: first.email },
      ]);
      expect(await asApp(database, as, 'select tenant_id from usage_counts')).toEqual([]);
      expect(await asApp(database, as, 'select id from api_keys')).toEqual([]);
      expect((await stores.accounts.findByEmail({ email: second.email }))?.tenantId).toBe(
        second.tenantId,
      );
    });

    it('keeps the ledger append-only for the service', async () => {
      const as = { tenantId: first.tenantId };
      expect(await sqlStateOf(asApp(database, as, "update audit_entries set op = 'x'"))).toBe(
        '42501',
      );
      expect(await sqlStateOf(asApp(database, as, 'delete from audit_entries'))).toBe('42501');
    });

    it('enables and forces row-level security on every tenant table, for a role that owns none', async () => {
      const tables = await selectRows<{ relname: string; enabled: boolean; forced: boolean }>(
        database,
        sql`select relname, relrowsecurity as enabled, relforcerowsecurity as forced
          from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace`,
      );
      expect(tables.map((table) => table.relname).sort()).toEqual(
        [...TENANT_TABLES, ...SHARED_TABLES].sort(),
      );
      for (const table of tables.filter(({ relname }) => !SHARED_TABLES.includes(relname)))
        expect(table, table.relname).toMatchObject({ enabled: true, forced: true });
      const [role] = await selectRows<Record<string, unknown>>(
        database,
        sql`select rolsuper, rolbypassrls, rolcanlogin,
          (select count(*) from pg_tables where tableowner = ${APP_ROLE})::int as owned
          from pg_roles where rolname = ${APP_ROLE}`,
      );
      expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcanlogin: false, owned: 0 });
    });

    it('leaves no tenant behind on the connection after a transaction', async () => {
      await stores.warm.getTenant({ tenantId: first.tenantId });
      const [setting] = await selectRows<{ tenant: string | null }>(
        database,
        sql`select current_setting('memnex.tenant_id', true) as tenant`,
      );
      expect(setting?.tenant ?? '').toBe('');
    });

    it('applies no migration twice', async () => {
      expect(await migrate({ client: client() })).toEqual({ applied: [] });
    });

    it('names the missing tenant when a key is created for it', async () => {
      const tenantId = makeTenant().id;
      const error = await stores.warm
        .createApiKey({ tenantId, key: makeApiKey({ tenantId }) })
        .catch((caught: unknown) => caught);
      expect(MemnexError.isInstance(error) && error.code).toBe('NOT_FOUND');
    });
  });
}
