import type { Lifecycle } from './lifecycle.js';

/**
 * What a console account may do in its tenant: an `owner` everything the console offers, a
 * `viewer` only look (no keys, forgets, links or merges).
 */
export type AccountRole = 'owner' | 'viewer';

/** A person who signs in to the web console. All timestamps are ISO-8601 UTC strings. */
export interface AccountRecord {
  /** `a<16 hex>`. */
  id: string;
  /** The tenant the account belongs to; every console call is made in it. */
  tenantId: string;
  /** Normalised (trimmed, lower-cased); unique across tenants, since sign-in starts from it. */
  email: string;
  /** A slow, salted hash in PHC string form (e.g. `$argon2id$...`); never the password. */
  passwordHash: string;
  role: AccountRole;
  createdAt: string;
  lastLoginAt: string | null;
}

/** What an account store can do. */
export interface AccountStoreCapabilities {
  /** Accounts survive a process restart. */
  durable: boolean;
  /** Several processes may share the store safely. */
  shared: boolean;
}

/**
 * Durable store of console accounts. Every method is scoped by `tenantId`, except the lookup by
 * e-mail that signing in starts from.
 */
export interface AccountStore extends Lifecycle {
  readonly capabilities: AccountStoreCapabilities;
  /** Store an account; `CONFLICT` when its id or its e-mail (in any tenant) is taken. */
  create(options: { account: AccountRecord }): Promise<void>;
  /**
   * The account with this normalised e-mail, in whatever tenant: the only read across tenants,
   * used to sign in.
   */
  findByEmail(options: { email: string }): Promise<AccountRecord | null>;
  /** The account with this id in the tenant, or null. */
  get(options: { tenantId: string; accountId: string }): Promise<AccountRecord | null>;
  /** The tenant's accounts, oldest first. */
  list(options: { tenantId: string }): Promise<AccountRecord[]>;
  /** Set `lastLoginAt`; nothing happens for an unknown account. */
  recordLogin(options: { tenantId: string; accountId: string; at: string }): Promise<void>;
}
