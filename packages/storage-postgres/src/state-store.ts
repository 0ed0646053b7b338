import type { StateChange, StateRecord, StateStore, StateStoreCapabilities } from '@memnex/core';
import { and, asc, eq, gt, gte, lt, sql, type SQL } from 'drizzle-orm';
import { createStoreSession, type DatabaseHandle } from './database-handle.js';
import { anyOf, rowLimit, selectRows } from './database.js';
import { stateChanges, stateSchemas, stateValues } from './schema.js';
import { deleteValue, liveAt, writeValue } from './state-writes.js';

type ValueRow = typeof stateValues.$inferSelect;
type ChangeRow = typeof stateChanges.$inferSelect;

function toRecord(row: ValueRow): StateRecord {
  return {
    key: row.key,
    value: row.value,
    version: row.version,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
    expiresAt: row.expiresAt ?? null,
  };
}

function toChange(row: ChangeRow): StateChange {
  const change: StateChange = {
    key: row.key,
    kind: row.kind,
    value: row.value,
    version: row.version,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
    expiresAt: row.expiresAt ?? null,
  };
  if (row.reason) change.reason = row.reason;
  return change;
}

/**
 * The first string after every string that starts with `prefix`, in code-point order (the byte
 * order of `COLLATE "C"` over UTF-8); null when there is none. Keys starting with `prefix` are
 * exactly those in `[prefix, successor)`, so a prefix is a range scan of the primary key, with
 * no pattern to escape.
 */
export function prefixSuccessor(prefix: string): string | null {
  const codePoints = [...prefix].map((char) => char.codePointAt(0)!);
  while (codePoints.length > 0) {
    const last = codePoints.pop()!;
    if (last < 0x10ffff) {
      // Surrogate code points are not text; the next character after them is U+E000.
      codePoints.push(last + 1 >= 0xd800 && last + 1 <= 0xdfff ? 0xe000 : last + 1);
      return String.fromCodePoint(...codePoints);
    }
  }
  return null;
}

/** The tenant's keys that start with `prefix` and sort after `after`: a key range. */
function keysOf(tenantId: string, prefix: string, after: string | undefined): SQL | undefined {
  const successor = prefixSuccessor(prefix);
  return and(
    eq(stateValues.tenantId, tenantId),
    prefix === '' ? undefined : gte(stateValues.key, prefix),
    successor === null ? undefined : lt(stateValues.key, successor),
    after === undefined ? undefined : gt(stateValues.key, after),
  );
}

/**
 * The {@link StateStore} on Postgres. Every method is one transaction scoped to its tenant by
 * row-level security, and almost every one is a single statement: `set` checks the schema
 * revision, applies the compare-and-set, records the change and trims the history at once (see
 * `state-writes.ts`). The expiry sweep and history trimming run in a scope that may read state
 * (and delete changes) of every tenant.
 */
export function createPostgresStateStore(
  handle: DatabaseHandle,
  capabilities: StateStoreCapabilities,
): StateStore {
  const session = createStoreSession(handle, 'Postgres state store');
  const { run } = session;
  const tenant = (tenantId: string) => ({ tenantId });

  return {
    capabilities,
    init: session.init,
    close: session.close,

    get: ({ tenantId, key, now }) =>
      run('get', tenant(tenantId), async (transaction) => {
        const [row] = await transaction
          .select()
          .from(stateValues)
          .where(and(eq(stateValues.tenantId, tenantId), eq(stateValues.key, key), liveAt(now)));
        return row ? toRecord(row) : null;
      }),

    versions: ({ tenantId, keys }) =>
      run('versions', tenant(tenantId), async (transaction) => {
        if (keys.length === 0) return {};
        const rows = await transaction
          .select({ key: stateValues.key, version: stateValues.version })
          .from(stateValues)
          .where(and(eq(stateValues.tenantId, tenantId), anyOf(stateValues.key, keys)));
        const found = new Map(rows.map((row) => [row.key, row.version]));
        return Object.fromEntries(keys.map((key) => [key, found.get(key) ?? 0]));
      }),

    set: (write) =>
      run('set', tenant(write.tenantId), (transaction) => writeValue(transaction, write)),

    delete: (deletion) =>
      run('delete', tenant(deletion.tenantId), (transaction) => deleteValue(transaction, deletion)),

    list: ({ tenantId, prefix, after, limit, now }) =>
      run('list', tenant(tenantId), async (transaction) => {
        const count = rowLimit(limit) ?? 0;
        if (count === 0) return [];
        const rows = await transaction
          .select()
          .from(stateValues)
          .where(and(keysOf(tenantId, prefix, after), liveAt(now)))
          .orderBy(asc(stateValues.key))
          .limit(count);
        return rows.map(toRecord);
      }),

    listVersions: ({ tenantId, prefix, after, limit }) =>
      run('listVersions', tenant(tenantId), async (transaction) => {
        const count = rowLimit(limit) ?? 0;
        if (count === 0) return [];
        return transaction
          .select({ key: stateValues.key, version: stateValues.version })
          .from(stateValues)
          .where(keysOf(tenantId, prefix, after))
          .orderBy(asc(stateValues.key))
          .limit(count);
      }),

    history: ({ tenantId, key, afterVersion, limit }) =>
      run('history', tenant(tenantId), async (transaction) => {
        const count = rowLimit(limit) ?? 0;
        if (count === 0) return [];
        const rows = await transaction
          .select()
          .from(stateChanges)
          .where(
            and(
              eq(stateChanges.tenantId, tenantId),
              eq(stateChanges.key, key),
              gt(stateChanges.version, afterVersion),
            ),
          )
          .orderBy(asc(stateChanges.version))
          .limit(count);
        return rows.map(toChange);
      }),

    listExpired: ({ now, limit }) =>
      run('listExpired', { stateSweep: true }, async (transaction) => {
        const count = rowLimit(limit) ?? 0;
        if (count === 0) return [];
        // The partial index `state_values_expires_idx` serves exactly this scan.
        return transaction
          .select({
            tenantId: stateValues.tenantId,
            key: stateValues.key,
            version: stateValues.version,
          })
          .from(stateValues)
          .where(
            sql`${stateValues.expiresAt} is not null and not ${stateValues.deleted}
              and ${stateValues.expiresAt} <= ${now}::timestamptz`,
          )
          .orderBy(asc(stateValues.expiresAt))
          .limit(count);
      }),

    trimHistory: ({ before }) =>
      run('trimHistory', { stateSweep: true }, async (transaction) => {
        // The newest change of a key is what a subscriber resumes from: it is never dropped.
        await transaction.execute(
          sql`delete from state_changes c
            where c.updated_at < ${before}::timestamptz
              and exists (select 1 from state_changes n
                where n.tenant_id = c.tenant_id and n.key = c.key and n.version > c.version)`,
        );
      }),

    listSchemas: ({ tenantId }) =>
      run('listSchemas', tenant(tenantId), async (transaction) => {
        const [revision] = await selectRows<{ revision: unknown }>(
          transaction,
          sql`select revision from state_schema_revisions where tenant_id = ${tenantId}`,
        );
        const schemas = await transaction
          .select({
            pattern: stateSchemas.pattern,
            schema: stateSchemas.schema,
            updatedAt: stateSchemas.updatedAt,
            updatedBy: stateSchemas.updatedBy,
          })
          .from(stateSchemas)
          .where(eq(stateSchemas.tenantId, tenantId))
          .orderBy(asc(stateSchemas.pattern));
        return { revision: Number(revision?.revision ?? 0), schemas };
      }),

    putSchema: ({ tenantId, pattern, schema, updatedAt, updatedBy }) =>
      run('putSchema', tenant(tenantId), async (transaction) => {
        // Bumping the revision locks its row first: writes holding it `FOR SHARE` finish before.
        const [row] = await selectRows<{ revision: unknown }>(
          transaction,
          sql`with bumped as (
              insert into state_schema_revisions as r (tenant_id, revision)
              values (${tenantId}, 1)
              on conflict (tenant_id) do update set revision = r.revision + 1
              returning r.revision
            ),
            saved as (
              insert into state_schemas (tenant_id, pattern, schema, updated_at, updated_by)
              select ${tenantId}, ${pattern}, ${JSON.stringify(schema ?? null)}::jsonb,
                ${updatedAt}::timestamptz, ${updatedBy}
              from bumped
              on conflict (tenant_id, pattern) do update
              set schema = excluded.schema, updated_at = excluded.updated_at,
                updated_by = excluded.updated_by
            )
            select revision from bumped`,
        );
        return { revision: Number(row?.revision) };
      }),

    deleteSchema: ({ tenantId, pattern }) =>
      run('deleteSchema', tenant(tenantId), async (transaction) => {
        const [row] = await selectRows<{ bumped: unknown; current: unknown }>(
          transaction,
          sql`with removed as (
              delete from state_schemas where tenant_id = ${tenantId} and pattern = ${pattern}
              returning pattern
            ),
            bumped as (
              update state_schema_revisions set revision = revision + 1
              where tenant_id = ${tenantId} and exists (select 1 from removed)
              returning revision
            )
            select (select revision from bumped) as bumped,
              (select revision from state_schema_revisions where tenant_id = ${tenantId}) as current`,
        );
        if (row?.bumped !== null && row?.bumped !== undefined) {
          return { deleted: true, revision: Number(row.bumped) };
        }
        return { deleted: false, revision: Number(row?.current ?? 0) };
      }),

    dropTenant: ({ tenantId }) =>
      run('dropTenant', tenant(tenantId), async (transaction) => {
        await transaction.execute(
          sql`with values_gone as (delete from state_values where tenant_id = ${tenantId}),
            changes_gone as (delete from state_changes where tenant_id = ${tenantId}),
            schemas_gone as (delete from state_schemas where tenant_id = ${tenantId})
            delete from state_schema_revisions where tenant_id = ${tenantId}`,
        );
      }),
  };
}
