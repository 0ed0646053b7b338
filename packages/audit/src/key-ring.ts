import { inspect } from 'node:util';
import { AuditError } from './audit-error.js';
import { sha256Hex } from './digest.js';

/** An HMAC key with a public id so keys can rotate: entries record the id of the key that sealed them. */
export interface AuditKey {
  /** Public id, recorded next to every MAC made with this key. */
  id: string;
  /** The secret bytes. Never logged, never part of an id. */
  secret: Uint8Array;
}

/** The keys a deployment seals with (`current`) and still accepts (all of them). */
export interface AuditKeyRing {
  /** The key new entries and receipts are sealed with. */
  current: AuditKey;
  /** The key with this id, or undefined when the ring does not hold it. */
  byId(id: string): AuditKey | undefined;
  /** Every id in the ring, current first. */
  ids(): string[];
}

/** Shortest accepted secret, in bytes. */
export const MIN_SECRET_BYTES = 16;

const KEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const KEY_ID_CONTEXT = 'memnex-audit-key-id:';
const encoder = new TextEncoder();

/**
 * Build a key ring.
 *
 * - `Uint8Array`: one key; its id is derived (see below).
 * - `string`: a spec such as `"k2025:secretA,k2024:secretB"`. Items are separated by commas and
 *   trimmed; an item `id:secret` is split at its first colon, an item without a colon is a bare
 *   secret with a derived id. The first item is the current key. A secret string is used as its
 *   UTF-8 bytes (it is not base64-decoded), so a spec secret cannot contain a comma and a bare
 *   secret cannot contain a colon; pass bytes or the array form for such secrets.
 * - an array of `{ id, secret }`: first = current.
 *
 * A derived id is `k` + the first 8 hex of sha256(`memnex-audit-key-id:` + secret): a fingerprint,
 * stable for a secret, never the secret. Ids match `[A-Za-z0-9][A-Za-z0-9_.-]{0,63}`.
 *
 * @throws AuditError `weak_key` when a secret is shorter than 16 bytes; `invalid_key_spec` for
 * an empty spec, an empty item, a bad or duplicate id, or an item with an id but no secret.
 */
export function createAuditKeyRing(
  input: string | Uint8Array | ReadonlyArray<{ id: string; secret: string | Uint8Array }>,
): AuditKeyRing {
  const keys =
    typeof input === 'string'
      ? parseSpec(input)
      : input instanceof Uint8Array
        ? [toKey(undefined, input, 1)]
        : input.map((item, index) => toKey(item.id, item.secret, index + 1));
  return buildRing(keys);
}

function parseSpec(spec: string): AuditKey[] {
  if (spec.trim() === '') throw invalidSpec('the audit key spec is empty');
  return spec.split(',').map((raw, index) => {
    const item = raw.trim();
    const position = index + 1;
    if (item === '') throw invalidSpec(`audit key item ${position} is empty`);
    const colon = item.indexOf(':');
    if (colon === -1) return toKey(undefined, item, position);
    const secret = item.slice(colon + 1).trim();
    if (secret === '') throw invalidSpec(`audit key item ${position} has an id but no secret`);
    return toKey(item.slice(0, colon).trim(), secret, position);
  });
}

function toKey(id: string | undefined, secret: string | Uint8Array, position: number): AuditKey {
  // Copy so a caller reusing its buffer cannot change a key under the ring.
  const bytes = typeof secret === 'string' ? encoder.encode(secret) : Uint8Array.from(secret);
  if (bytes.length < MIN_SECRET_BYTES) {
    // Name the key by position or explicit id only: a fingerprint of a weak secret helps guess it.
    const which = id !== undefined && KEY_ID_PATTERN.test(id) ? `"${id}"` : `item ${position}`;
    throw new AuditError(
      'weak_key',
      `audit key ${which} is ${bytes.length} bytes; at least ${MIN_SECRET_BYTES} are required`,
    );
  }
  if (id === undefined) return redacted({ id: deriveKeyId(bytes), secret: bytes });
  if (!KEY_ID_PATTERN.test(id)) {
    throw invalidSpec(
      `audit key item ${position} has an invalid id; ids match [A-Za-z0-9][A-Za-z0-9_.-]{0,63}`,
    );
  }
  return redacted({ id, secret: bytes });
}

function deriveKeyId(secret: Uint8Array): string {
  const input = new Uint8Array(KEY_ID_CONTEXT.length + secret.length);
  input.set(encoder.encode(KEY_ID_CONTEXT));
  input.set(secret, KEY_ID_CONTEXT.length);
  return `k${sha256Hex(input).slice(0, 8)}`;
}

function buildRing(keys: AuditKey[]): AuditKeyRing {
  const [current] = keys;
  if (current === undefined) throw invalidSpec('the audit key ring has no key');
  const byId = new Map<string, AuditKey>();
  for (const key of keys) {
    if (byId.has(key.id)) throw invalidSpec(`audit key id "${key.id}" appears twice`);
    byId.set(key.id, key);
  }
  const ids = keys.map((key) => key.id);
  return redacted({
    current,
    byId: (id: string) => byId.get(id),
    ids: () => [...ids],
  });
}

/**
 * Keep secrets out of logs: `JSON.stringify` and `util.inspect` (hence console.log and most
 * loggers) show ids only.
 */
function redacted<T extends AuditKey | AuditKeyRing>(target: T): T {
  const view = (): Record<string, unknown> =>
    'secret' in target
      ? { id: target.id, secret: '[redacted]' }
      : { current: target.current.id, ids: target.ids() };
  Object.defineProperty(target, 'toJSON', { value: view });
  Object.defineProperty(target, inspect.custom, { value: view });
  return Object.freeze(target);
}

function invalidSpec(message: string): AuditError {
  return new AuditError('invalid_key_spec', message);
}
