import { describe, expect, it } from 'vitest';
import { AuditError } from './audit-error.js';
import { createAuditKeyRing } from './key-ring.js';
import { signReceipt, verifyReceipt } from './receipt.js';

const ring = createAuditKeyRing('k2025:memnex-test-audit-key-0001');
const otherRing = createAuditKeyRing('k2026:memnex-test-audit-key-0002');

const body = {
  receiptId: 'r1',
  tenantId: 't_0123456789abcdef',
  user: 'cust_829',
  reason: 'user request',
  deleted: { memories: 3 },
  ledgerSeq: 7,
  timestamp: '2025-01-02T03:04:05.000Z',
};

describe('signReceipt', () => {
  it('produces the known-answer signature and keeps the body fields', () => {
    expect(signReceipt(body, ring)).toEqual({
      ...body,
      hash: 'sha256:2f1d51d5fae9aaa65c5c86a932ab11263cc9a4febbb6e2bf0c010755250c7486',
      mac: 'hmac-sha256:fec1c40cb54dd921493c01b327e448f8b81446e0e69163399b21b04fc7e53009',
      keyId: 'k2025',
    });
  });

  it('does not change the body it is given', () => {
    const copy = structuredClone(body);
    signReceipt(copy, ring);
    expect(copy).toEqual(body);
  });

  it('re-signs an already signed receipt with the current key', () => {
    const resigned = signReceipt(signReceipt(body, ring), otherRing);
    expect(resigned.keyId).toBe('k2026');
    expect(resigned.hash).toBe(signReceipt(body, ring).hash);
    expect(verifyReceipt(resigned, otherRing)).toEqual({ ok: true, keyId: 'k2026' });
  });

  it('refuses a body JSON cannot represent, such as a Date timestamp', () => {
    expect(() => signReceipt({ ...body, timestamp: new Date(0) }, ring)).toThrow(AuditError);
  });
});

describe('verifyReceipt', () => {
  const receipt = signReceipt(body, ring);

  it('accepts a receipt it signed, also after a JSON round trip', () => {
    expect(verifyReceipt(receipt, ring)).toEqual({ ok: true, keyId: 'k2025' });
    const wire = JSON.parse(JSON.stringify(receipt)) as Record<string, unknown>;
    expect(verifyReceipt(wire, ring)).toEqual({ ok: true, keyId: 'k2025' });
  });

  it.each<[string, unknown]>([
    ['receiptId', 'r2'],
    ['tenantId', 't_fedcba9876543210'],
    ['user', 'cust_830'],
    ['reason', 'no reason'],
    ['deleted', { memories: 4 }],
    ['ledgerSeq', 8],
    ['timestamp', '2025-01-02T03:04:06.000Z'],
  ])('reports hash_mismatch when %s is edited', (field, value) => {
    expect(verifyReceipt({ ...receipt, [field]: value }, ring)).toEqual({
      ok: false,
      reason: 'hash_mismatch',
    });
  });

  it('reports hash_mismatch when a field is added or removed', () => {
    expect(verifyReceipt({ ...receipt, extra: true }, ring)).toMatchObject({
      reason: 'hash_mismatch',
    });
    const { reason: _reason, ...withoutReason } = receipt;
    expect(verifyReceipt(withoutReason, ring)).toMatchObject({ reason: 'hash_mismatch' });
  });

  it('reports hash_mismatch when the hash itself is replaced', () => {
    const edited = { ...receipt, hash: `sha256:${'a'.repeat(64)}` };
    expect(verifyReceipt(edited, ring)).toMatchObject({ reason: 'hash_mismatch' });
  });

  it('reports bad_mac when the mac is edited', () => {
    const edited = { ...receipt, mac: `hmac-sha256:${'0'.repeat(64)}` };
    expect(verifyReceipt(edited, ring)).toEqual({ ok: false, reason: 'bad_mac' });
  });

  it('reports a forged edit with a recomputed hash as bad_mac', () => {
    const forged = signReceipt({ ...body, user: 'cust_830' }, otherRing);
    expect(verifyReceipt({ ...forged, keyId: 'k2025' }, ring)).toMatchObject({
      reason: 'bad_mac',
    });
  });

  it('reports unknown_key when keyId is edited to an id the ring does not hold', () => {
    expect(verifyReceipt({ ...receipt, keyId: 'k1999' }, ring)).toMatchObject({
      reason: 'unknown_key',
    });
  });

  it('rejects a receipt signed by a different key', () => {
    const foreign = signReceipt(body, otherRing);
    expect(verifyReceipt(foreign, ring)).toMatchObject({ reason: 'unknown_key' });
    const sameId = createAuditKeyRing('k2025:a-different-secret-with-same-id');
    expect(verifyReceipt(signReceipt(body, sameId), ring)).toMatchObject({ reason: 'bad_mac' });
  });

  it('accepts an old receipt after rotation while the old key stays in the ring', () => {
    const rotated = createAuditKeyRing(
      'k2026:memnex-test-audit-key-0002,k2025:memnex-test-audit-key-0001',
    );
    expect(verifyReceipt(receipt, rotated)).toEqual({ ok: true, keyId: 'k2025' });
    expect(signReceipt(body, rotated).keyId).toBe('k2026');
    expect(verifyReceipt(receipt, otherRing)).toMatchObject({ reason: 'unknown_key' });
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an array', [receipt]],
    ['a missing mac', { ...receipt, mac: undefined }],
    ['an unprefixed hash', { ...receipt, hash: receipt.hash.slice('sha256:'.length) }],
    ['an upper-case mac', { ...receipt, mac: receipt.mac.toUpperCase() }],
    ['a numeric keyId', { ...receipt, keyId: 2025 }],
    ['a body value JSON cannot hold', { ...receipt, ledgerSeq: NaN }],
  ])('reports %s as malformed', (_label, value) => {
    expect(verifyReceipt(value as Record<string, unknown>, ring)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});
