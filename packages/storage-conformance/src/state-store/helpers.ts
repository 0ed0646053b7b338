import type {
  StateChange,
  StateDeletion,
  StateRefusal,
  StateSchemaEntry,
  StateStore,
  StateWrite,
} from '@memnex/core';
import { expect } from 'vitest';
import { timestamp } from '../fixtures.js';

/** The key id every write of the suite is made by, unless a test says otherwise. */
export const WRITER = 'k_conformance';

/** A time well after every write of the suite, for reads that should see live values. */
export const LATER = timestamp(1_000_000);

/**
 * An instant in 1999, `offsetSeconds` after its start. The operations that reach across tenants
 * (`listExpired`, `trimHistory`) run on times this early, so that on a store shared by many tests
 * they only meet the entries of the test that wrote them.
 */
export function longAgo(offsetSeconds = 0): string {
  return new Date(Date.parse('1999-01-01T00:00:00.000Z') + offsetSeconds * 1000).toISOString();
}

/** What a test may change of a {@link stateWrite}. */
export type WriteOverrides = Partial<Omit<StateWrite, 'tenantId' | 'key' | 'value'>>;

/** A last-write-wins write of `value`, at the schema revision 0 of a tenant without schemas. */
export function stateWrite(
  tenantId: string,
  key: string,
  value: unknown,
  overrides: WriteOverrides = {},
): StateWrite {
  return {
    tenantId,
    key,
    value,
    expiresAt: null,
    updatedBy: WRITER,
    at: timestamp(1),
    schemaRevision: 0,
    ...overrides,
  };
}

/** A deletion by the caller. */
export function stateDeletion(
  tenantId: string,
  key: string,
  overrides: Partial<Omit<StateDeletion, 'tenantId' | 'key'>> = {},
): StateDeletion {
  return { tenantId, key, updatedBy: WRITER, at: timestamp(2), reason: 'deleted', ...overrides };
}

/** A schema for `pattern` to register with `putSchema`: an empty one, unless overridden. */
export function schemaEntry(
  tenantId: string,
  pattern: string,
  overrides: Partial<Omit<StateSchemaEntry, 'pattern'>> = {},
): { tenantId: string } & StateSchemaEntry {
  return {
    tenantId,
    pattern,
    schema: {},
    updatedAt: timestamp(1),
    updatedBy: WRITER,
    ...overrides,
  };
}

/** The change of a result that must have been applied; fails the test on a refusal. */
export function appliedChange<Change>(result: { ok: true; change: Change } | StateRefusal): Change {
  if (!result.ok) {
    expect.fail(`expected the change to apply, but it was refused: ${JSON.stringify(result)}`);
  }
  return result.change;
}

/** Write a value and return its change; fails the test when the write is refused. */
export async function setValue(
  store: StateStore,
  tenantId: string,
  key: string,
  value: unknown,
  overrides: WriteOverrides = {},
): Promise<StateChange> {
  return appliedChange(await store.set(stateWrite(tenantId, key, value, overrides)));
}

/** Delete a key and return its change (null when it had no value); fails on a refusal. */
export async function deleteKey(
  store: StateStore,
  tenantId: string,
  key: string,
  overrides: Partial<Omit<StateDeletion, 'tenantId' | 'key'>> = {},
): Promise<StateChange | null> {
  return appliedChange(await store.delete(stateDeletion(tenantId, key, overrides)));
}

/** The version of one key (0 when the answer leaves it out, as the port allows). */
export async function versionOf(store: StateStore, tenantId: string, key: string): Promise<number> {
  const versions = await store.versions({ tenantId, keys: [key] });
  return versions[key] ?? 0;
}

/** Every change of a key still kept, oldest first. */
export function historyOf(
  store: StateStore,
  tenantId: string,
  key: string,
  afterVersion = 0,
): Promise<StateChange[]> {
  return store.history({ tenantId, key, afterVersion, limit: 10_000 });
}

/** The versions of a list of changes, for compact assertions. */
export function versionsOf(changes: ReadonlyArray<{ version: number }>): number[] {
  return changes.map((change) => change.version);
}
