export type { ConformanceOptions } from './conformance-options.js';
export { runWarmStoreConformance } from './warm-store/run-warm-store-conformance.js';
export type { WarmStoreConformanceOptions } from './warm-store/run-warm-store-conformance.js';
export { runHotStoreConformance } from './hot-store-conformance.js';
export type { HotStoreConformanceOptions } from './hot-store-conformance.js';
export { runSemanticIndexConformance } from './semantic-index/run-semantic-index-conformance.js';
export type { SemanticIndexConformanceOptions } from './semantic-index/run-semantic-index-conformance.js';
export { runBusConformance } from './bus-conformance.js';
export type { BusConformanceOptions } from './bus-conformance.js';
export { runAuditLogConformance } from './audit-log-conformance.js';
export { runRateLimiterConformance } from './rate-limiter-conformance.js';
export type { LimiterFactory, RateLimiterConformanceOptions } from './rate-limiter-conformance.js';
export type { AuditLogConformanceOptions } from './audit-log-conformance.js';
export { runLeasesConformance } from './leases-conformance.js';
export type { LeasesConformanceOptions } from './leases-conformance.js';
export { runStateStoreConformance } from './state-store-conformance.js';
export { makeAccount, runAccountStoreConformance } from './account-store-conformance.js';
export type { AccountStoreConformanceOptions } from './account-store-conformance.js';
export { runUsageStoreConformance } from './usage-store-conformance.js';
export type { UsageStoreConformanceOptions } from './usage-store-conformance.js';
export type { StateStoreConformanceOptions } from './state-store-conformance.js';
export { setValue, stateWrite } from './state-store/helpers.js';
export type { WriteOverrides } from './state-store/helpers.js';
export { expectMemnexError, waitFor } from './assertions.js';
export {
  createTestSeal,
  makeApiKey,
  makeAuditDraft,
  makeIdempotencyRecord,
  makeIdentifier,
  makeIndexEntry,
  makeMemory,
  makeTenant,
  makeUser,
  randomHex,
  randomId,
  randomTenantId,
  sha256,
  sortBy,
  timestamp,
} from './fixtures.js';
