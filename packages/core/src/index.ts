export { MemnexError, ERROR_CODES, ERROR_STATUS, toStorageError } from './errors.js';
export type { MemnexErrorCode, MemnexErrorOptions, ValidationIssue } from './errors.js';
export { silentLogger } from './logger.js';
export type { Logger, LogFields } from './logger.js';
export type {
  ApiKeyRecord,
  AuditDraft,
  AuditEntry,
  ConflictPolicy,
  IdempotencyRecord,
  IdentifierNamespace,
  IdentifierRecord,
  MemoryPatch,
  MemoryRecord,
  MemorySource,
  TenantRecord,
  TenantSettings,
  UserRecord,
} from './model.js';
export type {
  CanonicalIdentifier,
  ContentScreen,
  IdentifierNormalizer,
  MaskResult,
  PiiMasker,
  ScreenVerdict,
} from './seams.js';
export { GENESIS_HASH } from './ports/index.js';
export { composeSemanticIndex } from './ports/compose-semantic-index.js';
export type * from './ports/index.js';
export { cosineSimilarity, vectorNorm } from './util/vectors.js';
export { modelStateConflict, nextModelState } from './util/model-state.js';
export type { ModelStateChange } from './util/model-state.js';
export { addToTenantStats, emptyTenantStats } from './util/tenant-stats.js';
export { createListeners } from './util/listeners.js';
export { compileGlob, compareSpecificity, globCovers, globMatches } from './util/glob.js';
export type { Glob } from './util/glob.js';
export { instrumentStores } from './util/instrument-stores.js';
export type { StoreCall, StoreObserver } from './util/instrument-stores.js';
export type { EmitOptions, Listeners } from './util/listeners.js';
export { checkCost, decision, gcraDecide, gcraPolicy } from './util/gcra.js';
export type { GcraDecision, GcraPolicy } from './util/gcra.js';
export {
  analyzeTerms,
  isStopword,
  normalizeText,
  stem,
  termSimilarity,
  tokenize,
} from './text/analyze.js';
export { createMemnex } from './engine/create-memnex.js';
export { isCurrentMemory } from './engine/ranking.js';
export { createRuleExtractor } from './extract/rule-extractor.js';
export { rawTextMessages } from './extract/raw-text-messages.js';
export type { RawTextMessage, RawTextOptions } from './extract/raw-text-messages.js';
export {
  EXTRACTION_FAILURES,
  extractedFactSchema,
  extractionFailed,
} from './extract/fact-extractor.js';
export type {
  ExtractInput,
  ExtractedFact,
  ExtractionFailure,
  ExtractionMessage,
  FactExtractor,
  SpeakerRole,
} from './extract/fact-extractor.js';
export { parseInput, validationIssuesOf } from './engine/validate.js';
export type { Memnex, MemnexEvent, MemnexOptions } from './engine/create-memnex.js';
export type { WriteOptions } from './engine/write.js';
export type { ReadOptions } from './engine/read.js';
export type { SearchOptions } from './engine/search.js';
export type { TraceOptions } from './engine/trace.js';
export type { ForgetOptions } from './engine/forget.js';
export type { ExportOptions, ImportOptions } from './engine/export.js';
export type { TimelineOptions } from './engine/timeline.js';
export type { IdentifierOptions, LinkOptions } from './engine/identity-api.js';
export type {
  TenantSettingsChange,
  TenantStats,
  TenantsApi,
  TenantUpdateOptions,
} from './engine/tenants-api.js';
export type { TenantUsage, UsageOptions } from './engine/usage.js';
export type { UserProfile, UserProfileOptions } from './engine/user-profile.js';
export { accountEmailSchema } from './engine/accounts.js';
export type { AccountView, CreateAccountOptions } from './engine/accounts.js';
export type { CreateTenantOptions } from './engine/tenants.js';
export type { SearchTuning } from './engine/search-tuning.js';
export type { ReembedOptions, ReembedProgress, ReembedResult } from './engine/reembed.js';
export { DEFAULT_SEARCH_TUNING } from './engine/search-tuning.js';
export { identifierKey } from './engine/identifiers.js';
export { ledgerSeal } from './engine/ledger.js';
export { hasScope, requireScope } from './engine/keys.js';
export { pinnedElsewhere, userRefForKey } from './engine/access.js';
export type { IdentifierResolver, KeyGrant } from './engine/access.js';
export type { VerifiedKey, CreateKeyOptions } from './engine/keys.js';
export type { MergeOptions, UnmergeOptions } from './engine/merge.js';
export type { RevealOptions } from './engine/reveal.js';
export type { HealthReport } from './engine/health.js';
export {
  FORMATTERS,
  SMS_MAX_CHARACTERS,
  countTokens,
  packContext,
  speakable,
} from './formats/index.js';
export type { ContextFormatter, FormatContext, PackedContext, Rendered } from './formats/index.js';
export { reciprocalRankFusion } from './engine/fusion.js';
export type { FusedHit, RankedList } from './engine/fusion.js';
export { grantsState, requireStateScope } from './engine/state/index.js';
export type {
  StateAction,
  StateApi,
  StateDeleteOptions,
  StateKeyOptions,
  StateListOptions,
  StateListener,
  StateOptions,
  StatePatternOptions,
  StateSetOptions,
  StateSetSchemaOptions,
  StateSubscribeCall,
  StateSubscription,
} from './engine/state/index.js';
export { RETENTION_LEASE } from './engine/lifecycle/index.js';
export type {
  ApplyRetentionOptions,
  CompactOptions,
  DecaySettings,
  LifecycleApi,
  LifecycleOptions,
  RetentionResult,
  SweepResult,
} from './engine/lifecycle/index.js';
