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
export type * from './ports/index.js';
export { analyzeTerms, isStopword, normalizeText, stem, tokenize } from './text/analyze.js';
