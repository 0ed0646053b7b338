import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Prefix of every content hash this package writes. */
export const HASH_PREFIX = 'sha256:';
/** Prefix of every MAC this package writes. */
export const MAC_PREFIX = 'hmac-sha256:';

/** Lower-case hex SHA-256 of `data`; strings are hashed as UTF-8. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Lower-case hex HMAC-SHA256 of `data` under `key`; strings are taken as UTF-8. */
export function hmacSha256Hex(key: string | Uint8Array, data: string | Uint8Array): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

/** `sha256:<hex>` of the UTF-8 bytes of `text`. */
export function prefixedHash(text: string): string {
  return HASH_PREFIX + sha256Hex(text);
}

/** `hmac-sha256:<hex>` of `hash` under `secret`. */
export function prefixedMac(secret: Uint8Array, hash: string): string {
  return MAC_PREFIX + hmacSha256Hex(secret, hash);
}

/**
 * Compare two strings without leaking where they differ. Their lengths are not secret: every
 * well-formed hash and MAC has a fixed length.
 */
export function constantTimeEqual(actual: unknown, expected: string): boolean {
  if (typeof actual !== 'string') return false;
  const left = Buffer.from(actual, 'utf8');
  const right = Buffer.from(expected, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
