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
  /** Entries in seq order. */
  list(options: {
    tenantId: string;
    afterSeq?: number;
    limit?: number;
    op?: string;
  }): Promise<AuditEntry[]>;
  /** The last entry, or null. */
  head(options: { tenantId: string }): Promise<AuditEntry | null>;
}

/** `prevHash` of the first entry of every tenant. */
export const GENESIS_HASH = 'sha256:' + '0'.repeat(64);
