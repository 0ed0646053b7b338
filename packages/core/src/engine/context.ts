import type { Logger } from '../logger.js';
import type { Embedder, Stores } from '../ports/index.js';
import type { ContentScreen, IdentifierNormalizer, PiiMasker } from '../seams.js';
import type { KeyedMutex } from '../util/keyed-mutex.js';
import type { SearchTuning } from './search-tuning.js';
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
  auditKey: string | Uint8Array;
  now: () => Date;
  tenants: TenantCache;
  userLocks: KeyedMutex;
  cacheTtlSeconds: number;
  search: SearchTuning;
}

/** Per-call facts that do not belong to the wire input. */
export interface CallContext {
  /** Who acts: an API key id, or `system` for in-process calls. */
  actor?: string;
}
