import type { AuditKeyRing } from '@memnex/audit';
import type { Logger } from '../logger.js';
import type { MemoryType, TrustLevel } from '../wire/common.js';
import type { Stores } from '../ports/index.js';
import type { EmbeddingModels } from './embedding-models.js';
import type { ContentScreen, IdentifierNormalizer, PiiMasker } from '../seams.js';
import type { FactExtractor } from '../extract/fact-extractor.js';
import type { KeyedMutex } from '../util/keyed-mutex.js';
import type { SearchTuning } from './search-tuning.js';
import type { KeyCache } from './key-cache.js';
import type { TenantCache } from './tenants.js';
import type { UsageRecorder } from './usage.js';

/** Everything the engine's operations share. Built once by createMemnex. */
export interface EngineContext {
  /** Random id of this engine instance, stamped on the bus events it publishes. */
  instanceId: string;
  stores: Stores;
  /** The embedding models of the semantic index, and their embedders. */
  models: EmbeddingModels;
  logger: Logger;
  screen: ContentScreen;
  masker: PiiMasker;
  identifiers: IdentifierNormalizer;
  /** Keys that seal the ledger and sign receipts; the current one signs, all verify. */
  auditKeys: AuditKeyRing;
  /** Engine-wide lowest trust per fact type; a tenant's `minTrust` setting overrides it. */
  minTrust: Partial<Record<MemoryType, TrustLevel>>;
  now: () => Date;
  tenants: TenantCache;
  /** API keys by id, so that authenticating a request rarely reaches the store. */
  keys: KeyCache;
  userLocks: KeyedMutex;
  cacheTtlSeconds: number;
  search: SearchTuning;
  /** Model extractor for raw-text writes; null means the built-in rules only. */
  extractor: FactExtractor | null;
  /** Counts reads, writes and cache lookups per tenant and hour (the console's overview). */
  usage: UsageRecorder;
}

/** Per-call facts that do not belong to the wire input. */
export interface CallContext {
  /** Who acts: an API key id, or `system` for in-process calls. */
  actor?: string;
  /**
   * Scopes of the caller's key, checked by operations that need one (e.g. `pii:reveal`).
   * In-process callers pass the scopes they act with.
   */
  callerScopes?: readonly string[];
}
