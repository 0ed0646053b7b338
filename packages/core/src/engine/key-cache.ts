import type { ApiKeyRecord } from '../model.js';
import type { WarmStore } from '../ports/index.js';

/** How long a looked-up key is trusted before it is read again. */
const FOUND_TTL_MS = 30_000;
/** How long an unknown key id is remembered, so probing random ids does not reach the store. */
const MISSING_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  record: ApiKeyRecord | null;
  expiresAt: number;
}

/**
 * API keys by id, read through a small in-process cache so that authenticating a request does
 * not cost a store round trip. Revocation drops the key here at once and, through the
 * `tenant.changed` event it publishes, on every other instance; an instance that missed the event
 * trusts a revoked key for at most {@link FOUND_TTL_MS}.
 */
export class KeyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly warm: WarmStore,
    private readonly clock: () => number = Date.now,
  ) {}

  async find(keyId: string): Promise<ApiKeyRecord | null> {
    const now = this.clock();
    const cached = this.entries.get(keyId);
    if (cached && cached.expiresAt > now) return cached.record;
    const record = await this.warm.findApiKey({ keyId });
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.delete(keyId);
    this.entries.set(keyId, {
      record,
      expiresAt: now + (record ? FOUND_TTL_MS : MISSING_TTL_MS),
    });
    return record;
  }

  /** Remember that the key was used at `at`, so it is not touched again within the interval. */
  touched(keyId: string, at: string): void {
    const entry = this.entries.get(keyId);
    if (entry?.record) entry.record = { ...entry.record, lastUsedAt: at };
  }

  drop(keyId: string): void {
    this.entries.delete(keyId);
  }

  /** Forget every key of a tenant (its keys or its state changed on some instance). */
  dropTenant(tenantId: string): void {
    for (const [keyId, entry] of this.entries) {
      if (entry.record?.tenantId === tenantId) this.entries.delete(keyId);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
