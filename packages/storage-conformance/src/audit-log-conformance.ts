import {
  GENESIS_HASH,
  type AuditDraft,
  type AuditEntry,
  type AuditLink,
  type AuditLog,
} from '@memnex/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { describeLifecycle } from './assertions.js';
import { usePort, type ConformanceOptions } from './conformance-options.js';
import { createTestSeal, makeAuditDraft, randomTenantId, timestamp } from './fixtures.js';

/** Options of {@link runAuditLogConformance}. */
export type AuditLogConformanceOptions = ConformanceOptions<AuditLog>;

const seal = createTestSeal();

/** Assert that entries form an unbroken chain from seq 1 whose hashes the test seal confirms. */
function expectChain(entries: AuditEntry[]): void {
  entries.forEach((entry, position) => {
    expect(entry.seq).toBe(position + 1);
    expect(entry.prevHash).toBe(position === 0 ? GENESIS_HASH : entries[position - 1]!.hash);
    expect({ hash: entry.hash, mac: entry.mac, keyId: entry.keyId }).toEqual(seal(entry));
  });
}

/** Register the AuditLog conformance suite for an adapter. Call it at the top of a test file. */
export function runAuditLogConformance(options: AuditLogConformanceOptions): void {
  describe(`AuditLog conformance: ${options.name}`, () => {
    const audit = usePort(options);
    let tenantA = '';
    let tenantB = '';
    const append = (draft: AuditDraft = makeAuditDraft(), tenantId = tenantA, at = timestamp()) =>
      audit().append({ tenantId, draft, seal, at });

    beforeEach(() => {
      tenantA = randomTenantId();
      tenantB = randomTenantId();
    });

    it('declares its capabilities', () => {
      expect(typeof audit().capabilities.durable).toBe('boolean');
    });

    describe('append', () => {
      it('starts at seq 1 from the genesis hash and stores what the seal returns', async () => {
        const draft = makeAuditDraft({ payload: { ids: ['a', 'b'], count: 2, note: 'café 🙂' } });
        const sealed: Array<AuditDraft & AuditLink> = [];
        const entry = await audit().append({
          tenantId: tenantA,
          draft,
          at: timestamp(42),
          seal: (input) => {
            sealed.push(structuredClone(input));
            return { hash: 'sha256:first', mac: 'mac-first', keyId: 'k-first' };
          },
        });
        const link = { tenantId: tenantA, seq: 1, ts: timestamp(42), prevHash: GENESIS_HASH };
        expect(sealed).toEqual([{ ...draft, ...link }]);
        expect(entry).toEqual({
          ...draft,
          ...link,
          hash: 'sha256:first',
          mac: 'mac-first',
          keyId: 'k-first',
        });
        expect(await audit().head({ tenantId: tenantA })).toEqual(entry);
      });

      it('links every entry to the hash of the one before', async () => {
        for (let count = 0; count < 5; count += 1)
          await append(makeAuditDraft({ op: `op.${count}` }));
        expectChain(await audit().list({ tenantId: tenantA }));
      });

      it('keeps seq gapless and the chain intact under 50 concurrent appends', async () => {
        const drafts = Array.from({ length: 50 }, (_, index) =>
          makeAuditDraft({ payload: { index } }),
        );
        const entries = await Promise.all(drafts.map((draft) => append(draft)));
        expect(entries.map((entry) => entry.seq).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 50 }, (_, index) => index + 1),
        );
        const listed = await audit().list({ tenantId: tenantA });
        expect(listed).toHaveLength(50);
        expectChain(listed);
      });

      it('takes no seq for an append whose seal throws', async () => {
        await append();
        const failing = audit().append({
          tenantId: tenantA,
          draft: makeAuditDraft(),
          at: timestamp(),
          seal: () => {
            throw new Error('seal failure');
          },
        });
        await expect(failing).rejects.toThrow();
        const next = await append();
        expect(next.seq).toBe(2);
        expectChain(await audit().list({ tenantId: tenantA }));
      });
    });

    describe('list and head', () => {
      it('has no entries and no head for a new tenant', async () => {
        expect(await audit().list({ tenantId: tenantA })).toEqual([]);
        expect(await audit().head({ tenantId: tenantA })).toBeNull();
      });

      it('lists in seq order after a seq, up to a limit, for one op', async () => {
        const ops = ['memory.write', 'memory.forget', 'memory.write', 'key.create', 'memory.write'];
        for (const op of ops) await append(makeAuditDraft({ op }));
        const seqs = async (query: { afterSeq?: number; limit?: number; op?: string }) =>
          (await audit().list({ tenantId: tenantA, ...query })).map((entry) => entry.seq);
        expect(await seqs({})).toEqual([1, 2, 3, 4, 5]);
        expect(await seqs({ afterSeq: 2 })).toEqual([3, 4, 5]);
        expect(await seqs({ afterSeq: 2, limit: 2 })).toEqual([3, 4]);
        expect(await seqs({ limit: 1 })).toEqual([1]);
        expect(await seqs({ limit: 0 })).toEqual([]);
        expect(await seqs({ afterSeq: 5 })).toEqual([]);
        expect(await seqs({ op: 'memory.write' })).toEqual([1, 3, 5]);
        expect(await seqs({ op: 'memory.write', afterSeq: 1, limit: 1 })).toEqual([3]);
        expect(await seqs({ op: 'unknown.op' })).toEqual([]);
        expect((await audit().head({ tenantId: tenantA }))?.seq).toBe(5);
      });

      it('filters by actor, subject and time, and pages newest first', async () => {
        const drafts = [
          { actor: 'key:k00000001', subject: 'u-1' },
          { actor: 'account:a0000000000000001', subject: 'u-2' },
          { actor: 'key:k00000001', subject: 'u-2' },
          { actor: 'account:a0000000000000001', subject: null },
          { actor: 'key:k00000001', subject: 'u-1' },
        ];
        for (const [index, draft] of drafts.entries()) {
          await append(makeAuditDraft(draft), tenantA, timestamp(index * 60));
        }
        type Query = Omit<Parameters<AuditLog['list']>[0], 'tenantId'>;
        const seqs = async (query: Query) =>
          (await audit().list({ tenantId: tenantA, ...query })).map((entry) => entry.seq);
        expect(await seqs({ actor: 'key:k00000001' })).toEqual([1, 3, 5]);
        expect(await seqs({ subject: 'u-2' })).toEqual([2, 3]);
        expect(await seqs({ actor: 'key:k00000001', subject: 'u-1' })).toEqual([1, 5]);
        expect(await seqs({ since: timestamp(60), until: timestamp(180) })).toEqual([2, 3]);
        expect(await seqs({ since: timestamp(240) })).toEqual([5]);
        expect(await seqs({ order: 'desc' })).toEqual([5, 4, 3, 2, 1]);
        expect(await seqs({ order: 'desc', limit: 2 })).toEqual([5, 4]);
        expect(await seqs({ order: 'desc', beforeSeq: 4, limit: 2 })).toEqual([3, 2]);
        expect(await seqs({ beforeSeq: 3 })).toEqual([1, 2]);
        expect(await seqs({ afterSeq: 1, beforeSeq: 5, actor: 'key:k00000001' })).toEqual([3]);
        expect(await seqs({ beforeSeq: 1 })).toEqual([]);
        expect(await audit().list({ tenantId: tenantB, actor: 'key:k00000001' })).toEqual([]);
      });

      it('returns copies that callers cannot use to change the ledger', async () => {
        const entry = await append(makeAuditDraft({ payload: { count: 1 } }));
        entry.payload.count = 99;
        const [listed] = await audit().list({ tenantId: tenantA });
        listed!.payload.count = 98;
        expect((await audit().head({ tenantId: tenantA }))?.payload).toEqual({ count: 1 });
      });
    });

    describe('tenant isolation', () => {
      it('keeps a separate chain per tenant, even with concurrent appends', async () => {
        await Promise.all(
          Array.from({ length: 20 }, (_, index) =>
            append(makeAuditDraft(), index % 2 ? tenantA : tenantB),
          ),
        );
        const listA = await audit().list({ tenantId: tenantA });
        const listB = await audit().list({ tenantId: tenantB });
        expect(listA).toHaveLength(10);
        expect(listB).toHaveLength(10);
        expectChain(listA);
        expectChain(listB);
        expect(listA.every((entry) => entry.tenantId === tenantA)).toBe(true);
        expect(listB.every((entry) => entry.tenantId === tenantB)).toBe(true);
      });

      it("never lists tenant A's entries for tenant B", async () => {
        await append();
        expect(await audit().list({ tenantId: tenantB })).toEqual([]);
        expect(await audit().head({ tenantId: tenantB })).toBeNull();
        const firstB = await append(makeAuditDraft(), tenantB);
        expect(firstB).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, tenantId: tenantB });
      });
    });

    describeLifecycle(options, (port, tenantId) => port.head({ tenantId }));
  });
}
