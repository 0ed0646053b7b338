import {
  GENESIS_HASH,
  type AuditEntry,
  type AuditLog,
  type AuditLogCapabilities,
} from '@memnex/core';
import { and, asc, desc, eq, gt, gte, lt, sql } from 'drizzle-orm';
import { createStoreSession, type DatabaseHandle } from './database-handle.js';
import { rowLimit } from './database.js';
import { auditEntries } from './schema.js';

type AuditRow = typeof auditEntries.$inferSelect;

function toEntry(row: AuditRow): AuditEntry {
  return {
    tenantId: row.tenantId,
    seq: row.seq,
    ts: row.ts,
    op: row.op,
    actor: row.actor,
    subject: row.subject ?? null,
    payload: row.payload,
    prevHash: row.prevHash,
    hash: row.hash,
    mac: row.mac,
    keyId: row.keyId,
  };
}

/**
 * The {@link AuditLog} on Postgres. An append takes a transaction-level advisory lock for its
 * tenant, reads the last entry, seals and inserts, then commits; appends of a tenant therefore
 * run one at a time across every process, `seq` has no gaps, and a seal that throws rolls back
 * without taking a number. The service role may only insert and read ledger rows.
 */
export function createPostgresAuditLog(
  handle: DatabaseHandle,
  capabilities: AuditLogCapabilities,
): AuditLog {
  const session = createStoreSession(handle, 'Postgres audit log');
  const { run } = session;

  return {
    capabilities,
    init: session.init,
    close: session.close,

    append: ({ tenantId, draft, seal, at }) =>
      run('append', { tenantId }, async (transaction) => {
        // Two-int lock key: the ledger's class ('au') and a hash of the tenant id.
        await transaction.execute(sql`select pg_advisory_xact_lock(24949, hashtext(${tenantId}))`);
        const [previous] = await transaction
          .select({ seq: auditEntries.seq, hash: auditEntries.hash })
          .from(auditEntries)
          .where(eq(auditEntries.tenantId, tenantId))
          .orderBy(desc(auditEntries.seq))
          .limit(1);
        const linked = {
          ...structuredClone(draft),
          tenantId,
          seq: (previous?.seq ?? 0) + 1,
          ts: at,
          prevHash: previous?.hash ?? GENESIS_HASH,
        };
        const entry: AuditEntry = { ...linked, ...seal(structuredClone(linked)) };
        await transaction.insert(auditEntries).values(entry);
        return structuredClone(entry);
      }),

    list: ({ tenantId, afterSeq, beforeSeq, limit, op, actor, subject, since, until, order }) =>
      run('list', { tenantId }, async (transaction) => {
        const count = rowLimit(limit);
        if (count === 0) return [];
        // `ts` holds ISO-8601 UTC text of one fixed width: text order is time order.
        const query = transaction
          .select()
          .from(auditEntries)
          .where(
            and(
              eq(auditEntries.tenantId, tenantId),
              afterSeq === undefined ? undefined : gt(auditEntries.seq, afterSeq),
              beforeSeq === undefined ? undefined : lt(auditEntries.seq, beforeSeq),
              op === undefined ? undefined : eq(auditEntries.op, op),
              actor === undefined ? undefined : eq(auditEntries.actor, actor),
              subject === undefined ? undefined : eq(auditEntries.subject, subject),
              since === undefined ? undefined : gte(auditEntries.ts, since),
              until === undefined ? undefined : lt(auditEntries.ts, until),
            ),
          )
          .orderBy(order === 'desc' ? desc(auditEntries.seq) : asc(auditEntries.seq));
        const rows = count === undefined ? await query : await query.limit(count);
        return rows.map(toEntry);
      }),

    head: ({ tenantId }) =>
      run('head', { tenantId }, async (transaction) => {
        const [row] = await transaction
          .select()
          .from(auditEntries)
          .where(eq(auditEntries.tenantId, tenantId))
          .orderBy(desc(auditEntries.seq))
          .limit(1);
        return row ? toEntry(row) : null;
      }),
  };
}
