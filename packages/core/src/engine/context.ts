import type { AuditKeyRing } from '@memnex/audit';
import type { Logger } from '../logger.js';
import type { MemoryType, TrustLevel } from '../wire/common.js';
import type { Embedder, Stores } from '../ports/index.js';
import type { ContentScreen, IdentifierNormalizer, PiiMasker } from '../seams.js';
import type { KeyedMutex } from '../util/keyed-mutex.js';
import type { SearchTuning } from './search-tuning.js';
import type { KeyCache } from './key-cache.js';
import type { TenantCache } from './tenants.js';

/** Everything the engine's operations share. Built once by createMemnex. */
export interface EngineContext {
  /** Random id of this engine instance, stamped on the bus events it publishes. */
  instanceId: string;
  stores: Stores;
  embedder: Embedder | null;
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
