import type {
  AuditEntryView,
  AuditListInput,
  ChainVerificationView,
  Channel,
  CreateKeyInput,
  CreatedKey,
  ExportDocument,
  ExportInput,
  ForgetInput,
  ForgetReceipt,
  IdentifierInput,
  KeyReceipt,
  KeyView,
  LinkInput,
  LinkResult,
  MemnexError,
  MergeInput,
  MergeReceipt,
  ReadInput,
  ReadResult,
  ReceiptVerificationView,
  ResolvedUser,
  RevealInput,
  RevealResult,
  SearchInput,
  SearchResult,
  StateDeleteResult,
  StateEntry,
  StateEvent,
  StateEventKind,
  StateListResult,
  StateReady,
  StateSchemaRecord,
  StateSetInput,
  TimelineInput,
  TimelineResult,
  TraceInput,
  TraceResult,
  UnlinkResult,
  UnmergeInput,
  UnmergeReceipt,
  WriteInput,
  WriteResult,
  tenantStatsSchema,
} from '@memnex/core/wire';

/** Options of {@link createMemnexClient}. */
export interface MemnexClientOptions {
  /** Base URL of the Memnex server, e.g. `http://127.0.0.1:8000`; a trailing `/v1` is accepted. */
  url: string;
  /** API key, sent as `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** Channel this agent talks on: the source channel of writes and the format of reads. */
  channel?: Channel;
  /** fetch implementation; defaults to `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Retries after the first attempt of an idempotent call; defaults to 2. */
  maxRetries?: number;
  /** Time limit of each attempt in milliseconds; defaults to 30 000. */
  timeoutMs?: number;
  /** Extra headers sent with every request, e.g. for a proxy in front of Memnex. */
  headers?: Record<string, string>;
  /** Base of the exponential backoff between retries in milliseconds; defaults to 250. */
  retryDelayMs?: number;
  /**
   * WebSocket class for `state.subscribe`, e.g. the `ws` package's on Node 20; defaults to
   * `globalThis.WebSocket`. Without one, or with `null`, subscriptions use server-sent events over
   * `fetch`, one stream each.
   */
  WebSocket?: StateWebSocketConstructor | null;
}

/**
 * The part of a WebSocket the client uses: the browser's `WebSocket`, Node 22's global one and the
 * `ws` package's class all fit. Handler parameters are `never` so that each class's own event types
 * are accepted.
 */
export interface StateWebSocket {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Sends a text frame. */
  send(data: string): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  /** Called once the socket is open. */
  onopen: ((event: never) => void) | null;
  /** Called with each message; `event.data` holds the text. */
  onmessage: ((event: never) => void) | null;
  /** Called once the socket is closed, with `event.code` and `event.reason`. */
  onclose: ((event: never) => void) | null;
  /** Called when the socket fails; a close follows. */
  onerror: ((event: never) => void) | null;
}

/** A WebSocket class: `new WebSocket(url)`. */
export type StateWebSocketConstructor = new (url: string) => StateWebSocket;

/** Per-call options every method accepts as its last argument. */
export interface RequestOptions {
  /** Cancels the call, including any retry still to come; the call rejects with the abort reason. */
  signal?: AbortSignal;
}

/** Per-call options of `memory.write`. */
export interface WriteRequestOptions extends RequestOptions {
  /**
   * Key that makes repeats of this write harmless; wins over `input.idempotencyKey`, and one is
   * generated per call when neither is given.
   */
  idempotencyKey?: string;
}

/** Counts of what a tenant holds now: people, and current memories by kind, type and channel. */
export type TenantStats = (typeof tenantStatsSchema)['_zod']['output'];

/** Reading and writing what is remembered about people. */
export interface MemoryClient {
  /** Stores facts and messages about a person; retried safely under one idempotency key. */
  write(input: WriteInput, options?: WriteRequestOptions): Promise<WriteResult>;
  /** Returns the person's context, rendered for a channel and cut to a token budget. */
  read(input: ReadInput, options?: RequestOptions): Promise<ReadResult>;
  /** Finds the person's memories that match a query. */
  search(input: SearchInput, options?: RequestOptions): Promise<SearchResult>;
  /** Checks which claims of a draft answer are backed by the person's memories. */
  trace(input: TraceInput, options?: RequestOptions): Promise<TraceResult>;
  /** Erases a person, or some of their memories, and returns a signed receipt. */
  forget(input: ForgetInput, options?: RequestOptions): Promise<ForgetReceipt>;
  /** Returns everything held about a person, for a data-access request. */
  export(input: ExportInput, options?: RequestOptions): Promise<ExportDocument>;
  /** Returns how the person's memories were created, superseded, resolved and expired. */
  timeline(input: TimelineInput, options?: RequestOptions): Promise<TimelineResult>;
  /** Decrypts the masked PII of some memories; never retried, since each reveal is audited. */
  reveal(input: RevealInput, options?: RequestOptions): Promise<RevealResult>;
}

/** Who a channel identifier belongs to, and merging records of one person. */
export interface UsersClient {
  /** The user an identifier belongs to, or `null` when it belongs to nobody. */
  resolve(input: IdentifierInput, options?: RequestOptions): Promise<ResolvedUser | null>;
  /** Links an identifier to a user, creating the user when absent. */
  link(input: LinkInput, options?: RequestOptions): Promise<LinkResult>;
  /** Removes the link of an identifier. */
  unlink(input: IdentifierInput, options?: RequestOptions): Promise<UnlinkResult>;
  /** Merges two records of one person; never retried. */
  merge(input: MergeInput, options?: RequestOptions): Promise<MergeReceipt>;
  /** Undoes a merge; never retried. */
  unmerge(input: UnmergeInput, options?: RequestOptions): Promise<UnmergeReceipt>;
}

/** The tenant's API keys. */
export interface KeysClient {
  /** Creates a key; the raw key is in the result, once. Never retried: a retry would mint two. */
  create(input: CreateKeyInput, options?: RequestOptions): Promise<CreatedKey>;
  /** Lists the tenant's keys, without their secrets. */
  list(options?: RequestOptions): Promise<KeyView[]>;
  /** Revokes a key and returns the key as stored with a signed receipt. */
  revoke(
    keyId: string,
    options?: RequestOptions,
  ): Promise<{ record: KeyView; receipt: KeyReceipt }>;
}

/** The tenant's tamper-evident audit ledger. */
export interface AuditClient {
  /** Lists ledger entries after a sequence number, optionally of one operation. */
  entries(input?: AuditListInput, options?: RequestOptions): Promise<AuditEntryView[]>;
  /** Checks the whole ledger's hash chain and MACs. */
  verify(options?: RequestOptions): Promise<ChainVerificationView>;
  /** Checks the signature of a receipt exactly as Memnex returned it. */
  verifyReceipt(receipt: object, options?: RequestOptions): Promise<ReceiptVerificationView>;
}

/** The tenant the API key belongs to. */
export interface TenantClient {
  /** Counts of the people and memories the tenant holds now. */
  stats(options?: RequestOptions): Promise<TenantStats>;
}

/** Options of `state.set`. */
export interface StateSetOptions extends RequestOptions {
  /** Compare-and-set: write only if the current version is this; 0 writes only an absent key. */
  ifVersion?: number;
  /** Expire the value this many seconds after the write. */
  ttlSeconds?: number;
}

/** Options of `state.delete`. */
export interface StateDeleteOptions extends RequestOptions {
  /** Delete only if the current version is this. */
  ifVersion?: number;
}

/** Filter and page of `state.list`. */
export interface StateListOptions extends RequestOptions {
  /** Only keys matching this glob: `*` matches anything (`:` and `/` too), `?` one character. */
  pattern?: string;
  /** Only keys starting with this. */
  prefix?: string;
  /** Entries per page, 1 to 1000; the server's default is 100. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** The JSON value of `state.set`. */
export type StateValue = StateSetInput['value'];

/** A JSON Schema: an object, or `true` / `false`. */
export type StateJsonSchema = Record<string, unknown> | boolean;

/** What `state.deleteSchema` answers. */
export interface StateSchemaDeleteResult {
  /** The key or glob of the schema. */
  pattern: string;
  /** False when no schema was registered for it. */
  deleted: boolean;
}

/** Receives each change of a subscription, in version order per key. */
export type StateEventHandler = (event: StateEvent) => void | Promise<void>;

/** What `onError` learns besides the error. */
export interface StateSubscriptionErrorInfo {
  /**
   * True when the subscription has ended because of this error (a rejected or revoked key, a key
   * without the needed scope, an invalid pattern); false when it goes on, reconnecting if needed.
   */
  fatal: boolean;
}

/** Options of `state.subscribe`. */
export interface StateSubscriptionOptions {
  /**
   * Replay the changes after this version of each matching key before the live ones; 0 replays
   * every key's current value. Applies to the first subscribe only: reconnects resume from what
   * the subscription has seen. Absent: only changes after the subscription starts.
   */
  sinceVersion?: number;
  /** Kinds of event wanted; all three by default. */
  events?: StateEventKind[];
  /**
   * Called with every failure: lost connections (`NETWORK_ERROR`, retried), errors of the server,
   * and exceptions of the handler (`INTERNAL`, with the thrown value as `cause`).
   */
  onError?: (error: MemnexError, info: StateSubscriptionErrorInfo) => void;
  /** Called with each `ready`: on the first subscribe and after every reconnect. */
  onReady?: (ready: StateReady) => void;
  /** Closes the subscription when aborted. */
  signal?: AbortSignal;
}

/** A live subscription of `state.subscribe`. */
export interface StateSubscription {
  /** The key or glob subscribed to. */
  readonly pattern: string;
  /**
   * Resolves on the first `ready`; rejects when the subscription ends before it (a fatal error, or
   * `close()`, with an `AbortError`). Rejections need not be handled.
   */
  readonly ready: Promise<void>;
  /** True once closed by `close()`, by the signal, or by a fatal error. */
  readonly closed: boolean;
  /** Stops the subscription; the connection closes with the last subscription on it. */
  close(): void;
}

/** Shared JSON state: versioned values under keys, JSON Schemas over globs, and live changes. */
export interface StateClient {
  /** The value of a key, or `null` when it has none. */
  get(key: string, options?: RequestOptions): Promise<StateEntry | null>;
  /**
   * Writes a value. With `ifVersion`, fails with `CONFLICT` (`details.currentVersion`) when the
   * key has moved on, and is never retried; without it, a retry writes the same value again.
   */
  set(key: string, value: StateValue, options?: StateSetOptions): Promise<StateEntry>;
  /** Deletes a key's value; `deleted` is false when it had none. */
  delete(key: string, options?: StateDeleteOptions): Promise<StateDeleteResult>;
  /** One page of entries, in key order. */
  list(options?: StateListOptions): Promise<StateListResult>;
  /** Every entry matching the filter, fetching page after page as the loop goes on. */
  listAll(options?: Omit<StateListOptions, 'cursor'>): AsyncGenerator<StateEntry, void, undefined>;
  /** The schema registered for a key or glob, or `null` when there is none. */
  getSchema(pattern: string, options?: RequestOptions): Promise<StateSchemaRecord | null>;
  /** Registers (or replaces) the JSON Schema that values of matching keys must satisfy. */
  setSchema(
    pattern: string,
    schema: StateJsonSchema,
    options?: RequestOptions,
  ): Promise<StateSchemaRecord>;
  /** Removes the schema of a key or glob. */
  deleteSchema(pattern: string, options?: RequestOptions): Promise<StateSchemaDeleteResult>;
  /** Every registered schema. */
  listSchemas(options?: RequestOptions): Promise<StateSchemaRecord[]>;
  /**
   * Calls `handler` with every change of a key, or of the keys matching a glob, until closed.
   * Reconnects by itself and resumes where it left off, so that no change is missed or repeated.
   * Throws `VALIDATION_FAILED` at once for an invalid pattern or options.
   */
  subscribe(
    keyOrGlob: string,
    handler: StateEventHandler,
    options?: StateSubscriptionOptions,
  ): StateSubscription;
}

/** A typed client of the Memnex REST API. */
export interface MemnexClient {
  /** Reading and writing memories. */
  readonly memory: MemoryClient;
  /** Identifiers, merges and unmerges. */
  readonly users: UsersClient;
  /** API keys. */
  readonly keys: KeysClient;
  /** The audit ledger and receipts. */
  readonly audit: AuditClient;
  /** The tenant's statistics. */
  readonly tenant: TenantClient;
  /** Shared JSON state and its live changes. */
  readonly state: StateClient;
}
