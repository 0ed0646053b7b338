import { randomBytes, randomUUID } from 'node:crypto';
import {
  createAuditKeyRing,
  type ChainVerification,
  type ReceiptVerification,
} from '@memnex/audit';
import { createIdentifierNormalizer } from '@memnex/identity';
import {
  createInjectionScreen,
  type AnalyzerFailureMode,
  type MaskStrategy,
  type PiiAnalyzer,
  type PiiAnalyzerStats,
  type PiiKind,
} from '@memnex/privacy';
import { silentLogger, type Logger } from '../logger.js';
import { createEngineMasker } from './pii-masking.js';
import type { AuditEntry, TenantRecord } from '../model.js';
import type { AccountRecord } from '../ports/index.js';
import type {
  AuditLog,
  BusEvent,
  Embedder,
  EmbedderResolver,
  EmbeddingModelState,
  Stores,
} from '../ports/index.js';
import { createListeners } from '../util/listeners.js';
import type { ContentScreen, IdentifierNormalizer, PiiMasker } from '../seams.js';
import type { FactExtractor } from '../extract/fact-extractor.js';
import type { MemoryType, TrustLevel } from '../wire/common.js';
import type { CreatedKey, KeyReceipt, KeyView } from '../wire/keys.js';
import type { MergeReceipt, UnmergeReceipt } from '../wire/users.js';
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
import { listAudit, verifyAudit, checkReceipt } from './audit-api.js';
import { identifierNormalizer } from './identifiers.js';
import {
  createKey,
  listKeys,
  revokeKey,
  verifyKey,
  type CreateKeyOptions,
  type VerifiedKey,
} from './keys.js';
import { mergeUsers, unmergeUser, type MergeOptions, type UnmergeOptions } from './merge.js';
import { revealPii, type RevealOptions } from './reveal.js';
import type { CallContext } from './context.js';
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
import { createTenant, tenantStats, updateTenant, type TenantsApi } from './tenants-api.js';
import { splitTenant } from './validate.js';
import { checkHealth, type HealthReport } from './health.js';
import { KeyCache } from './key-cache.js';
import { TenantCache } from './tenants.js';
import { timeline, type TimelineOptions } from './timeline.js';
import { trace, type TraceOptions } from './trace.js';
import { write, type WriteOptions } from './write.js';
import { createStateService, type StateApi, type StateOptions } from './state/index.js';
import { DEFAULT_MODEL_REFRESH_MS, EmbeddingModels, fixedResolver } from './embedding-models.js';
import { reembed, type ReembedOptions, type ReembedResult } from './reembed.js';
import {
  createLifecycleService,
  type LifecycleApi,
  type LifecycleOptions,
} from './lifecycle/index.js';
import {
  accountView,
  createAccount,
  findAccountByEmail,
  getAccount,
  recordLogin,
  type AccountView,
  type CreateAccountOptions,
} from './accounts.js';
import { UsageRecorder, type UsageOptions } from './usage.js';
import { getUserProfile, type UserProfile, type UserProfileOptions } from './user-profile.js';

/** Options of {@link createMemnex}. */
export interface MemnexOptions {
  /** The five stores (e.g. `createMemoryStores()` or `createPostgresStores(...)`). */
  stores: Stores;
  /** Embeds memories and queries for vector search; without it search is lexical only. */
  embedder?: Embedder | null;
  /**
   * Builds embedders from model specs, so that this instance can embed with whichever model the
   * semantic index serves (see `memnex.embeddings.reembed`); takes the place of `embedder`.
   */
  embedders?: EmbedderResolver | null;
  /**
   * How often the embedding models of the semantic index are re-read, in ms (default 30 000);
   * changes also arrive over the bus. A write reads them again when what it knows is older than
   * this, and a re-embed waits this long for every instance to learn of it before it switches,
   * so give every instance the same value. 0 re-reads only on bus events and gaps, and after
   * every write.
   */
  embeddingRefreshMs?: number;
  /** Where the engine logs; silent by default. */
  logger?: Logger;
  /**
   * HMAC key(s) that seal the audit ledger and sign receipts (`MEMNEX_AUDIT_KEY`): a secret of
   * at least 16 bytes, a spec `id:secret,oldId:oldSecret` (first signs, all verify), or a list.
   * A random per-process key when absent, so receipts cannot be verified after a restart.
   */
  auditKey?: string | Uint8Array | ReadonlyArray<{ id: string; secret: string | Uint8Array }>;
  /**
   * Secret of the PII masks (`MEMNEX_PII_KEY`): tokens and encryption keys are derived from it
   * per tenant. A random per-process key when absent, so equal values stop matching after a
   * restart and encrypted values cannot be revealed.
   */
  piiKey?: string | Uint8Array;
  /** How PII is masked: `token` (keyed HMAC, the default), `redact` or `encrypt` (AES-256-GCM). */
  piiStrategy?: MaskStrategy;
  /** Kinds of PII to mask; all but `dob` by default. */
  piiKinds?: readonly PiiKind[];
  /**
   * An external PII analyzer (e.g. `createPresidioAnalyzer` of `@memnex/privacy`) whose findings
   * the built-in masker adds; only used when `masker` is not given.
   */
  piiAnalyzer?: PiiAnalyzer;
  /**
   * When the analyzer fails: `builtin` (default) masks with the built-in detectors alone;
   * `reject` refuses the write with `STORAGE_UNAVAILABLE`.
   */
  piiAnalyzerFailure?: AnalyzerFailureMode;
  /** Phone region (ISO 3166-1 alpha-2) for national numbers when a tenant sets none. */
  defaultRegion?: string;
  /** Lowest trust per fact type for every tenant; a tenant's `minTrust` setting overrides it. */
  minTrust?: Partial<Record<MemoryType, TrustLevel>>;
  /**
   * Finds facts in raw-text writes with a model (e.g. `createLlmExtractor` of
   * `@memnex/extractors`); when it fails, the built-in rules extract instead and the write result
   * says so. The rules alone by default.
   */
  extractor?: FactExtractor;
  /** Prompt-injection screen for every written item; `false` turns screening off. */
  screen?: ContentScreen | false;
  /** PII masker applied before anything is stored; `false` stores text unmasked. */
  masker?: PiiMasker | false;
  /** Channel identifier normaliser; `@memnex/identity` with `defaultRegion` by default. */
  identifiers?: IdentifierNormalizer;
  /** Clock, for tests. */
  now?: () => Date;
  /** How long a user's working set may stay in the hot cache, in seconds (default 3600). */
  cacheTtlSeconds?: number;
  /** Hybrid retrieval parameters. */
  search?: Partial<SearchTuning>;
  /** Shared state: expiry sweep interval, history retention. */
  state?: StateOptions;
  /** Memory retention sweep (interval, grace window, lease) and compaction decay. */
  lifecycle?: LifecycleOptions;
  /** Hourly usage counters: how often they are stored, how long they are kept. */
  usage?: UsageOptions;
}

/** The Memnex engine. Every method takes one options object with the `tenantId`. */
/**
 * A change to a tenant's data, as `memnex.events` delivers it: memories of a user changed, a
 * user was forgotten, identifiers moved, tenant settings changed. `origin` names the engine
 * instance that made the change.
 */
export type MemnexEvent = Exclude<BusEvent, { type: 'embedding.changed' }>;

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
  /** Merging and unmerging records of one person. */
  users: {
    /** Move `from`'s memories, identifiers and vectors to `into`; signed receipt. */
    merge(options: MergeOptions): Promise<MergeReceipt>;
    /** Undo the merge of `user` from its ledger entry; signed receipt. */
    unmerge(options: UnmergeOptions): Promise<UnmergeReceipt>;
    /** The user's ids, identifiers and dates, or null when the tenant has no such user. */
    get(options: UserProfileOptions): Promise<UserProfile | null>;
  };
  /** Accounts of the web console; the console hashes and checks passwords itself. */
  accounts: {
    /** Create an account; `CONFLICT` when the e-mail is taken in any tenant. */
    create(options: CreateAccountOptions): Promise<AccountView>;
    /** The account with this e-mail, in any tenant, with its password hash (to sign in). */
    findByEmail(options: { email: string }): Promise<AccountRecord | null>;
    /** The tenant's account with this id, or null. */
    get(options: { tenantId: string; accountId: string }): Promise<AccountView | null>;
    /** The tenant's accounts, oldest first. */
    list(options: { tenantId: string }): Promise<AccountView[]>;
    /** Record a successful sign-in (last login, ledger entry `account.login`). */
    recordLogin(options: { tenantId: string; accountId: string }): Promise<void>;
  };
  /** API keys of tenants. */
  keys: {
    /** Create a key; the raw key is in the result once and never again. */
    create(options: CreateKeyOptions): Promise<CreatedKey>;
    list(options: { tenantId: string }): Promise<KeyView[]>;
    revoke(
      options: { tenantId: string; keyId: string } & CallContext,
    ): Promise<{ record: KeyView; receipt: KeyReceipt }>;
    /** Authenticate a raw key; `UNAUTHENTICATED` when it is malformed, unknown or revoked. */
    verify(options: { key: string }): Promise<VerifiedKey>;
  };
  /** Changes as they happen: this instance's, and every instance's on a cross-instance bus. */
  events: {
    /**
     * Receive every {@link MemnexEvent} from `init()` until `close()`; returns a function that
     * stops the subscription. A throwing handler is logged and does not affect the others.
     */
    subscribe(handler: (event: MemnexEvent) => void): () => void;
  };
  /** The tamper-evident ledger. */
  audit: {
    /** Entries in seq order; at most `limit` (default 100, max 1000). */
    list(options: Parameters<AuditLog['list']>[0]): Promise<AuditEntry[]>;
    /** Verify the tenant's whole chain; names the first bad entry. */
    verify(options: { tenantId: string }): Promise<ChainVerification>;
    /** Check a receipt (forget, merge, key, write) against the audit keys. */
    verifyReceipt(receipt: Record<string, unknown>): ReceiptVerification;
  };
  /** Whether every store answers now (readiness); never throws. */
  health(): Promise<HealthReport>;
  /**
   * The engine's clock (the `now` option, else the system's): what times to live, reads and
   * stamps are measured by. Surfaces that judge what is current use it too (`isCurrentMemory`).
   */
  now(): Date;
  /** Shared state for agent teams: values, schemas, subscriptions (DESIGN §5). */
  state: StateApi;
  /** The life of memories after they are written: expiry, deletion, compaction. */
  lifecycle: LifecycleApi;
  /** The embedding models of the semantic index, and switching between them. */
  embeddings: {
    /** The models the index serves, read afresh; null when nothing embeds or none is recorded. */
    state(): Promise<EmbeddingModelState | null>;
    /**
     * Embed every memory with a model and switch searches to it, with no downtime; resumable.
     * Every instance needs to be able to build that model's embedder from its spec.
     */
    reembed(options?: ReembedOptions): Promise<ReembedResult>;
  };
  /** PII held in reversible form. */
  privacy: {
    /** Decrypt `encrypt`-masked PII of some memories; needs `pii:reveal`; audited. */
    reveal(options: RevealOptions): ReturnType<typeof revealPii>;
    /** Calls and failures of the external PII analyzer; null when there is none. */
    analyzerStats(): PiiAnalyzerStats | null;
  };
}

/** Create the Memnex engine over a set of stores. */
export function createMemnex(options: MemnexOptions): Memnex {
  const logger = options.logger ?? silentLogger;
  if (options.auditKey === undefined) {
    logger.warn('no audit key configured: receipts are signed with a random per-process key');
  }
  const { masker, analyzerStats } = createEngineMasker(options, logger);
  const now = options.now ?? (() => new Date());
  const context: EngineContext = {
    instanceId: randomUUID(),
    stores: options.stores,
    models: new EmbeddingModels({
      semantic: options.stores.semantic,
      resolver: options.embedders ?? (options.embedder ? fixedResolver(options.embedder) : null),
      logger,
      now,
      refreshMs: options.embeddingRefreshMs ?? DEFAULT_MODEL_REFRESH_MS,
    }),
    logger,
    screen:
      options.screen === false
        ? { screen: () => ({ allowed: true }) }
        : (options.screen ?? createInjectionScreen()),
    masker,
    identifiers: identifierNormalizer(
      options.identifiers ?? createIdentifierNormalizer({ defaultRegion: options.defaultRegion }),
    ),
    auditKeys: createAuditKeyRing(options.auditKey ?? randomBytes(32)),
    minTrust: options.minTrust ?? {},
    now,
    tenants: new TenantCache(options.stores.warm),
    keys: new KeyCache(options.stores.warm),
    userLocks: new KeyedMutex(),
    cacheTtlSeconds: options.cacheTtlSeconds ?? 3600,
    search: { ...DEFAULT_SEARCH_TUNING, ...options.search },
    extractor: options.extractor ?? null,
    usage: new UsageRecorder(options.stores.usage, now, logger, options.usage),
  };
  const stores = Object.values(options.stores) as Array<Stores[keyof Stores]>;
  let unsubscribe: (() => void) | null = null;
  let started: Promise<void> | null = null;

  const { hot } = options.stores;
  const listeners = createListeners<MemnexEvent>();
  const state = createStateService(context, options.state);
  const lifecycle = createLifecycleService(context, options.lifecycle);
  const onEvent = (event: BusEvent) => {
    if (event.type === 'embedding.changed') {
      context.models.onBusEvent(event);
      return;
    }
    listeners.emit(event, {
      onError: (error) => logger.error('event handler failed', { error, type: event.type }),
    });
    const drop = (work: Promise<unknown>) =>
      work.catch((error: unknown) =>
        logger.error('cache update from bus event failed', { error, type: event.type }),
      );
    if (event.type === 'tenant.changed' && event.origin !== context.instanceId) {
      context.tenants.drop(event.tenantId);
      context.keys.dropTenant(event.tenantId);
    }
    state.onBusEvent(event);
    // The publisher already updated its own caches, and a shared hot store with them.
    if (event.origin === context.instanceId) return;
    if (event.type === 'tenant.changed' || event.type.startsWith('state.')) return;
    if (hot.capabilities.shared) return;
    if (event.type === 'memory.changed') drop(hot.invalidate(event));
    else if (event.type === 'identity.changed') {
      const { tenantId } = event;
      drop(Promise.all(event.identifierKeys.map((key) => hot.deleteIdentifier({ tenantId, key }))));
    } else if (event.type === 'user.forgotten') drop(hot.forgetUser(event));
  };
  let removeGapListener: (() => void) | null = null;

  return {
    init() {
      started ??= (async () => {
        for (const store of stores) await store.init();
        await context.models.start();
        unsubscribe = options.stores.bus.subscribe(onEvent);
        state.start();
        lifecycle.start();
        context.usage.start();
        // Missed events mean stale caches: drop them rather than trust them.
        removeGapListener = options.stores.bus.onGap(() => {
          context.tenants.clear();
          context.keys.clear();
          state.onGap();
          void context.models.refresh();
          // A shared hot store is invalidated by writers directly; only private caches go stale.
          if (hot.capabilities.shared) return;
          hot.clear().catch((error: unknown) => logger.error('hot cache clear failed', { error }));
        });
      })();
      return started;
    },
    async close() {
      state.stop();
      await lifecycle.stop();
      // What this instance counted goes to the store while it is still open.
      if (started) await context.usage.stop();
      unsubscribe?.();
      removeGapListener?.();
      unsubscribe = null;
      removeGapListener = null;
      started = null;
      for (const store of [...stores].reverse()) await store.close();
      await context.models.stop();
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
      update: (input) => updateTenant(context, input),
      stats: (input) => tenantStats(context, input),
      usage: ({ tenantId, hours = 24 }) =>
        context.usage.usage(splitTenant({ tenantId })[0], clampHours(hours)),
    },
    identifiers: {
      link: (input) => linkIdentifier(context, input),
      unlink: (input) => unlinkIdentifier(context, input),
      resolve: (input) => resolveIdentifier(context, input),
    },
    users: {
      merge: (input) => mergeUsers(context, input),
      unmerge: (input) => unmergeUser(context, input),
      get: (input) => getUserProfile(context, input),
    },
    accounts: {
      create: (input) => createAccount(context, input),
      findByEmail: (input) => findAccountByEmail(context, input),
      get: (input) => getAccount(context, input),
      list: async ({ tenantId }) =>
        (await options.stores.accounts.list({ tenantId: splitTenant({ tenantId })[0] })).map(
          accountView,
        ),
      recordLogin: (input) => recordLogin(context, input),
    },
    keys: {
      create: (input) => createKey(context, input),
      list: (input) => listKeys(context, input),
      revoke: (input) => revokeKey(context, input),
      verify: (input) => verifyKey(context, input),
    },
    events: { subscribe: (handler) => listeners.add(handler) },
    audit: {
      list: (input) => listAudit(context, input),
      verify: (input) => verifyAudit(context, input),
      verifyReceipt: (receipt) => checkReceipt(context, receipt),
    },
    health: () => checkHealth(context),
    now: () => context.now(),
    state: state.api,
    lifecycle: lifecycle.api,
    embeddings: {
      state: async () => (context.models.enabled ? context.models.reload() : null),
      reembed: (input) => reembed(context, input),
    },
    privacy: {
      reveal: (input) => revealPii(context, input),
      analyzerStats,
    },
  };
}

/** Hours of usage a caller may ask for: 1 to 24 × 31, whole. */
function clampHours(hours: number): number {
  return Number.isFinite(hours) ? Math.min(Math.max(Math.trunc(hours), 1), 24 * 31) : 24;
}
