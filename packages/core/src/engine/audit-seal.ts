import type { AuditDraft } from '../model.js';
import type { AuditLink, AuditSeal } from '../ports/index.js';
import { canonicalJson, hmacSha256, sha256 } from '../util/canonical-json.js';

/**
 * Seal an audit entry: `hash` covers the draft and its link (so each entry commits to the one
 * before it), `mac` is the HMAC of that hash under the tenant-independent audit key.
 */
export function createAuditSeal(auditKey: string | Uint8Array): AuditSeal {
  return (entry: AuditDraft & AuditLink) => {
    const hash = sha256(
      canonicalJson({
        tenantId: entry.tenantId,
        seq: entry.seq,
        ts: entry.ts,
        op: entry.op,
        actor: entry.actor,
        subject: entry.subject,
        payload: entry.payload,
        prevHash: entry.prevHash,
      }),
    );
    return { hash, mac: hmacSha256(auditKey, hash) };
  };
}
