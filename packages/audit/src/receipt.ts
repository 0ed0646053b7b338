import { canonicalJson } from './canonical-json.js';
import { constantTimeEqual, prefixedHash, prefixedMac } from './digest.js';
import type { AuditKeyRing } from './key-ring.js';

/**
 * The signature fields a receipt carries next to its body. A type alias rather than an interface
 * so that a signed receipt (`T & ReceiptSignature`) still passes as `Record<string, unknown>`.
 */
export type ReceiptSignature = {
  /** `sha256:<hex>` of the canonical JSON of every other field. */
  hash: string;
  /** `hmac-sha256:<hex>` of `hash` under the key named by `keyId`. */
  mac: string;
  /** Id of the key that made `mac`. */
  keyId: string;
};

/** The verdict on a receipt. */
export type ReceiptVerification =
  | { ok: true; keyId: string }
  | { ok: false; reason: 'hash_mismatch' | 'bad_mac' | 'unknown_key' | 'malformed' };

const SIGNATURE_FIELDS: ReadonlySet<string> = new Set(['hash', 'mac', 'keyId']);
const HASH_FORMAT = /^sha256:[0-9a-f]{64}$/;
const MAC_FORMAT = /^hmac-sha256:[0-9a-f]{64}$/;

/**
 * Sign a receipt (forget, write, merge, key create/revoke) with the ring's current key:
 * `hash` = `sha256:` + hex SHA-256 of the canonical JSON of `body` without any `hash`, `mac` or
 * `keyId` member, `mac` = `hmac-sha256:` + HMAC-SHA256(current secret, `hash`). Returns the body
 * with the three fields set, so signing a signed receipt again re-signs it (e.g. after rotation).
 *
 * @throws AuditError `invalid_json` when the body is not canonical JSON (use ISO strings for time).
 */
export function signReceipt<T extends Record<string, unknown>>(
  body: T,
  ring: AuditKeyRing,
): T & ReceiptSignature {
  const hash = prefixedHash(canonicalJson(withoutSignature(body)));
  const { current } = ring;
  return { ...body, hash, mac: prefixedMac(current.secret, hash), keyId: current.id };
}

/**
 * Check a receipt, in this order: `malformed` (not a plain object, `hash`/`mac`/`keyId` missing
 * or not in the `sha256:<64 hex>` / `hmac-sha256:<64 hex>` / string formats, or a body that is not
 * canonical JSON); `hash_mismatch` (the hash recomputed from every field except hash/mac/keyId
 * differs: a field was edited); `unknown_key` (keyId not in the ring); `bad_mac` (the MAC was not
 * made by that key: forged, or signed with another secret). Comparisons are constant-time.
 */
export function verifyReceipt(
  receipt: Record<string, unknown>,
  ring: AuditKeyRing,
): ReceiptVerification {
  if (!isRecord(receipt)) return { ok: false, reason: 'malformed' };
  const { hash, mac, keyId } = receipt;
  if (typeof hash !== 'string' || !HASH_FORMAT.test(hash))
    return { ok: false, reason: 'malformed' };
  if (typeof mac !== 'string' || !MAC_FORMAT.test(mac)) return { ok: false, reason: 'malformed' };
  if (typeof keyId !== 'string') return { ok: false, reason: 'malformed' };
  let expectedHash: string;
  try {
    expectedHash = prefixedHash(canonicalJson(withoutSignature(receipt)));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!constantTimeEqual(hash, expectedHash)) return { ok: false, reason: 'hash_mismatch' };
  const key = ring.byId(keyId);
  if (!key) return { ok: false, reason: 'unknown_key' };
  if (!constantTimeEqual(mac, prefixedMac(key.secret, hash)))
    return { ok: false, reason: 'bad_mac' };
  return { ok: true, keyId };
}

function withoutSignature(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => !SIGNATURE_FIELDS.has(name)));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
