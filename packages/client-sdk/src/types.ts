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
}

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
}
