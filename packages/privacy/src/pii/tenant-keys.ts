import { hkdfSync } from 'node:crypto';

/** Shortest secret accepted for keyed tokens and encryption, in bytes. */
export const MIN_KEY_BYTES = 16;

/** What a derived key is for; each purpose gets an independent key per tenant. */
export type KeyPurpose = 'token' | 'encrypt' | 'iv';

const SALT = Buffer.from('memnex/pii/v1', 'utf8');
const MAX_CACHED_TENANTS = 1024;

/** The secret as bytes; throws a TypeError that says what is wrong with it. */
export function secretBytes(key: unknown, caller: string): Buffer {
  let bytes: Buffer;
  if (typeof key === 'string') bytes = Buffer.from(key, 'utf8');
  else if (key instanceof Uint8Array) bytes = Buffer.from(key);
  else throw new TypeError(`${caller}: key must be a string or a Uint8Array (MEMNEX_PII_KEY)`);
  if (bytes.length < MIN_KEY_BYTES) {
    throw new TypeError(
      `${caller}: key must be at least ${MIN_KEY_BYTES} bytes, got ${bytes.length}; use e.g. 32 random bytes in base64 (MEMNEX_PII_KEY)`,
    );
  }
  return bytes;
}

/** Throws a TypeError unless the tenant id is a non-empty string of at most 512 bytes. */
export function checkTenantId(tenantId: unknown, caller: string): string {
  if (typeof tenantId !== 'string' || tenantId.length === 0) {
    throw new TypeError(`${caller}: tenantId must be a non-empty string`);
  }
  if (Buffer.byteLength(tenantId, 'utf8') > 512) {
    throw new TypeError(`${caller}: tenantId must be at most 512 bytes`);
  }
  return tenantId;
}

/**
 * Per-tenant keys derived from one secret with HKDF-SHA256 (info = purpose and tenant id), so
 * tokens and ciphertexts of one tenant say nothing about another's. Derived keys are cached for
 * the most recent tenants.
 */
export class TenantKeyring {
  private readonly cache = new Map<string, Buffer>();

  constructor(private readonly secret: Buffer) {}

  /** The 32-byte key of `purpose` for `tenantId`. */
  key(tenantId: string, purpose: KeyPurpose): Buffer {
    const cacheKey = `${purpose}\u0000${tenantId}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const info = Buffer.from(`memnex/pii/${purpose}\u0000${tenantId}`, 'utf8');
    const derived = Buffer.from(hkdfSync('sha256', this.secret, SALT, info, 32));
    if (this.cache.size >= MAX_CACHED_TENANTS * 3) {
      this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(cacheKey, derived);
    return derived;
  }
}
