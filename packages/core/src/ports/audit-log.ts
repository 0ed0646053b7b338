import type { AuditDraft, AuditEntry } from '../model.js';
import type { Lifecycle } from './lifecycle.js';

/** The link fields the ledger assigns before the entry is sealed. */
export interface AuditLink {
  tenantId: string;
  seq: number;
  ts: string;
  prevHash: string;
}

/** Computes the hash and MAC of an entry from its draft and link. */
export type AuditSeal = (entry: AuditDraft & AuditLink) => {
  hash: string;
  mac: string;
  keyId: string;
};

/** What an audit log can do. */
export interface AuditLogCapabilities {
  durable: boolean;
}

/** Append-only, hash-chained ledger per tenant. */
export interface AuditLog extends Lifecycle {
  readonly capabilities: AuditLogCapabilities;
  /**
   * Append atomically: assign the next gapless `seq`, take `prevHash` from the previous entry
   * (or the genesis hash), seal, store. Concurrent appends are serialised per tenant.
   */
  append(options: {
    tenantId: string;
    draft: AuditDraft;
    seal: AuditSeal;
    at: string;
  }): Promise<AuditEntry>;
  /** Entries in seq order (ascending unless `order` says `desc`), filtered by every given field. */
  list(options: {
    tenantId: string;
    /** Only entries with a greater seq. */
    afterSeq?: number;
    /** Only entries with a smaller seq. */
    beforeSeq?: number;
    limit?: number;
    op?: string;
    /** Exact actor, e.g. `key:k0123abcd` or `account:a0123456789abcdef`. */
    actor?: string;
    /** Exact subject (internal user id, key id, ...). */
    subject?: string;
    /** Only entries with `ts >= since` (ISO-8601 UTC). */
    since?: string;
    /** Only entries with `ts < until` (ISO-8601 UTC). */
    until?: string;
    /** `asc` (the default) or `desc`: newest first, for paging back from the head. */
    order?: 'asc' | 'desc';
  }): Promise<AuditEntry[]>;
  /** The last entry, or null. */
  head(options: { tenantId: string }): Promise<AuditEntry | null>;
}

/** `prevHash` of the first entry of every tenant. */
export const GENESIS_HASH = 'sha256:' + '0'.repeat(64);
