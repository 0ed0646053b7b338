import { MemnexError } from '../../errors.js';
import type { StateChange, StateRecord } from '../../ports/index.js';
import { compileGlob } from '../../util/glob.js';
import {
  STATE_LIMITS,
  stateDeleteInputSchema,
  stateKeySchema,
  stateListQuerySchema,
  statePatternSchema,
  stateSetInputSchema,
  stateSetSchemaInputSchema,
  type StateDeleteResult,
  type StateEntry,
  type StateListResult,
  type StateSchemaRecord,
} from '../../wire/state.js';
import type { CallContext, EngineContext } from '../context.js';
import { appendAudit } from '../effects.js';
import { parseInput, splitTenant } from '../validate.js';
import { compileSchema, issuesOf, schemaViolation } from './json-schemas.js';
import type { SchemaRegistry } from './schema-registry.js';
import { requireStateScope } from './scopes.js';

/** What the state operations share beyond the engine context. */
export interface StateContext {
  engine: EngineContext;
  schemas: SchemaRegistry;
  /** Most changes kept per key. */
  historyLimit: number;
  /** Deliver a change to this instance's subscribers and publish it to the others. */
  announce(tenantId: string, change: StateChange): void;
  announceSchema(
    tenantId: string,
    change: {
      pattern: string;
      action: 'set' | 'delete';
      schema?: unknown;
      revision: number;
      updatedAt: string;
      updatedBy: string;
    },
  ): void;
}

/** Times a write is retried when schemas change between its validation and its commit. */
const SCHEMA_RETRIES = 5;

export type StateKeyOptions = { tenantId: string; key: string } & CallContext;
export type StateSetOptions = StateKeyOptions & {
  value: unknown;
  ifVersion?: number;
  ttlSeconds?: number;
};
export type StateDeleteOptions = StateKeyOptions & { ifVersion?: number };
export type StateListOptions = {
  tenantId: string;
  pattern?: string;
  prefix?: string;
  limit?: number;
  cursor?: string;
} & CallContext;
export type StatePatternOptions = { tenantId: string; pattern: string } & CallContext;
export type StateSetSchemaOptions = StatePatternOptions & { schema: unknown };

export function toEntry(record: StateRecord): StateEntry {
  return {
    key: record.key,
    value: record.value,
    version: record.version,
    updatedAt: record.updatedAt,
    updatedBy: record.updatedBy,
    expiresAt: record.expiresAt,
  };
}

function keyOf(options: { key?: unknown }): string {
  return parseInput(stateKeySchema, options.key, 'key');
}

/**
 * Who a value change is recorded as (`updatedBy`): the API key's id, without the `key:` prefix
 * the ledger's actors carry, or `system` for in-process calls.
 */
function actorOf(call: CallContext): string {
  return keyIdOfActor(call.actor) ?? call.actor ?? 'system';
}

/** The API key id of an actor `key:<id>`, or undefined for another actor. */
export function keyIdOfActor(actor: string | undefined): string | undefined {
  return actor?.startsWith('key:') ? actor.slice(4) : undefined;
}

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsNul);
  return Object.entries(value).some(([key, inner]) => key.includes('\u0000') || holdsNul(inner));
}

/** UTF-8 size of a (checked) JSON value, or a validation error when it holds U+0000. */
function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value);
  // Postgres's JSON column cannot store U+0000, so no store accepts it.
  if (text.includes('\\u0000') && holdsNul(value)) {
    throw MemnexError.validation([
      {
        path: 'value',
        message: 'JSON text cannot hold the NUL character (U+0000)',
        code: 'invalid_string',
      },
    ]);
  }
  return Buffer.byteLength(text, 'utf8');
}

export async function getState(
  state: StateContext,
  options: StateKeyOptions,
): Promise<StateEntry | null> {
  const [tenantId, call] = splitTenant(options);
  const key = keyOf(call);
  requireStateScope(call, 'read', key);
  const { engine } = state;
  await engine.tenants.require(tenantId);
  const record = await engine.stores.state.get({ tenantId, key, now: engine.now().toISOString() });
  return record ? toEntry(record) : null;
}

export async function setState(state: StateContext, options: StateSetOptions): Promise<StateEntry> {
  const [tenantId, call] = splitTenant(options);
  const key = keyOf(call);
  const input = parseInput(stateSetInputSchema, {
    value: call.value,
    ifVersion: call.ifVersion,
    ttlSeconds: call.ttlSeconds,
  });
  const size = jsonBytes(input.value);
  if (size > STATE_LIMITS.valueBytes) {
    throw new MemnexError({
      code: 'PAYLOAD_TOO_LARGE',
      message: `the value is ${size} bytes of JSON; the limit is ${STATE_LIMITS.valueBytes}`,
      details: { bytes: size, limit: STATE_LIMITS.valueBytes },
    });
  }
  requireStateScope(call, 'write', key);
  const { engine } = state;
  await engine.tenants.require(tenantId);
  for (let attempt = 0; attempt < SCHEMA_RETRIES; attempt += 1) {
    const schemas = await state.schemas.get(tenantId);
    const schema = schemas.forKey(key);
    if (schema && !schema.validate(input.value)) {
      throw schemaViolation(schema.entry.pattern, issuesOf(schema.validate.errors));
    }
    const now = engine.now();
    const result = await engine.stores.state.set({
      tenantId,
      key,
      value: input.value,
      ifVersion: input.ifVersion,
      expiresAt:
        input.ttlSeconds === undefined
          ? null
          : new Date(now.getTime() + input.ttlSeconds * 1000).toISOString(),
      updatedBy: actorOf(call),
      at: now.toISOString(),
      schemaRevision: schemas.revision,
      historyLimit: state.historyLimit,
    });
    if (result.ok) {
      state.announce(tenantId, result.change);
      return toEntry(result.change);
    }
    if (result.reason === 'conflict') throw conflict(key, result.currentVersion, input.ifVersion);
    state.schemas.drop(tenantId);
  }
  throw new MemnexError({
    code: 'CONFLICT',
    message: `the schemas of this tenant kept changing; the value of ${JSON.stringify(key)} was not written`,
    details: { key },
  });
}

function conflict(key: string, currentVersion: number, expected: number | undefined): MemnexError {
  return new MemnexError({
    code: 'CONFLICT',
    message: `${JSON.stringify(key)} is at version ${currentVersion}, not ${expected}`,
    details: { key, currentVersion, expectedVersion: expected },
  });
}

export async function deleteState(
  state: StateContext,
  options: StateDeleteOptions,
): Promise<StateDeleteResult> {
  const [tenantId, call] = splitTenant(options);
  const key = keyOf(call);
  const { ifVersion } = parseInput(stateDeleteInputSchema, { ifVersion: call.ifVersion });
  requireStateScope(call, 'write', key);
  const { engine } = state;
  await engine.tenants.require(tenantId);
  const result = await engine.stores.state.delete({
    tenantId,
    key,
    ifVersion,
    updatedBy: actorOf(call),
    at: engine.now().toISOString(),
    reason: 'deleted',
    historyLimit: state.historyLimit,
  });
  if (!result.ok) throw conflict(key, result.currentVersion, ifVersion);
  if (!result.change) {
    const versions = await engine.stores.state.versions({ tenantId, keys: [key] });
    return { key, deleted: false, version: versions[key] ?? 0 };
  }
  state.announce(tenantId, result.change);
  return { key, deleted: true, version: result.change.version };
}

const encodeCursor = (key: string) => Buffer.from(key, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!stateKeySchema.safeParse(key).success) {
    throw MemnexError.validation([
      { path: 'cursor', message: 'not a cursor of this list', code: 'invalid_cursor' },
    ]);
  }
  return key;
}

/** Keys scanned per page at most, so that a sparse glob cannot make one request scan a tenant. */
const SCAN_FACTOR = 10;

export async function listState(
  state: StateContext,
  options: StateListOptions,
): Promise<StateListResult> {
  const [tenantId, call] = splitTenant(options);
  const query = parseInput(stateListQuerySchema, {
    pattern: call.pattern,
    prefix: call.prefix,
    limit: call.limit,
    cursor: call.cursor,
  });
  const effective = query.pattern ?? `${query.prefix ?? ''}*`;
  requireStateScope(call, 'read', effective);
  const { engine } = state;
  await engine.tenants.require(tenantId);
  const glob = compileGlob(effective);
  const prefix = [glob.prefix, query.prefix ?? ''].reduce((a, b) => (a.length >= b.length ? a : b));
  if (!prefix.startsWith(glob.prefix) || !prefix.startsWith(query.prefix ?? '')) {
    return { entries: [], nextCursor: null };
  }
  const entries: StateEntry[] = [];
  let after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  let budget = query.limit * SCAN_FACTOR;
  const now = engine.now().toISOString();
  while (budget > 0) {
    const want = Math.min(
      budget,
      Math.max(query.limit - entries.length, 1) * 2,
      STATE_LIMITS.listLimitMax,
    );
    const page = await engine.stores.state.list({ tenantId, prefix, after, limit: want, now });
    budget -= page.length;
    for (const record of page) {
      after = record.key;
      if (!glob.test(record.key)) continue;
      entries.push(toEntry(record));
      if (entries.length >= query.limit) {
        return { entries, nextCursor: encodeCursor(record.key) };
      }
    }
    if (page.length < want) return { entries, nextCursor: null };
  }
  return { entries, nextCursor: after === undefined ? null : encodeCursor(after) };
}

function patternOf(options: { pattern?: unknown }): string {
  return parseInput(statePatternSchema, options.pattern, 'pattern');
}

function toSchemaRecord(entry: {
  pattern: string;
  schema: unknown;
  updatedAt: string;
  updatedBy: string;
}): StateSchemaRecord {
  return {
    pattern: entry.pattern,
    schema: entry.schema,
    updatedAt: entry.updatedAt,
    updatedBy: entry.updatedBy,
  };
}

export async function listStateSchemas(
  state: StateContext,
  options: { tenantId: string } & CallContext,
): Promise<StateSchemaRecord[]> {
  const [tenantId, call] = splitTenant(options);
  requireStateScope(call, ['read', 'schema'], '*');
  await state.engine.tenants.require(tenantId);
  const { schemas } = await state.engine.stores.state.listSchemas({ tenantId });
  return schemas.map(toSchemaRecord);
}

export async function getStateSchema(
  state: StateContext,
  options: StatePatternOptions,
): Promise<StateSchemaRecord | null> {
  const [tenantId, call] = splitTenant(options);
  const pattern = patternOf(call);
  requireStateScope(call, ['read', 'schema'], pattern);
  await state.engine.tenants.require(tenantId);
  const { schemas } = await state.engine.stores.state.listSchemas({ tenantId });
  const found = schemas.find((entry) => entry.pattern === pattern);
  return found ? toSchemaRecord(found) : null;
}

export async function setStateSchema(
  state: StateContext,
  options: StateSetSchemaOptions,
): Promise<StateSchemaRecord> {
  const [tenantId, call] = splitTenant(options);
  const pattern = patternOf(call);
  const { schema } = parseInput(stateSetSchemaInputSchema, { schema: call.schema });
  const size = jsonBytes(schema);
  if (size > STATE_LIMITS.schemaBytes) {
    throw new MemnexError({
      code: 'PAYLOAD_TOO_LARGE',
      message: `the schema is ${size} bytes of JSON; the limit is ${STATE_LIMITS.schemaBytes}`,
      details: { bytes: size, limit: STATE_LIMITS.schemaBytes },
    });
  }
  requireStateScope(call, 'schema', pattern);
  compileSchema(schema);
  const { engine } = state;
  await engine.tenants.require(tenantId);
  const entry = {
    pattern,
    schema,
    updatedAt: engine.now().toISOString(),
    updatedBy: actorOf(call),
  };
  const { revision } = await engine.stores.state.putSchema({ tenantId, ...entry });
  state.schemas.drop(tenantId);
  await appendAudit(engine, tenantId, {
    op: 'state.schema.set',
    actor: call.actor ?? 'system',
    subject: pattern,
    payload: { pattern, revision },
  });
  state.announceSchema(tenantId, { ...entry, action: 'set', revision });
  return toSchemaRecord(entry);
}

export async function deleteStateSchema(
  state: StateContext,
  options: StatePatternOptions,
): Promise<{ pattern: string; deleted: boolean }> {
  const [tenantId, call] = splitTenant(options);
  const pattern = patternOf(call);
  requireStateScope(call, 'schema', pattern);
  const { engine } = state;
  await engine.tenants.require(tenantId);
  const { deleted, revision } = await engine.stores.state.deleteSchema({ tenantId, pattern });
  if (deleted) {
    state.schemas.drop(tenantId);
    const updatedAt = engine.now().toISOString();
    const updatedBy = actorOf(call);
    await appendAudit(engine, tenantId, {
      op: 'state.schema.delete',
      actor: call.actor ?? 'system',
      subject: pattern,
      payload: { pattern, revision },
    });
    state.announceSchema(tenantId, { pattern, action: 'delete', revision, updatedAt, updatedBy });
  }
  return { pattern, deleted };
}
