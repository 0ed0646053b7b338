import { describe, expect, it } from 'vitest';
import {
  GENESIS_HASH,
  hashAuditEntry,
  sealAuditEntry,
  type AuditFields,
  type SealedAuditEntry,
} from './audit-entry.js';
import { createAuditKeyRing, type AuditKeyRing } from './key-ring.js';
import { verifyAuditChain } from './verify-chain.js';

const TENANT = 't_0123456789abcdef';
const keyA = { id: 'kA', secret: 'memnex-test-audit-key-A-0001' };
const keyB = { id: 'kB', secret: 'memnex-test-audit-key-B-0002' };
const ringA = createAuditKeyRing([keyA]);
const ringB = createAuditKeyRing([keyB]);
const ringBoth = createAuditKeyRing([keyB, keyA]);

/** A ledger of `count` entries; `ringFor(seq)` picks the ring that seals each one. */
function buildChain(
  count: number,
  options: {
    tenantId?: string;
    ringFor?: (seq: number) => AuditKeyRing;
    payloadFor?: (seq: number) => Record<string, unknown>;
  } = {},
): SealedAuditEntry[] {
  const entries: SealedAuditEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq += 1) {
    const fields: AuditFields = {
      tenantId: options.tenantId ?? TENANT,
      seq,
      ts: `2025-01-02T03:04:0${seq}.000Z`,
      op: 'memory.write',
      actor: 'k1a2b3c4d',
      subject: `u_${seq}`,
      payload: options.payloadFor?.(seq) ?? { written: seq, memoryIds: [`m_${seq}`] },
      prevHash,
    };
    const entry = { ...fields, ...sealAuditEntry(fields, options.ringFor?.(seq) ?? ringA) };
    entries.push(entry);
    prevHash = entry.hash;
  }
  return entries;
}

/** Entry at a stored position, failing loudly if the fixture is shorter than the test thinks. */
function at(entries: SealedAuditEntry[], index: number): SealedAuditEntry {
  const entry = entries[index];
  if (!entry) throw new Error(`no entry at ${index}`);
  return entry;
}

/** A forged entry: its hash is honest, but without the key its MAC can only be guessed. */
function forge(fields: AuditFields): SealedAuditEntry {
  return {
    ...fields,
    hash: hashAuditEntry(fields),
    mac: `hmac-sha256:${'f'.repeat(64)}`,
    keyId: 'kA',
  };
}

describe('verifyAuditChain', () => {
  it('accepts an intact ledger and reports its head', () => {
    const chain = buildChain(6);
    expect(verifyAuditChain(chain, { ring: ringA })).toEqual({
      ok: true,
      count: 6,
      head: { seq: 6, hash: at(chain, 5).hash },
    });
  });

  it('accepts an empty ledger with no head', () => {
    expect(verifyAuditChain([], { ring: ringA })).toEqual({ ok: true, count: 0, head: null });
  });

  it('reports an edited payload whose hash was left alone as modified at that seq', () => {
    const chain = buildChain(6);
    chain[2] = { ...at(chain, 2), payload: { written: 300, memoryIds: ['m_3'] } };
    expect(verifyAuditChain(chain, { ring: ringA })).toMatchObject({
      ok: false,
      problem: 'modified',
      seq: 3,
      index: 2,
      count: 2,
    });
  });

  it('reports an edit with a recomputed hash as modified: the next entry remembers the old hash', () => {
    const chain = buildChain(6);
    const edited = { ...at(chain, 2), actor: 'someone-else' };
    chain[2] = { ...edited, hash: hashAuditEntry(edited) };
    expect(verifyAuditChain(chain, { ring: ringA })).toMatchObject({
      problem: 'modified',
      seq: 3,
      index: 2,
    });
  });

  it('reports a rewritten last entry as bad_mac: nothing after it remembers its hash', () => {
    const chain = buildChain(6);
    const edited = { ...at(chain, 5), subject: null };
    chain[5] = { ...edited, hash: hashAuditEntry(edited) };
    expect(verifyAuditChain(chain, { ring: ringA })).toMatchObject({ problem: 'bad_mac', seq: 6 });
  });

  it('reports a deleted entry as removed at the missing seq', () => {
    const chain = buildChain(6);
    chain.splice(2, 1);
    const result = verifyAuditChain(chain, { ring: ringA });
    expect(result).toMatchObject({ ok: false, problem: 'removed', seq: 3, index: 2, count: 2 });
    expect(result.ok || result.message).toContain('seq 3 missing');
  });

  it('reports several deleted entries as one removed range starting at the first gap', () => {
    const chain = buildChain(6);
    chain.splice(2, 2);
    const result = verifyAuditChain(chain, { ring: ringA });
    expect(result).toMatchObject({ problem: 'removed', seq: 3, index: 2 });
    expect(result.ok || result.message).toContain('seq 3-4 missing');
  });

  it('reports a deleted first entry as removed at seq 1', () => {
    const chain = buildChain(6).slice(1);
    expect(verifyAuditChain(chain, { ring: ringA })).toMatchObject({
      problem: 'removed',
      seq: 1,
      index: 0,
    });
  });

  it('reports a forged entry spliced between two linked entries as inserted', () => {
    const chain = buildChain(6);
    const third = at(chain, 2);
    const forged = forge({ ...third, seq: 4, op: 'key.create', payload: {}, prevHash: third.hash });
    chain.splice(3, 0, forged);
    expect(verifyAuditChain(chain, { ring: ringA })).toMatchObject({
      problem: 'inserted',
      seq: 4,
      index: 3,
      count: 3,
    });
  });

  it('reports a replayed copy of an authentic entry as inserted', () => {
    const chain = buildChain(6);
    chain.splice(3, 0, { ...at(chain, 2) });
    const result = verifyAuditChain(chain, { ring: ringA });
    expect(result).toMatchObject({ problem: 'inserted', seq: 3, index: 3 });
    expect(result.ok || result.message).toContain('a copy of seq 3');
  });

  it('reports a second authentic entry claiming a verified seq as inserted', () => {
    const chain = buildChain(6);
    const fork = buildChain(3, { payloadFor: () => ({ written: 0 }) });
    chain.splice(3, 0, at(fork, 2));
    const result = verifyAuditChain(chain, { ring: ringA });
    expect(result).toMatchObject({ problem: 'inserted', seq: 3, index: 3 });
    expect(result.ok || result.message).toContain('a second seq 3');
  });

  it('reports an old authentic entry replayed further on as inserted', () => {
    const chain = buildChain(6);
    chain.splice(5, 0, { ...at(chain, 1) });
    expect(verifyAuditChain(chain, { ring: ringA })).toMatchObject({
      problem: 'inserted',
      seq: 2,
      index: 5,
    });
  });

  it('reports two swapped entries as reordered at the first out-of-place one', () => {
    const chain = buildChain(6);
    [chain[1], chain[2]] = [at(chain, 2), at(chain, 1)];
    expect(verifyAuditChain(chain, { ring: ringA })).toMatchObject({
      problem: 'reordered',
      seq: 3,
      index: 1,
      count: 1,
    });
  });

  it('reports an entry moved to the end as reordered, not removed', () => {
    const chain = buildChain(6);
    chain.push(...chain.splice(1, 1));
    expect(verifyAuditChain(chain, { ring: ringA })).toMatchObject({
      problem: 'reordered',
      seq: 3,
      index: 1,
    });
  });

  it('reports an altered MAC as bad_mac, in the middle and at the end', () => {
    const middle = buildChain(6);
    middle[2] = { ...at(middle, 2), mac: `hmac-sha256:${'0'.repeat(64)}` };
    expect(verifyAuditChain(middle, { ring: ringA })).toMatchObject({
      problem: 'bad_mac',
      seq: 3,
      index: 2,
    });
    const end = buildChain(6);
    end[5] = { ...at(end, 5), mac: 'not a mac' };
    expect(verifyAuditChain(end, { ring: ringA })).toMatchObject({ problem: 'bad_mac', seq: 6 });
  });

  it('reports bad_mac when a ring holds a different secret under the same key id', () => {
    const impostor = createAuditKeyRing([{ id: 'kA', secret: 'a-different-secret-under-kA' }]);
    expect(verifyAuditChain(buildChain(6), { ring: impostor })).toMatchObject({
      problem: 'bad_mac',
      seq: 1,
      index: 0,
    });
  });

  describe('after a key rotation (1-3 under key A, 4-6 under key B)', () => {
    const rotated = buildChain(6, { ringFor: (seq) => (seq <= 3 ? ringA : ringB) });

    it('verifies with a ring that holds both keys', () => {
      expect(rotated.map((entry) => entry.keyId)).toEqual(['kA', 'kA', 'kA', 'kB', 'kB', 'kB']);
      expect(verifyAuditChain(rotated, { ring: ringBoth })).toMatchObject({ ok: true, count: 6 });
    });

    it('reports unknown_key at seq 1 when the ring lost key A', () => {
      expect(verifyAuditChain(rotated, { ring: ringB })).toMatchObject({
        problem: 'unknown_key',
        seq: 1,
        index: 0,
      });
    });

    it('reports unknown_key at seq 4 when the ring never got key B', () => {
      expect(verifyAuditChain(rotated, { ring: ringA })).toMatchObject({
        problem: 'unknown_key',
        seq: 4,
        index: 3,
      });
    });
  });

  it('reports wrong_tenant when the ledger is not the tenant asked for', () => {
    expect(
      verifyAuditChain(buildChain(6), { ring: ringA, tenantId: 't_fedcba9876543210' }),
    ).toMatchObject({ problem: 'wrong_tenant', seq: 1, index: 0 });
  });

  it('reports wrong_tenant for another tenant’s authentic entry spliced into a ledger', () => {
    const chain = buildChain(6);
    chain[3] = at(buildChain(6, { tenantId: 't_fedcba9876543210' }), 3);
    expect(verifyAuditChain(chain, { ring: ringA })).toMatchObject({
      problem: 'wrong_tenant',
      seq: 4,
      index: 3,
    });
  });

  it('reports bad_genesis when seq 1 does not start from the genesis hash', () => {
    const fields: AuditFields = {
      ...at(buildChain(1), 0),
      prevHash: `sha256:${'1'.repeat(64)}`,
    };
    const entry = { ...fields, ...sealAuditEntry(fields, ringA) };
    expect(verifyAuditChain([entry], { ring: ringA })).toMatchObject({
      problem: 'bad_genesis',
      seq: 1,
      index: 0,
    });
  });

  describe('a window that does not start at seq 1', () => {
    const chain = buildChain(6);
    const window = chain.slice(2);
    const from = { seq: 3, prevHash: at(chain, 1).hash };

    it('verifies from a known seq and prevHash', () => {
      expect(verifyAuditChain(window, { ring: ringA, from })).toEqual({
        ok: true,
        count: 4,
        head: { seq: 6, hash: at(chain, 5).hash },
      });
    });

    it('reports removed at seq 1 without `from`', () => {
      expect(verifyAuditChain(window, { ring: ringA })).toMatchObject({
        problem: 'removed',
        seq: 1,
        index: 0,
      });
    });

    it('reports bad_genesis when the window does not link to the given prevHash', () => {
      const wrong = { seq: 3, prevHash: at(chain, 0).hash };
      expect(verifyAuditChain(window, { ring: ringA, from: wrong })).toMatchObject({
        problem: 'bad_genesis',
        seq: 3,
        index: 0,
      });
    });

    it('reports bad_genesis when the window starts before `from`', () => {
      const later = { seq: 4, prevHash: at(chain, 2).hash };
      expect(verifyAuditChain(window, { ring: ringA, from: later })).toMatchObject({
        problem: 'bad_genesis',
        seq: 3,
      });
    });

    it('reports an entry from before the window stored inside it as reordered', () => {
      const mixed = [...window.slice(0, 2), at(chain, 0), ...window.slice(2)];
      expect(verifyAuditChain(mixed, { ring: ringA, from })).toMatchObject({
        problem: 'reordered',
        seq: 1,
        index: 2,
      });
    });

    it('still finds problems inside the window', () => {
      const edited = [...window];
      edited.splice(1, 1);
      expect(verifyAuditChain(edited, { ring: ringA, from })).toMatchObject({
        problem: 'removed',
        seq: 4,
        index: 1,
      });
    });
  });

  it('reports the first problem in stored order when there are several', () => {
    const chain = buildChain(6);
    [chain[3], chain[4]] = [at(chain, 4), at(chain, 3)];
    chain[1] = { ...at(chain, 1), op: 'memory.forget' };
    expect(verifyAuditChain(chain, { ring: ringA })).toMatchObject({
      problem: 'modified',
      seq: 2,
      index: 1,
    });
  });

  it('reports the earlier entry as modified when two authentic histories are spliced', () => {
    const history = buildChain(6);
    const fork = buildChain(6, {
      payloadFor: (seq) => (seq === 3 ? { written: 0 } : { written: seq, memoryIds: [`m_${seq}`] }),
    });
    const spliced = [...history.slice(0, 3), ...fork.slice(3)];
    expect(verifyAuditChain(spliced, { ring: ringA })).toMatchObject({
      problem: 'modified',
      seq: 3,
      index: 2,
      count: 2,
    });
  });

  it('reports an entry loaded with the wrong JS types (seq as a string) as modified', () => {
    const chain = buildChain(3);
    const loaded = chain.map((entry) => ({
      ...entry,
      seq: String(entry.seq) as unknown as number,
    }));
    expect(verifyAuditChain(loaded, { ring: ringA })).toMatchObject({
      problem: 'modified',
      index: 0,
    });
  });
});
