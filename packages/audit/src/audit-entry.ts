import { canonicalJson } from './canonical-json.js';
import { prefixedHash, prefixedMac } from './digest.js';
import type { AuditKeyRing } from './key-ring.js';

/** `prevHash` of the first entry of every tenant's ledger. */
export const GENESIS_HASH = 'sha256:' + '0'.repeat(64);

/** What the ledger seals. Payload holds ids, counts and hashes — never PII text. */
export interface AuditFields {
  /** Tenant whose ledger holds the entry. */
  tenantId: string;
  /** Position in the tenant's ledger: gapless, starting at 1. */
  seq: number;
  /** When the entry was appended, as an ISO-8601 string. */
  ts: string;
  /** What happened, e.g. `user.forget`, `key.create`. */
  op: string;
  /** Who did it: an API key id or `system`. */
  actor: string;
  /** What it happened to (user id, key id, ...), or null. */
  subject: string | null;
  /** Ids, counts and hashes describing the change; canonical JSON only. */
  payload: Record<string, unknown>;
  /** `hash` of the previous entry, or {@link GENESIS_HASH} for seq 1. */
  prevHash: string;
}

/** The seal of an entry. */
export interface AuditSealFields {
  /** `sha256:<hex>` of the canonical JSON of the entry's {@link AuditFields}. */
  hash: string;
  /** `hmac-sha256:<hex>` of `hash` under the key named by `keyId`. */
  mac: string;
  /** Id of the key that made `mac`. */
  keyId: string;
}

/** An audit entry as stored: its fields and their seal. */
export interface SealedAuditEntry extends AuditFields, AuditSealFields {}

/**
 * `sha256:` + hex SHA-256 of the RFC 8785 canonical JSON of exactly the eight
 * {@link AuditFields}; any other property of `fields` (such as a stored seal) is ignored.
 *
 * @throws AuditError `invalid_json` when a field cannot be canonicalised (e.g. a `Date` payload).
 */
export function hashAuditEntry(fields: AuditFields): string {
  return prefixedHash(canonicalJson(pickAuditFields(fields)));
}

/**
 * Seal an entry with the ring's current key: `hash` = {@link hashAuditEntry}, `mac` =
 * `hmac-sha256:` + HMAC-SHA256(current secret, UTF-8 of `hash`), `keyId` = current id. Because
 * `hash` covers `prevHash`, each entry commits to the whole ledger before it.
 */
export function sealAuditEntry(fields: AuditFields, ring: AuditKeyRing): AuditSealFields {
  const hash = hashAuditEntry(fields);
  return { hash, mac: prefixedMac(ring.current.secret, hash), keyId: ring.current.id };
}

function pickAuditFields(fields: AuditFields): AuditFields {
  return {
    tenantId: fields.tenantId,
    seq: fields.seq,
    ts: fields.ts,
    op: fields.op,
    actor: fields.actor,
    subject: fields.subject,
    payload: fields.payload,
    prevHash: fields.prevHash,
  };
}
