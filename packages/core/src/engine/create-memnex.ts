import { randomBytes, randomUUID } from 'node:crypto';
import { silentLogger, type Logger } from '../logger.js';
import type { TenantRecord } from '../model.js';
import type { BusEvent, Embedder, Stores } from '../ports/index.js';
import type { ContentScreen, IdentifierNormalizer, PiiMasker } from '../seams.js';
import { KeyedMutex } from '../util/keyed-mutex.js';
import type {
  ExportDocument,
  ForgetReceipt,
  ReadResult,
  SearchResult,
  TimelineResult,
  TraceResult,
  WriteResult,
} from '../wire/memory.js';
import type { EngineContext } from './context.js';
import { exportUser, importUser, type ExportOptions, type ImportOptions } from './export.js';
import { forget, type ForgetOptions } from './forget.js';
import { basicIdentifierNormalizer } from './identifiers.js';
import {
  linkIdentifier,
  resolveIdentifier,
  unlinkIdentifier,
  type IdentifierOptions,
  type LinkOptions,
} from './identity-api.js';
import { read, type ReadOptions } from './read.js';
import { search, type SearchOptions } from './search.js';
import { DEFAULT_SEARCH_TUNING, type SearchTuning } from './search-tuning.js';
import { createTenant, type TenantsApi } from './tenants-api.js';
import { TenantCache } from './tenants.js';
import { timeline, type TimelineOptions } from './timeline.js';
import { trace, type TraceOptions } from './trace.js';
import { write, type WriteOptions } from './write.js';

/** Options of {@link createMemnex}. */
export interface MemnexOptions {
  /** The five stores (e.g. `createMemoryStores()` or `createPostgresStores(...)`). */
  stores: Stores;
  /** Embeds memories and queries for vector search; without it search is lexical only. */
  embedder?: Embedder | null;
  /** Where the engine logs; silent by default. */
  logger?: Logger;
  /** HMAC key for audit entries and forget receipts; a random per-process key when absent. */
  auditKey?: string | Uint8Array;
  /** Prompt-injection screen applied to every written item; allows everything by default. */
  screen?: ContentScreen;
  /** PII masker applied before anything is stored; stores text unchanged by default. */
  masker?: PiiMasker;
  /** Channel identifier normaliser; a conservative built-in by default. */
  identifiers?: IdentifierNormalizer;
  /** Clock, for tests. */
  now?: () => Date;
  /** How long a user's working set may stay in the hot cache, in seconds (default 3600). */
  cacheTtlSeconds?: number;
  /** Hybrid retrieval parameters. */
  search?: Partial<SearchTuning>;
}

/** The Memnex engine. Every method takes one options object with the `tenantId`. */
export interface Memnex {
  /** Start the stores and subscribe to cross-instance events. Idempotent. */
  init(): Promise<void>;
  /** Stop listening and close the stores. Idempotent. */
  close(): Promise<void>;
  /** Write facts and messages about a user (DESIGN §4). */
  write(options: WriteOptions): Promise<WriteResult>;
  /** The user's current memories, ranked and packed under a token budget in a channel format. */
  read(options: ReadOptions): Promise<ReadResult>;
  /** Hybrid lexical + vector search over a user's memories. */
  search(options: SearchOptions): Promise<SearchResult>;
  /** Which claims of a draft reply the user's memories support. */
  trace(options: TraceOptions): Promise<TraceResult>;
  /** Delete a user (or some memories) everywhere and return a signed receipt. */
  forget(options: ForgetOptions): Promise<ForgetReceipt>;
  /** Everything held of a user, with history. */
  export(options: ExportOptions): Promise<ExportDocument>;
  /** Load an export document. */
  import(options: ImportOptions): ReturnType<typeof importUser>;
  /** Facts learnt, superseded and resolved over time. */
  timeline(options: TimelineOptions): Promise<TimelineResult>;
  /** Tenant management. */
  tenants: TenantsApi;
  /** Channel identifiers of users. */
  identifiers: {
    link(options: LinkOptions): ReturnType<typeof linkIdentifier>;
    unlink(options: IdentifierOptions): ReturnType<typeof unlinkIdentifier>;
    resolve(options: IdentifierOptions): ReturnType<typeof resolveIdentifier>;
  };
}

/** Create the Memnex engine over a set of stores. */
export function createMemnex(options: MemnexOptions): Memnex {
  const logger = options.logger ?? silentLogger;
  if (options.auditKey === undefined) {
    logger.warn('no audit key configured: receipts are signed with a random per-process key');
  }
  const context: EngineContext = {
    instanceId: randomUUID(),
    stores: options.stores,
    embedder: options.embedder ?? null,
    logger,
    screen: options.screen ?? { screen: () => ({ allowed: true }) },
    masker: options.masker ?? { mask: ({ text }) => ({ text, fields: [] }) },
    identifiers: options.identifiers ?? basicIdentifierNormalizer,
    auditKey: options.auditKey ?? randomBytes(32),
    now: options.now ?? (() => new Date()),
    tenants: new TenantCache(options.stores.warm),
    userLocks: new KeyedMutex(),
    cacheTtlSeconds: options.cacheTtlSeconds ?? 3600,
    search: { ...DEFAULT_SEARCH_TUNING, ...options.search },
  };
  const stores = Object.values(options.stores) as Array<Stores[keyof Stores]>;
  let unsubscribe: (() => void) | null = null;
  let started: Promise<void> | null = null;

  const { hot } = options.stores;
  const onEvent = (event: BusEvent) => {
    const drop = (work: Promise<unknown>) =>
      work.catch((error: unknown) =>
        logger.error('cache update from bus event failed', { error, type: event.type }),
      );
    // The publisher already updated its own caches, and a shared hot store with them.
    if (event.origin === context.instanceId) return;
    if (event.type === 'tenant.changed') context.tenants.drop(event.tenantId);
    else if (hot.capabilities.shared) return;
    else if (event.type === 'memory.changed') drop(hot.invalidate(event));
    else drop(hot.forgetUser(event));
  };
  let removeGapListener: (() => void) | null = null;

  return {
    init() {
      started ??= (async () => {
        for (const store of stores) await store.init();
        await context.embedder?.init?.();
        unsubscribe = options.stores.bus.subscribe(onEvent);
        // Missed events mean stale caches: drop them rather than trust them.
        removeGapListener = options.stores.bus.onGap(() => {
          context.tenants.clear();
          hot.clear().catch((error: unknown) => logger.error('hot cache clear failed', { error }));
        });
      })();
      return started;
    },
    async close() {
      unsubscribe?.();
      removeGapListener?.();
      unsubscribe = null;
      removeGapListener = null;
      started = null;
      for (const store of [...stores].reverse()) await store.close();
      await context.embedder?.close?.();
    },
    write: (input) => write(context, input),
    read: (input) => read(context, input),
    search: (input) => search(context, input),
    trace: (input) => trace(context, input),
    forget: (input) => forget(context, input),
    export: (input) => exportUser(context, input),
    import: (input) => importUser(context, input),
    timeline: (input) => timeline(context, input),
    tenants: {
      create: (input) => createTenant(context, input),
      get: async ({ tenantId }): Promise<TenantRecord | null> =>
        options.stores.warm.getTenant({ tenantId }),
      update: async ({ tenantId, set }) => {
        const updated = await options.stores.warm.updateTenant({ tenantId, set });
        context.tenants.drop(tenantId);
        await options.stores.bus.publish({
          origin: context.instanceId,
          type: 'tenant.changed',
          tenantId,
        });
        return updated;
      },
    },
    identifiers: {
      link: (input) => linkIdentifier(context, input),
      unlink: (input) => unlinkIdentifier(context, input),
      resolve: (input) => resolveIdentifier(context, input),
    },
  };
}
