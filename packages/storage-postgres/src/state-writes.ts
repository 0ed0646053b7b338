import type { StateChange, StateDeletion, StateRefusal, StateWrite } from '@memnex/core';
import { sql, type SQL } from 'drizzle-orm';
import { selectRows, type Transaction } from './database.js';
import { stateValues } from './schema.js';

/** Changes kept per key when the caller does not say. */
const DEFAULT_HISTORY_LIMIT = 1000;

/** An instant as state records carry it: ISO-8601 UTC with milliseconds, as `timestamptz` reads. */
export function isoInstant(value: string): string {
  return new Date(value).toISOString();
}

/** How many changes of a key to keep: at least the one just made. */
function historyLimitOf(limit: number | undefined): number {
  return Math.max(1, Math.floor(limit ?? DEFAULT_HISTORY_LIMIT));
}

/**
 * Make sure the tenant's schema-revision row exists, so that a write can hold it `FOR SHARE`.
 * Inserting nothing on conflict takes no lock.
 */
async function ensureRevisionRow(transaction: Transaction, tenantId: string): Promise<void> {
  await transaction.execute(
    sql`insert into state_schema_revisions (tenant_id, revision) values (${tenantId}, 0)
      on conflict (tenant_id) do nothing`,
  );
}

/** A `state_values` row holds a value at `at`: neither deleted nor expired. */
export function liveAt(at: string): SQL {
  const { deleted, expiresAt } = stateValues;
  return sql`(not ${deleted} and (${expiresAt} is null or ${expiresAt} > ${at}::timestamptz))`;
}

/** The statement of a deletion of history beyond `limit` changes, once `written` has a version. */
function trimmedHistory(tenantId: string, key: string, source: string, limit: number): SQL {
  return sql`delete from state_changes c using ${sql.raw(source)} w
    where c.tenant_id = ${tenantId} and c.key = ${key} and c.version <= w.version - ${limit}`;
}

/**
 * One statement that checks the schema revision, writes the value with version + 1 when the
 * compare-and-set condition holds, records the change and trims the key's history; it returns
 * the new version, or no row when it wrote nothing.
 *
 * The revision row is read `FOR SHARE`: a concurrent schema change (which updates that row)
 * waits until this write commits, and a write that had to wait for a schema change reads the
 * changed row and writes nothing. A write with an `ifVersion` other than 0 can only replace a
 * live value, so it is an `UPDATE`; any other write is an upsert, whose `ON CONFLICT ... WHERE`
 * is the condition (none for last-write-wins, "no live value" for `ifVersion: 0`).
 */
function writeStatement(write: StateWrite, json: string): SQL {
  const { tenantId, key, updatedBy, schemaRevision, ifVersion } = write;
  const at = sql`${write.at}::timestamptz`;
  const expiresAt = sql`${write.expiresAt}::timestamptz`;
  const value = sql`${json}::jsonb`;
  const written =
    ifVersion !== undefined && ifVersion !== 0
      ? sql`update state_values
          set value = ${value}, version = state_values.version + 1, deleted = false,
            updated_at = ${at}, updated_by = ${updatedBy}, expires_at = ${expiresAt}
          from revision
          where tenant_id = ${tenantId} and key = ${key} and version = ${ifVersion}
            and ${liveAt(write.at)}
          returning state_values.version`
      : sql`insert into state_values
            (tenant_id, key, value, version, deleted, updated_at, updated_by, expires_at)
          select ${tenantId}, ${key}, ${value}, 1, false, ${at}, ${updatedBy}, ${expiresAt}
          from revision
          on conflict (tenant_id, key) do update
          set value = excluded.value, version = state_values.version + 1, deleted = false,
            updated_at = excluded.updated_at, updated_by = excluded.updated_by,
            expires_at = excluded.expires_at
          ${ifVersion === 0 ? sql`where not ${liveAt(write.at)}` : sql``}
          returning state_values.version`;
  return sql`with revision as (
      select 1 from state_schema_revisions
      where tenant_id = ${tenantId} and revision = ${schemaRevision}
      for share
    ),
    written as (${written}),
    recorded as (
      insert into state_changes
        (tenant_id, key, version, kind, value, updated_at, updated_by, expires_at)
      select ${tenantId}, ${key}, version, 'value', ${value}, ${at}, ${updatedBy}, ${expiresAt}
      from written
    ),
    trimmed as (${trimmedHistory(tenantId, key, 'written', historyLimitOf(write.historyLimit))})
    select version from written`;
}

/** What a write that wrote nothing found: the tenant's revision (null: no row) and live version. */
async function currentState(
  transaction: Transaction,
  tenantId: string,
  key: string,
  at: string,
): Promise<{ revision: number | null; version: number }> {
  const [row] = await selectRows<{ revision: unknown; version: unknown }>(
    transaction,
    sql`select
      (select revision from state_schema_revisions where tenant_id = ${tenantId}) as revision,
      (select version from state_values where tenant_id = ${tenantId} and key = ${key}
        and ${liveAt(at)}) as version`,
  );
  const revision = row?.revision;
  return {
    revision: revision === null || revision === undefined ? null : Number(revision),
    version: Number(row?.version ?? 0),
  };
}

/** Whether a write would apply to what {@link currentState} found. */
function wouldApply(write: StateWrite, current: { version: number }): boolean {
  return write.ifVersion === undefined || write.ifVersion === current.version;
}

/** Statements a write may take when what it read moved under it (see {@link writeValue}). */
const WRITE_ATTEMPTS = 3;

/**
 * Write a value (see {@link writeStatement}). Only a write that wrote nothing costs a second
 * query, telling a changed schema revision from a version conflict. The statement runs again
 * when the second query, which reads what is committed now, finds that it would apply: its
 * snapshot may predate a revision row or a value committed since. A missing revision row (the
 * tenant's first write, or the tenant was dropped, perhaps by another process) is created first.
 */
export async function writeValue(
  transaction: Transaction,
  write: StateWrite,
): Promise<{ ok: true; change: StateChange } | StateRefusal> {
  const value = write.value ?? null;
  const json = JSON.stringify(value);
  for (let attempt = 1; ; attempt += 1) {
    const [row] = await selectRows<{ version: unknown }>(transaction, writeStatement(write, json));
    if (row) {
      return {
        ok: true,
        change: {
          key: write.key,
          kind: 'value',
          // The store keeps no reference to the value: the change carries the written one.
          value,
          version: Number(row.version),
          updatedAt: isoInstant(write.at),
          updatedBy: write.updatedBy,
          expiresAt: write.expiresAt === null ? null : isoInstant(write.expiresAt),
        },
      };
    }
    const current = await currentState(transaction, write.tenantId, write.key, write.at);
    const revision = current.revision ?? 0;
    if (revision !== write.schemaRevision) {
      return { ok: false, reason: 'schemas-changed', schemaRevision: revision };
    }
    if (attempt < WRITE_ATTEMPTS && (current.revision === null || wouldApply(write, current))) {
      if (current.revision === null) await ensureRevisionRow(transaction, write.tenantId);
      continue;
    }
    return { ok: false, reason: 'conflict', currentVersion: current.version };
  }
}

/**
 * Delete a value: one statement that turns the row into a tombstone with version + 1 (when it
 * holds a value, expired or not, of version `ifVersion` if given), records the deletion and
 * trims the key's history. Only a refused compare-and-delete costs a second query, for the
 * current version.
 */
export async function deleteValue(
  transaction: Transaction,
  deletion: StateDeletion,
): Promise<
  { ok: true; change: StateChange | null } | Extract<StateRefusal, { reason: 'conflict' }>
> {
  const { tenantId, key, updatedBy, ifVersion, reason } = deletion;
  const at = sql`${deletion.at}::timestamptz`;
  const [row] = await selectRows<{ version: unknown }>(
    transaction,
    sql`with removed as (
        update state_values
        set value = null, version = version + 1, deleted = true, updated_at = ${at},
          updated_by = ${updatedBy}, expires_at = null
        where tenant_id = ${tenantId} and key = ${key} and not deleted
          ${ifVersion === undefined ? sql`` : sql`and version = ${ifVersion}`}
        returning version
      ),
      recorded as (
        insert into state_changes
          (tenant_id, key, version, kind, value, updated_at, updated_by, expires_at, reason)
        select ${tenantId}, ${key}, version, 'delete', null, ${at}, ${updatedBy}, null, ${reason}
        from removed
      ),
      trimmed as (${trimmedHistory(tenantId, key, 'removed', historyLimitOf(deletion.historyLimit))})
      select version from removed`,
  );
  if (row) {
    return {
      ok: true,
      change: {
        key,
        kind: 'delete',
        value: null,
        version: Number(row.version),
        updatedAt: isoInstant(deletion.at),
        updatedBy,
        expiresAt: null,
        reason,
      },
    };
  }
  if (ifVersion === undefined) return { ok: true, change: null };
  const current = await currentState(transaction, tenantId, key, deletion.at);
  return { ok: false, reason: 'conflict', currentVersion: current.version };
}
