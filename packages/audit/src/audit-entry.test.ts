import { describe, expect, it } from 'vitest';
import { AuditError } from './audit-error.js';
import {
  GENESIS_HASH,
  hashAuditEntry,
  sealAuditEntry,
  type AuditFields,
  type SealedAuditEntry,
} from './audit-entry.js';
import { createAuditKeyRing } from './key-ring.js';

const ring = createAuditKeyRing('k2025:memnex-test-audit-key-0001');

const fields: AuditFields = {
  tenantId: 't_0123456789abcdef',
  seq: 1,
  ts: '2025-01-02T03:04:05.000Z',
  op: 'user.forget',
  actor: 'k1a2b3c4d',
  subject: 'u_42',
  payload: {
    receiptId: '0190f0c2-7a3e-7b1c-9d2e-5f6a7b8c9d0e',
    deleted: { memories: 3, identifiers: 2 },
  },
  prevHash: GENESIS_HASH,
};

describe('sealAuditEntry', () => {
  it('produces the known-answer hash, mac and keyId (any format change breaks this)', () => {
    // Checked independently: sha256sum of the canonical JSON, then
    // `openssl dgst -sha256 -hmac memnex-test-audit-key-0001` of the prefixed hash.
    expect(sealAuditEntry(fields, ring)).toEqual({
      hash: 'sha256:2c3bed68491a27b25f88dd951bf7bd9f46236a4cb9a01d2ce16c29f602802178',
      mac: 'hmac-sha256:124512fcd643a3a5fe1fbe3c97e522d94507aac3e735c88ea8ca5f677d1736ce',
      keyId: 'k2025',
    });
  });

  it('seals with the current key: another key gives the same hash but another mac', () => {
    const rotated = createAuditKeyRing(
      'k2026:memnex-test-audit-key-0002,k2025:unused-but-long-enough',
    );
    const seal = sealAuditEntry(fields, rotated);
    expect(seal.keyId).toBe('k2026');
    expect(seal.hash).toBe(hashAuditEntry(fields));
    expect(seal.mac).not.toBe(sealAuditEntry(fields, ring).mac);
  });
});

describe('hashAuditEntry', () => {
  it('GENESIS_HASH is sha256: followed by 64 zeros', () => {
    expect(GENESIS_HASH).toBe(`sha256:${'0'.repeat(64)}`);
  });

  it('ignores the seal and any other extra property of a stored entry', () => {
    const stored: SealedAuditEntry & { rowId: number } = {
      ...fields,
      ...sealAuditEntry(fields, ring),
      rowId: 99,
    };
    expect(hashAuditEntry(stored)).toBe(hashAuditEntry(fields));
  });

  it.each<[keyof AuditFields, unknown]>([
    ['tenantId', 't_fedcba9876543210'],
    ['seq', 2],
    ['ts', '2025-01-02T03:04:05.001Z'],
    ['op', 'memory.forget'],
    ['actor', 'system'],
    ['subject', null],
    ['payload', { receiptId: '0190f0c2-7a3e-7b1c-9d2e-5f6a7b8c9d0e' }],
    ['prevHash', `sha256:${'1'.repeat(64)}`],
  ])('changes when %s changes', (field, value) => {
    expect(hashAuditEntry({ ...fields, [field]: value })).not.toBe(hashAuditEntry(fields));
  });

  it('refuses a payload JSON cannot represent, such as a Date', () => {
    const run = () => hashAuditEntry({ ...fields, payload: { at: new Date(0) } });
    expect(run).toThrow(AuditError);
    expect(run).toThrow(/\$\.payload\.at is a Date/);
  });
});
