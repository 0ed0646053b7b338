import {
  MemnexError,
  silentLogger,
  type Logger,
  type StateChange,
  type StateRecord,
  type StateSchemaEntry,
  type StateStore,
} from '@memnex/core';
import type { ChainableCommander, Redis } from 'ioredis';
import { runScript } from './lua-script.js';
import { describeFailure, type RedisConnectionOption } from './redis-connection.js';
import { createRedisLifecycle } from './redis-lifecycle.js';
import {
  createStateStoreKeys,
  decodeText,
  encodeText,
  keyRange,
  rangeAfter,
  type LexRange,
} from './state-store-keys.js';
import {
  DELETE_SCHEMA,
  DELETE_VALUE,
  DROP_KEYS,
  DROP_TENANT,
  SET_VALUE,
  TRIM_HISTORY,
} from './state-store-scripts.js';

/** Options of {@link createRedisStateStore}. */
export interface RedisStateStoreOptions {
  /**
   * A `redis://` URL (the store opens and closes the connection) or an ioredis client (used, never
   * closed, by the store).
   */
  redis: RedisConnectionOption;
  /** Prefix of every key; the store's keys are `<prefix>st:...`. Defaults to `memnex:`. */
  keyPrefix?: string;
  /** Receives connection errors and failed registry updates; silent by default. */
  logger?: Logger;
}

const NAME = 'redis state store';
const DEFAULT_HISTORY_LIMIT = 1000;
/** Keys or tenants handled per round trip when walking an index or a registry. */
const PAGE = 200;
/** Tenants this process remembers having registered; forgotten all at once past this. */
const REGISTERED_LIMIT = 10_000;
/** Fields of an entry hash that make a record, in this order. */
const RECORD_FIELDS = [
  'version',
  'deleted',
  'value',
  'updatedAt',
  'updatedBy',
  'expiresAt',
  'expiresAtMs',
];

type Fields = Array<string | null>;

function invalid(message: string): MemnexError {
  return new MemnexError({ code: 'VALIDATION_FAILED', message: `${NAME}: ${message}` });
}

/** An ISO instant in epoch ms; the scripts compare times as numbers. */
function epochMs(name: string, value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw invalid(`${name} is not a valid time: ${JSON.stringify(value)}`);
  return ms;
}

function toJson(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw invalid(`${what} is not JSON: ${describeFailure(error)}`);
  }
  if (text === undefined) throw invalid(`${what} is not JSON`);
  return text;
}

/**
 * How many changes a history keeps after a write, -1 for all: the newest `historyLimit`,
 * rounded up, none for a limit of 0 or less, all for a limit that is not a number.
 */
function historyKeep(historyLimit = DEFAULT_HISTORY_LIMIT): number {
  if (Number.isNaN(historyLimit) || historyLimit === Infinity) return -1;
  return historyLimit <= 0 ? 0 : Math.ceil(historyLimit);
}

/** Members to read in the next page: what is still missing, doubled for each page already read. */
function pageSize(missing: number, pagesRead: number): number {
  if (!Number.isFinite(missing)) return PAGE;
  return Math.min(PAGE, Math.max(1, Math.ceil(missing)) * 2 ** pagesRead);
}

/**
 * A record from entry fields read in {@link RECORD_FIELDS} order, or null without a live value at
 * `nowMs` (expired as the scripts decide it: from `expiresAtMs` on).
 */
function liveRecord(key: string, fields: Fields, nowMs: number): StateRecord | null {
  const [version, deleted, value, updatedAt, updatedBy, expiresAt, expiresAtMs] = fields;
  if (version == null || deleted === '1' || value == null) return null;
  if (expiresAtMs && Number(expiresAtMs) <= nowMs) return null;
  return {
    key,
    value: JSON.parse(value) as unknown,
    version: Number(version),
    updatedAt: updatedAt ?? '',
    updatedBy: updatedBy ?? '',
    expiresAt: expiresAt ? expiresAt : null,
  };
}

/** A change from a history member, `<epoch ms> <change JSON>`. */
function parseChange(member: string): StateChange {
  return JSON.parse(member.slice(member.indexOf(' ') + 1)) as StateChange;
}

/** Run a pipeline or transaction, failing with the first command error. */
async function execAll(commands: ChainableCommander): Promise<unknown[]> {
  const results = await commands.exec();
  if (results === null) throw new Error('transaction aborted');
  return results.map(([error, result]) => {
    if (error) throw error;
    return result;
  });
}

/**
 * A {@link StateStore} in Redis, shared by every instance that uses the same server and prefix.
 * `set` and `delete` are one Lua script each (schema revision and version checks, the write, the
 * history, the key and expiry indexes); reads of several keys run in `MULTI`. See the README for
 * the key layout.
 */
export function createRedisStateStore(options: RedisStateStoreOptions): StateStore {
  const logger = options.logger ?? silentLogger;
  if (typeof options.redis !== 'string' && options.redis.options.keyPrefix) {
    // As the hot store does: the layout has one prefix, set here, not a second one in ioredis.
    throw new MemnexError({
      code: 'VALIDATION_FAILED',
      message: `${NAME}: give a client without ioredis \`keyPrefix\`; use \`keyPrefix\` here`,
    });
  }
  const keys = createStateStoreKeys(options.keyPrefix ?? 'memnex:');
  const lifecycle = createRedisLifecycle({ redis: options.redis, name: NAME, logger });
  const { run } = lifecycle;
  /** Tenants this process added to each registry, so that most writes skip the `SADD`. */
  const registered = { tenants: new Set<string>(), expiring: new Set<string>() };

  const remember = (set: Set<string>, tenantId: string) => {
    if (set.size >= REGISTERED_LIMIT) set.clear();
    set.add(tenantId);
  };

  /**
   * Add a tenant to the registries after a write, outside the script: the registries live in
   * their own slots. A tenant is added when its index (or expiry set) was empty before the write,
   * and on the first write this process makes to it, which repairs a registration lost to a
   * crash between the script and this call. See the README for why a late or missed `SADD` is
   * harmless.
   */
  async function register(
    client: Redis,
    tenantId: string,
    firstKey: boolean,
    firstExpiring: boolean,
    expires: boolean,
  ): Promise<void> {
    const tenants = firstKey || !registered.tenants.has(tenantId);
    const expiring = expires && (firstExpiring || !registered.expiring.has(tenantId));
    if (!tenants && !expiring) return;
    const member = encodeText(tenantId);
    const pipeline = client.pipeline();
    if (tenants) pipeline.sadd(keys.tenants, member);
    if (expiring) pipeline.sadd(keys.expiringTenants, member);
    try {
      await execAll(pipeline);
      if (tenants) remember(registered.tenants, tenantId);
      if (expiring) remember(registered.expiring, tenantId);
    } catch (error) {
      // The write itself succeeded; the next write of the tenant in this process retries.
      logger.warn('redis state store: tenant registration failed', {
        tenantId,
        error: describeFailure(error),
      });
    }
  }

  /**
   * Remove tenants whose `collection` is empty from `registry`. A writer adds its tenant after
   * its script, so checking again after the `SREM` and re-adding a tenant that gained members
   * meanwhile never loses a registration.
   */
  async function prune(
    client: Redis,
    registry: string,
    tenantIds: string[],
    collection: (tenantId: string) => Buffer,
  ): Promise<void> {
    if (tenantIds.length === 0) return;
    const members = tenantIds.map(encodeText);
    await client.srem(registry, ...members);
    const check = client.pipeline();
    for (const tenantId of tenantIds) check.zcard(collection(tenantId));
    const sizes = await execAll(check);
    const back = members.filter((_, index) => Number(sizes[index]) > 0);
    if (back.length > 0) await client.sadd(registry, ...back);
  }

  /** Every tenant of a registry, a page at a time (each at most once). */
  async function forEachTenantPage(
    client: Redis,
    registry: string,
    visit: (tenantIds: string[]) => Promise<boolean>,
  ): Promise<void> {
    const seen = new Set<string>();
    let cursor = '0';
    do {
      const [next, members] = await client.sscanBuffer(registry, cursor, 'COUNT', PAGE);
      cursor = next.toString();
      const page = members.map(decodeText).filter((tenantId) => !seen.has(tenantId));
      for (const tenantId of page) seen.add(tenantId);
      if (page.length > 0 && !(await visit(page))) return;
    } while (cursor !== '0');
  }

  /** Walk a tenant's index in key order, a page of members at a time. */
  async function forEachKeyPage(
    client: Redis,
    tenantId: string,
    visit: (members: Buffer[]) => Promise<void>,
  ): Promise<void> {
    let range: LexRange = keyRange('');
    for (;;) {
      const members = await client.zrangebylexBuffer(
        keys.index(tenantId),
        range.min,
        range.max,
        'LIMIT',
        0,
        PAGE,
      );
      if (members.length > 0) await visit(members);
      if (members.length < PAGE) return;
      range = rangeAfter(range, members[members.length - 1]!);
    }
  }

  return {
    capabilities: { durable: false, shared: true },
    init: lifecycle.init,
    close: lifecycle.close,

    get: ({ tenantId, key, now }) =>
      run('get', async (client) => {
        const nowMs = epochMs('now', now);
        const fields = await client.hmget(keys.entry(tenantId, key), ...RECORD_FIELDS);
        return liveRecord(key, fields, nowMs);
      }),

    versions: ({ tenantId, keys: names }) =>
      run('versions', async (client) => {
        const out: Record<string, number> = {};
        if (names.length === 0) return out;
        const transaction = client.multi();
        for (const key of names) transaction.hget(keys.entry(tenantId, key), 'version');
        const versions = await execAll(transaction);
        names.forEach((key, index) => {
          const version = versions[index];
          out[key] = version == null ? 0 : Number(version);
        });
        return out;
      }),

    async set(write) {
      const { tenantId, key, expiresAt } = write;
      const atMs = epochMs('at', write.at);
      const expiresAtMs = expiresAt === null ? '' : String(epochMs('expiresAt', expiresAt));
      const value = toJson(write.value, 'value');
      const head = `${atMs} {"key":${JSON.stringify(key)},"kind":"value","value":`;
      const tail =
        `,"updatedAt":${JSON.stringify(write.at)},"updatedBy":${JSON.stringify(write.updatedBy)}` +
        `,"expiresAt":${JSON.stringify(expiresAt)}}`;
      return run('set', async (client) => {
        const reply = (await runScript(
          client,
          SET_VALUE,
          [
            keys.entry(tenantId, key),
            keys.history(tenantId, key),
            keys.index(tenantId),
            keys.expiring(tenantId),
            keys.revision(tenantId),
          ],
          [
            encodeText(key),
            write.ifVersion === undefined ? '' : String(write.ifVersion),
            String(write.schemaRevision),
            atMs,
            value,
            write.at,
            write.updatedBy,
            expiresAt ?? '',
            expiresAtMs,
            historyKeep(write.historyLimit),
            head,
            tail,
          ],
        )) as [number, number, number?, number?];
        const [status, version, firstKey, firstExpiring] = reply;
        if (status === -1) {
          return { ok: false, reason: 'schemas-changed', schemaRevision: version } as const;
        }
        if (status === 0)
          return { ok: false, reason: 'conflict', currentVersion: version } as const;
        await register(client, tenantId, firstKey === 1, firstExpiring === 1, expiresAt !== null);
        const change: StateChange = {
          key,
          kind: 'value',
          // The store keeps no reference to the value: the change carries the written one.
          value: write.value,
          version,
          updatedAt: write.at,
          updatedBy: write.updatedBy,
          expiresAt,
        };
        return { ok: true, change } as const;
      });
    },

    async delete(deletion) {
      const { tenantId, key } = deletion;
      const atMs = epochMs('at', deletion.at);
      const head = `${atMs} {"key":${JSON.stringify(key)},"kind":"delete","value":null,"version":`;
      const tail =
        `,"updatedAt":${JSON.stringify(deletion.at)}` +
        `,"updatedBy":${JSON.stringify(deletion.updatedBy)}` +
        `,"expiresAt":null,"reason":${JSON.stringify(deletion.reason)}}`;
      return run('delete', async (client) => {
        const [status, version] = (await runScript(
          client,
          DELETE_VALUE,
          [keys.entry(tenantId, key), keys.history(tenantId, key), keys.expiring(tenantId)],
          [
            encodeText(key),
            deletion.ifVersion === undefined ? '' : String(deletion.ifVersion),
            atMs,
            deletion.at,
            deletion.updatedBy,
            historyKeep(deletion.historyLimit),
            head,
            tail,
          ],
        )) as [number, number];
        if (status === 0)
          return { ok: false, reason: 'conflict', currentVersion: version } as const;
        if (version === 0) return { ok: true, change: null } as const;
        const change: StateChange = {
          key,
          kind: 'delete',
          value: null,
          version,
          updatedAt: deletion.at,
          updatedBy: deletion.updatedBy,
          expiresAt: null,
          reason: deletion.reason,
        };
        return { ok: true, change } as const;
      });
    },

    list: ({ tenantId, prefix, after, limit, now }) =>
      run('list', async (client) => {
        const nowMs = epochMs('now', now);
        const out: StateRecord[] = [];
        let range = keyRange(prefix, after);
        for (let pagesRead = 0; ; pagesRead += 1) {
          if (out.length >= limit) return out;
          const size = pageSize(limit - out.length, pagesRead);
          const members = await client.zrangebylexBuffer(
            keys.index(tenantId),
            range.min,
            range.max,
            'LIMIT',
            0,
            size,
          );
          if (members.length === 0) return out;
          const transaction = client.multi();
          for (const member of members) {
            transaction.hmget(keys.entry(tenantId, member), ...RECORD_FIELDS);
          }
          const rows = await execAll(transaction);
          for (const [index, member] of members.entries()) {
            if (out.length >= limit) return out;
            const current = liveRecord(decodeText(member), rows[index] as Fields, nowMs);
            if (current !== null) out.push(current);
          }
          if (members.length < size) return out;
          range = rangeAfter(range, members[members.length - 1]!);
        }
      }),

    listVersions: ({ tenantId, prefix, after, limit }) =>
      run('listVersions', async (client) => {
        const index = keys.index(tenantId);
        const { min, max } = keyRange(prefix, after);
        // The index holds every key with an entry, tombstones and expired values included.
        const members =
          Number.isInteger(limit) && limit > 0
            ? await client.zrangebylexBuffer(index, min, max, 'LIMIT', 0, limit)
            : (await client.zrangebylexBuffer(index, min, max)).slice(0, limit);
        if (members.length === 0) return [];
        const transaction = client.multi();
        for (const member of members) transaction.hget(keys.entry(tenantId, member), 'version');
        const versions = await execAll(transaction);
        const out: Array<{ key: string; version: number }> = [];
        for (const [position, member] of members.entries()) {
          const version = versions[position];
          // A key dropped between the two reads is gone; leave it out.
          if (version != null) out.push({ key: decodeText(member), version: Number(version) });
        }
        return out;
      }),

    history: ({ tenantId, key, afterVersion, limit }) =>
      run('history', async (client) => {
        if (Number.isNaN(afterVersion)) return [];
        const name = keys.history(tenantId, key);
        const min = `(${afterVersion}`;
        const members =
          Number.isInteger(limit) && limit > 0
            ? await client.zrangebyscore(name, min, '+inf', 'LIMIT', 0, limit)
            : (await client.zrangebyscore(name, min, '+inf')).slice(0, limit);
        return members.map(parseChange);
      }),

    async listExpired({ now, limit }) {
      const nowMs = epochMs('now', now);
      return run('listExpired', async (client) => {
        const out: Array<{ tenantId: string; key: string; version: number }> = [];
        await forEachTenantPage(client, keys.expiringTenants, async (tenantIds) => {
          if (out.length >= limit) return false;
          const due = client.pipeline();
          const missing = limit - out.length;
          const size = Number.isFinite(missing) ? Math.max(1, Math.ceil(missing)) : 10_000;
          for (const tenantId of tenantIds) {
            due
              .zrangebyscoreBuffer(keys.expiring(tenantId), '-inf', nowMs, 'LIMIT', 0, size)
              .zcard(keys.expiring(tenantId));
          }
          const replies = await execAll(due);
          const candidates: Array<{ tenantId: string; member: Buffer }> = [];
          const empty: string[] = [];
          tenantIds.forEach((tenantId, index) => {
            if (Number(replies[index * 2 + 1]) === 0) empty.push(tenantId);
            for (const member of replies[index * 2] as Buffer[]) {
              if (candidates.length < size) candidates.push({ tenantId, member });
            }
          });
          await prune(client, keys.expiringTenants, empty, keys.expiring);
          if (candidates.length === 0) return true;
          const read = client.pipeline();
          for (const { tenantId, member } of candidates) {
            read.hmget(keys.entry(tenantId, member), 'version', 'deleted', 'expiresAtMs');
          }
          const rows = (await execAll(read)) as Fields[];
          for (const [index, { tenantId, member }] of candidates.entries()) {
            const [version, deleted, expiresAtMs] = rows[index]!;
            // The scripts keep the expiry set in step with the entries; this skips a value
            // changed between the two reads.
            if (version == null || deleted === '1' || !expiresAtMs) continue;
            if (Number(expiresAtMs) > nowMs) continue;
            if (out.length >= limit) return false;
            out.push({ tenantId, key: decodeText(member), version: Number(version) });
          }
          return !(out.length >= limit);
        });
        return out;
      });
    },

    async trimHistory({ before }) {
      const beforeMs = epochMs('before', before);
      await run('trimHistory', (client) =>
        forEachTenantPage(client, keys.tenants, async (tenantIds) => {
          for (const tenantId of tenantIds) {
            await forEachKeyPage(client, tenantId, async (members) => {
              await runScript(
                client,
                TRIM_HISTORY,
                members.map((member) => keys.history(tenantId, member)),
                [beforeMs],
              );
            });
          }
          const sizes = client.pipeline();
          for (const tenantId of tenantIds) {
            sizes.zcard(keys.index(tenantId)).zcard(keys.expiring(tenantId));
          }
          const counts = (await execAll(sizes)).map(Number);
          const empty = tenantIds.filter((_, index) => counts[index * 2] === 0);
          await prune(client, keys.tenants, empty, keys.index);
          // Repairs an expiry registration lost between a write's script and its `SADD`.
          const expiring = tenantIds.filter((_, index) => counts[index * 2 + 1]! > 0);
          if (expiring.length > 0) {
            await client.sadd(keys.expiringTenants, ...expiring.map(encodeText));
          }
          return true;
        }),
      );
    },

    listSchemas: ({ tenantId }) =>
      run('listSchemas', async (client) => {
        const [revision, entries] = await execAll(
          client.multi().get(keys.revision(tenantId)).hvals(keys.schemas(tenantId)),
        );
        const schemas = (entries as string[])
          .map((entry) => JSON.parse(entry) as StateSchemaEntry)
          .sort((a, b) => (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0));
        return { revision: revision == null ? 0 : Number(revision), schemas };
      }),

    putSchema: ({ tenantId, pattern, schema, updatedAt, updatedBy }) => {
      const entry = toJson({ pattern, schema, updatedAt, updatedBy }, 'schema');
      return run('putSchema', async (client) => {
        const [, revision] = await execAll(
          client
            .multi()
            .hset(keys.schemas(tenantId), encodeText(pattern), entry)
            .incr(keys.revision(tenantId)),
        );
        return { revision: Number(revision) };
      });
    },

    deleteSchema: ({ tenantId, pattern }) =>
      run('deleteSchema', async (client) => {
        const [deleted, revision] = (await runScript(
          client,
          DELETE_SCHEMA,
          [keys.schemas(tenantId), keys.revision(tenantId)],
          [encodeText(pattern)],
        )) as [number, number];
        return { deleted: deleted === 1, revision };
      }),

    dropTenant: ({ tenantId }) =>
      run('dropTenant', async (client) => {
        // Unregister first: a writer registers after its script, so a write that survives the
        // drop registers its tenant again.
        const member = encodeText(tenantId);
        await execAll(
          client.pipeline().srem(keys.tenants, member).srem(keys.expiringTenants, member),
        );
        const index = keys.index(tenantId);
        const expiring = keys.expiring(tenantId);
        for (;;) {
          const members = await client.zrangeBuffer(index, 0, PAGE - 1);
          if (members.length > 0) {
            await runScript(
              client,
              DROP_KEYS,
              [
                index,
                expiring,
                ...members.map((name) => keys.entry(tenantId, name)),
                ...members.map((name) => keys.history(tenantId, name)),
              ],
              members,
            );
            continue;
          }
          const done = await runScript(
            client,
            DROP_TENANT,
            [index, expiring, keys.revision(tenantId), keys.schemas(tenantId)],
            [],
          );
          if (done === 1) return;
        }
      }),
  };
}
