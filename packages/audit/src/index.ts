export { AuditError, type AuditErrorCode } from './audit-error.js';
export { canonicalJson } from './canonical-json.js';
export { hmacSha256Hex, sha256Hex } from './digest.js';
export { createAuditKeyRing, type AuditKey, type AuditKeyRing } from './key-ring.js';
export {
  GENESIS_HASH,
  hashAuditEntry,
  sealAuditEntry,
  type AuditFields,
  type AuditSealFields,
  type SealedAuditEntry,
} from './audit-entry.js';
export {
  verifyAuditChain,
  type ChainProblem,
  type ChainVerification,
  type VerifyAuditChainOptions,
} from './verify-chain.js';
export {
  signReceipt,
  verifyReceipt,
  type ReceiptSignature,
  type ReceiptVerification,
} from './receipt.js';
