import {
  hmacSha256Hex,
  sealAuditEntry,
  verifyAuditChain,
  type AuditKeyRing,
  type ChainVerification,
} from '@memnex/audit';
import type { AuditEntry } from '../model.js';
import type { AuditSeal } from '../ports/index.js';

/** The ledger seal of the engine: RFC 8785 hash chain, HMAC under the ring's current key. */
export function ledgerSeal(ring: AuditKeyRing): AuditSeal {
  return (entry) => sealAuditEntry(entry, ring);
}

/**
 * A keyed digest of a value that must not appear in the ledger in clear (e.g. a phone number),
 * so that an entry can later recognise it without holding it. `keyId` names the key used.
 */
export function ledgerDigest(ring: AuditKeyRing, value: string, keyId = ring.current.id) {
  const key = ring.byId(keyId);
  if (!key) return null;
  return `hmac-sha256:${hmacSha256Hex(key.secret, `memnex-ledger-digest\n${value}`)}`;
}

/** Whether one stored entry is intact: its content matches its hash and its MAC verifies. */
export function entryIsIntact(ring: AuditKeyRing, entry: AuditEntry): ChainVerification {
  return verifyAuditChain([entry], {
    ring,
    tenantId: entry.tenantId,
    from: { seq: entry.seq, prevHash: entry.prevHash },
  });
}
