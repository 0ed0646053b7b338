import { verifyAuditChain, verifyReceipt, type ChainVerification } from '@memnex/audit';
import type { AuditEntry } from '../model.js';
import { GENESIS_HASH, type AuditLog } from '../ports/index.js';
import { toIso } from '../util/time.js';
import type { EngineContext } from './context.js';
import { splitTenant } from './validate.js';

/** Entries read per page while verifying a whole chain. */
const VERIFY_PAGE = 1000;
const LIST_MAX = 1000;

/**
 * Ledger entries in seq order (newest first with `order: 'desc'`), filtered by op, actor,
 * subject and time, between `afterSeq` and `beforeSeq`, at most `limit` (default 100, max 1000).
 */
export async function listAudit(
  context: EngineContext,
  options: Parameters<AuditLog['list']>[0],
): Promise<AuditEntry[]> {
  const [tenantId, { afterSeq, beforeSeq, limit, since, until, ...filters }] = splitTenant(options);
  return context.stores.audit.list({
    ...filters,
    tenantId,
    afterSeq: Math.max(Math.trunc(afterSeq ?? 0), 0),
    beforeSeq: beforeSeq === undefined ? undefined : Math.trunc(beforeSeq),
    limit: Math.min(Math.max(Math.trunc(limit ?? 100), 1), LIST_MAX),
    since: since === undefined ? undefined : toIso(since),
    until: until === undefined ? undefined : toIso(until),
  });
}

/**
 * Verify the tenant's whole ledger page by page: every entry's hash, MAC and link. The result
 * names the first entry that was modified, removed, inserted or reordered.
 */
export async function verifyAudit(
  context: EngineContext,
  options: { tenantId: string },
): Promise<ChainVerification> {
  const [tenantId] = splitTenant(options);
  let from = { seq: 1, prevHash: GENESIS_HASH };
  let count = 0;
  let head: { seq: number; hash: string } | null = null;
  for (;;) {
    const page = await context.stores.audit.list({
      tenantId,
      afterSeq: from.seq - 1,
      limit: VERIFY_PAGE,
    });
    if (page.length === 0) return { ok: true, count, head };
    const result = verifyAuditChain(page, { ring: context.auditKeys, tenantId, from });
    if (!result.ok) return { ...result, count: count + result.count };
    count += page.length;
    const last = page[page.length - 1]!;
    head = { seq: last.seq, hash: last.hash };
    if (page.length < VERIFY_PAGE) return { ok: true, count, head };
    from = { seq: last.seq + 1, prevHash: last.hash };
  }
}

/** Check a receipt's hash and MAC against the audit keys. */
export function checkReceipt(context: EngineContext, receipt: Record<string, unknown>) {
  return verifyReceipt(receipt, context.auditKeys);
}
