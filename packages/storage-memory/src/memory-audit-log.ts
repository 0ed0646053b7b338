import { GENESIS_HASH, type AuditEntry, type AuditLog } from '@memnex/core';
import { copy, getOrCreate, takeLimit } from './collections.js';
import { createLifecycleState } from './lifecycle-state.js';

/** One tenant's ledger: entries in seq order (entry `n` at index `n - 1`) and the append queue. */
interface TenantLedger {
  entries: AuditEntry[];
  /** Settles when the last queued append has finished; appends wait for it in turn. */
  tail: Promise<unknown>;
}

/**
 * An {@link AuditLog} held in process memory. Appends of a tenant run one after another on a
 * promise chain, so `seq` stays gapless and every `prevHash` names the entry before it, however
 * many appends are in flight.
 */
export function createMemoryAuditLog(): AuditLog {
  const lifecycle = createLifecycleState('memory audit log');
  const ledgers = new Map<string, TenantLedger>();

  return {
    capabilities: { durable: false },
    init: lifecycle.init,
    close: lifecycle.close,

    async append({ tenantId, draft, seal, at }) {
      lifecycle.assertOpen('append');
      const ledger = getOrCreate(ledgers, tenantId, () => ({
        entries: [],
        tail: Promise.resolve(),
      }));
      const appended = ledger.tail.then(() => {
        const previous = ledger.entries.at(-1);
        const link = {
          tenantId,
          seq: ledger.entries.length + 1,
          ts: at,
          prevHash: previous?.hash ?? GENESIS_HASH,
        };
        const linked = { ...copy(draft), ...link };
        const sealed = seal(copy(linked));
        const entry: AuditEntry = { ...linked, ...sealed };
        ledger.entries.push(entry);
        return copy(entry);
      });
      // A failed append (a throwing seal) takes no seq and must not stop the appends after it.
      ledger.tail = appended.catch(() => undefined);
      return appended;
    },

    async list({ tenantId, afterSeq, beforeSeq, limit, op, actor, subject, since, until, order }) {
      lifecycle.assertOpen('list');
      const entries = ledgers.get(tenantId)?.entries ?? [];
      // seq n sits at index n - 1, so the range is found without a scan.
      const start = Math.max(0, Math.floor(afterSeq ?? 0));
      const end = beforeSeq === undefined ? entries.length : Math.max(0, Math.ceil(beforeSeq) - 1);
      const range = entries.slice(start, Math.max(start, end));
      const matching = range.filter(
        (entry) =>
          (op === undefined || entry.op === op) &&
          (actor === undefined || entry.actor === actor) &&
          (subject === undefined || entry.subject === subject) &&
          (since === undefined || entry.ts >= since) &&
          (until === undefined || entry.ts < until),
      );
      if (order === 'desc') matching.reverse();
      return takeLimit(matching, limit).map(copy);
    },

    async head({ tenantId }) {
      lifecycle.assertOpen('head');
      const last = ledgers.get(tenantId)?.entries.at(-1);
      return last ? copy(last) : null;
    },
  };
}
