import { GENESIS_HASH, hashAuditEntry, type SealedAuditEntry } from './audit-entry.js';
import { constantTimeEqual, prefixedMac } from './digest.js';
import type { AuditKey, AuditKeyRing } from './key-ring.js';

/** What is wrong with a ledger, see {@link verifyAuditChain} for the exact rules. */
export type ChainProblem =
  | 'modified'
  | 'removed'
  | 'inserted'
  | 'reordered'
  | 'bad_mac'
  | 'unknown_key'
  | 'wrong_tenant'
  | 'bad_genesis';

/**
 * The verdict on a ledger. `count` is the number of leading entries that verified (on failure it
 * equals `index`); `head` is the last entry, null for an empty list. On failure `index` is the
 * stored position of the first bad entry and `seq` the sequence number the problem is about.
 */
export type ChainVerification =
  | { ok: true; count: number; head: { seq: number; hash: string } | null }
  | {
      ok: false;
      count: number;
      problem: ChainProblem;
      seq: number;
      index: number;
      message: string;
    };

/** Options of {@link verifyAuditChain}. */
export interface VerifyAuditChainOptions {
  /** Keys the entries may have been sealed with; rotated-out keys must still be in it. */
  ring: AuditKeyRing;
  /** Tenant every entry must belong to; defaults to the tenant of the first entry. */
  tenantId?: string;
  /**
   * Where a window that does not start at seq 1 begins: `seq` of its first entry and the
   * `prevHash` that entry must carry (the hash of entry `seq - 1`). Default: seq 1, genesis.
   */
  from?: { seq: number; prevHash: string };
}

type Failure = Extract<ChainVerification, { ok: false }>;

interface Cursor {
  entries: readonly SealedAuditEntry[];
  index: number;
  entry: SealedAuditEntry;
  /** Seq and prevHash the entry must have to extend the verified prefix. */
  expectedSeq: number;
  expectedPrevHash: string;
  /** Seq of the first entry; the verified prefix holds firstSeq, firstSeq + 1, ... in order. */
  firstSeq: number;
}

/**
 * Verify a tenant's entries in stored order and pinpoint the FIRST bad entry. Each entry passes
 * these checks in turn; the first one that fails is the verdict.
 *
 * 1. `wrong_tenant`: its tenantId is not `options.tenantId` (or the first entry's tenant).
 * 2. `unknown_key`: its keyId is not in the ring.
 * 3. `modified`: its fields no longer hash to its `hash` (content edited, hash left alone).
 * 4. Its `mac` is not the HMAC of its `hash` under that key. Someone without the key can recompute
 *    a hash but not a MAC, so the next stored entry (whose `prevHash` is the chain's own record of
 *    this entry's hash) decides what happened:
 *    - next.prevHash equals this hash: the hash is genuine and the MAC was altered → `bad_mac`;
 *    - next.prevHash equals the hash this entry should follow: the chain skips it, it is an extra
 *      entry → `inserted`;
 *    - next has the following seq but records another hash: content and hash were rewritten →
 *      `modified`;
 *    - no next entry, or none of the above → `bad_mac`.
 * 5. Linking to the verified prefix (or to `from`, or to seq 1 with {@link GENESIS_HASH}):
 *    - expected seq and prevHash: the entry is verified;
 *    - expected seq, other prevHash: for the first entry → `bad_genesis`; later, both entries
 *      are authentic but the chain recorded another predecessor, so the PREVIOUS entry is
 *      reported `modified` (it is not the entry this one was sealed after);
 *    - a higher seq: if a skipped seq is stored further on → `reordered` (reported at this entry);
 *      otherwise the skipped entries are gone → `removed`, with `seq` the first missing one;
 *    - a lower seq: for the first entry → `bad_genesis` (the window starts before `from`); if that
 *      seq was already verified → `inserted` (a duplicate); otherwise → `reordered`.
 *
 * Limits: removing entries from the end of the ledger leaves a valid shorter chain — compare
 * `head` with a head kept elsewhere (a receipt's ledger seq, a previous verification). A tail that
 * was rewritten wholesale shows as `bad_mac` at its first entry. Entries must carry the same JS
 * types they were sealed with (seq a number, ts a string); anything else reads as `modified`.
 */
export function verifyAuditChain(
  entries: readonly SealedAuditEntry[],
  options: VerifyAuditChainOptions,
): ChainVerification {
  const tenantId = options.tenantId ?? entries[0]?.tenantId;
  const firstSeq = options.from?.seq ?? 1;
  let expectedSeq = firstSeq;
  let expectedPrevHash = options.from?.prevHash ?? GENESIS_HASH;
  for (const [index, entry] of entries.entries()) {
    const cursor: Cursor = { entries, index, entry, expectedSeq, expectedPrevHash, firstSeq };
    const failure = checkEntry(cursor, tenantId, options.ring);
    if (failure) return failure;
    expectedSeq = entry.seq + 1;
    expectedPrevHash = entry.hash;
  }
  const last = entries.at(-1);
  return {
    ok: true,
    count: entries.length,
    head: last ? { seq: last.seq, hash: last.hash } : null,
  };
}

function checkEntry(
  cursor: Cursor,
  tenantId: string | undefined,
  ring: AuditKeyRing,
): Failure | undefined {
  const { entry } = cursor;
  if (entry.tenantId !== tenantId) {
    return fail(cursor, 'wrong_tenant', `seq ${entry.seq} belongs to another tenant`);
  }
  const key = typeof entry.keyId === 'string' ? ring.byId(entry.keyId) : undefined;
  if (!key) {
    return fail(cursor, 'unknown_key', `seq ${entry.seq} was sealed with a key not in the ring`);
  }
  let hash: string;
  try {
    hash = hashAuditEntry(entry);
  } catch {
    return fail(cursor, 'modified', `seq ${entry.seq} holds values that are not canonical JSON`);
  }
  if (!constantTimeEqual(entry.hash, hash)) {
    return fail(cursor, 'modified', `seq ${entry.seq} no longer matches its hash`);
  }
  if (!constantTimeEqual(entry.mac, prefixedMac(key.secret, entry.hash))) {
    return classifyBadSeal(cursor, key);
  }
  return checkLink(cursor);
}

function classifyBadSeal(cursor: Cursor, key: AuditKey): Failure {
  const { entry, entries, index } = cursor;
  const next = entries[index + 1];
  if (next && next.prevHash === entry.hash) {
    return fail(cursor, 'bad_mac', `seq ${entry.seq} has a MAC that key "${key.id}" did not make`);
  }
  if (next && next.prevHash === cursor.expectedPrevHash) {
    return fail(
      cursor,
      'inserted',
      `seq ${entry.seq} at index ${index} is not authentic and the entry after it links past it`,
    );
  }
  if (next && next.seq === entry.seq + 1) {
    return fail(
      cursor,
      'modified',
      `seq ${entry.seq} was rewritten: its MAC fails and seq ${next.seq} records another hash for it`,
    );
  }
  return fail(cursor, 'bad_mac', `seq ${entry.seq} has a MAC that key "${key.id}" did not make`);
}

function checkLink(cursor: Cursor): Failure | undefined {
  const { entry, entries, index, expectedSeq } = cursor;
  if (entry.seq === expectedSeq) {
    if (entry.prevHash === cursor.expectedPrevHash) return undefined;
    if (index === 0) {
      return fail(cursor, 'bad_genesis', `seq ${entry.seq} does not link to the chain's start`);
    }
    const previous = { ...cursor, index: index - 1 };
    return fail(
      previous,
      'modified',
      `seq ${expectedSeq - 1} is not the entry seq ${entry.seq} was sealed after`,
      expectedSeq - 1,
    );
  }
  if (entry.seq > expectedSeq) {
    const later = entries.findIndex(
      (other, position) => position > index && other.seq >= expectedSeq && other.seq < entry.seq,
    );
    if (later !== -1) {
      return fail(
        cursor,
        'reordered',
        `seq ${entry.seq} is stored before seq ${entries[later]?.seq} (index ${later})`,
      );
    }
    const missing =
      entry.seq - 1 === expectedSeq ? `seq ${expectedSeq}` : `seq ${expectedSeq}-${entry.seq - 1}`;
    return fail(
      cursor,
      'removed',
      `${missing} missing: seq ${entry.seq} is stored where seq ${expectedSeq} belongs`,
      expectedSeq,
    );
  }
  if (index === 0) {
    return fail(cursor, 'bad_genesis', `seq ${entry.seq} comes before the chain's start`);
  }
  if (entry.seq >= cursor.firstSeq) {
    const original = entries[entry.seq - cursor.firstSeq];
    const copy = original?.hash === entry.hash ? 'a copy of' : 'a second';
    return fail(
      cursor,
      'inserted',
      `seq ${entry.seq} at index ${index} is ${copy} seq ${entry.seq}`,
    );
  }
  return fail(cursor, 'reordered', `seq ${entry.seq} is stored after seq ${expectedSeq - 1}`);
}

function fail(
  cursor: Pick<Cursor, 'index' | 'entry'>,
  problem: ChainProblem,
  message: string,
  seq: number = cursor.entry.seq,
): Failure {
  return { ok: false, count: cursor.index, problem, seq, index: cursor.index, message };
}
