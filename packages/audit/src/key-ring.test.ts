import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AuditError } from './audit-error.js';
import { createAuditKeyRing } from './key-ring.js';

const SECRET = 'memnex-test-audit-key-0001';
const OTHER = 'memnex-test-audit-key-0002';
const bytes = (text: string) => new TextEncoder().encode(text);

function errorOf(run: () => unknown): AuditError {
  try {
    run();
  } catch (error) {
    if (AuditError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an AuditError');
}

describe('createAuditKeyRing', () => {
  it('takes a single secret and derives its id from a fingerprint', () => {
    const ring = createAuditKeyRing(SECRET);
    // k + first 8 hex of sha256('memnex-audit-key-id:' + secret)
    expect(ring.current.id).toBe('k78e0ba7b');
    expect(ring.current.secret).toEqual(bytes(SECRET));
    expect(ring.ids()).toEqual(['k78e0ba7b']);
  });

  it('derives the same id for the same secret given as bytes', () => {
    expect(createAuditKeyRing(bytes(SECRET)).current.id).toBe('k78e0ba7b');
    expect(createAuditKeyRing(OTHER).current.id).not.toBe('k78e0ba7b');
  });

  it('parses a spec string: first key is current, all keys can be looked up', () => {
    const ring = createAuditKeyRing(`k2025:${SECRET},k2024:${OTHER}`);
    expect(ring.current.id).toBe('k2025');
    expect(ring.ids()).toEqual(['k2025', 'k2024']);
    expect(ring.byId('k2024')?.secret).toEqual(bytes(OTHER));
    expect(ring.byId('k2023')).toBeUndefined();
  });

  it('trims items, ids and secrets (environment values often carry a newline)', () => {
    const ring = createAuditKeyRing(` k2025 : ${SECRET} ,\tk2024:${OTHER}\n`);
    expect(ring.ids()).toEqual(['k2025', 'k2024']);
    expect(ring.current.secret).toEqual(bytes(SECRET));
  });

  it('mixes explicit ids and bare secrets in a spec', () => {
    const ring = createAuditKeyRing(`k2025:${SECRET},${OTHER}`);
    expect(ring.ids()).toEqual(['k2025', createAuditKeyRing(OTHER).current.id]);
  });

  it('splits a spec item at its first colon only', () => {
    const ring = createAuditKeyRing(`k1:${SECRET}:tail`);
    expect(ring.current.secret).toEqual(bytes(`${SECRET}:tail`));
  });

  it('accepts an array of { id, secret }', () => {
    const ring = createAuditKeyRing([
      { id: 'new', secret: bytes(OTHER) },
      { id: 'old', secret: SECRET },
    ]);
    expect(ring.current.id).toBe('new');
    expect(ring.byId('old')?.secret).toEqual(bytes(SECRET));
  });

  it('copies secret bytes so later changes to the caller buffer do not change the key', () => {
    const buffer = bytes(SECRET);
    const ring = createAuditKeyRing(buffer);
    buffer.fill(0);
    expect(ring.current.secret).toEqual(bytes(SECRET));
  });

  it.each<[string, Parameters<typeof createAuditKeyRing>[0]]>([
    ['a short string', 'fifteen-bytes!!'],
    ['short bytes', new Uint8Array(15)],
    ['a short spec item', `k1:${SECRET},k2:short`],
    ['a short array secret', [{ id: 'k1', secret: 'short' }]],
  ])('rejects %s as weak_key without echoing the secret', (_label, input) => {
    const error = errorOf(() => createAuditKeyRing(input));
    expect(error.code).toBe('weak_key');
    expect(error.message).not.toMatch(/fifteen|short\b/);
  });

  it('accepts a secret of exactly 16 bytes, counted as UTF-8', () => {
    expect(createAuditKeyRing('0123456789abcdef').current.secret).toHaveLength(16);
    expect(errorOf(() => createAuditKeyRing('ééééééé')).code).toBe('weak_key');
    expect(createAuditKeyRing('éééééééé').current.secret).toHaveLength(16);
  });

  it.each<[string, Parameters<typeof createAuditKeyRing>[0]]>([
    ['an empty spec', ''],
    ['a blank spec', '  \n'],
    ['an empty item', `k1:${SECRET},,k2:${OTHER}`],
    ['a trailing comma', `k1:${SECRET},`],
    ['an id without a secret', 'k1:'],
    ['an id with a space', `bad id:${SECRET}`],
    ['an empty id', `:${SECRET}`],
    ['a duplicate id', `k1:${SECRET},k1:${OTHER}`],
    ['an empty array', []],
    ['an array key with an empty id', [{ id: '', secret: SECRET }]],
  ])('rejects %s as invalid_key_spec', (_label, input) => {
    expect(errorOf(() => createAuditKeyRing(input)).code).toBe('invalid_key_spec');
  });

  it('shows ids but never secrets when a ring or key is logged or serialised', () => {
    const ring = createAuditKeyRing(`k2025:${SECRET},k2024:${OTHER}`);
    const shown = [
      JSON.stringify(ring),
      inspect(ring, { depth: 5 }),
      JSON.stringify(ring.current),
      inspect(ring.byId('k2024')),
    ].join('\n');
    expect(shown).toContain('k2025');
    expect(shown).toContain('k2024');
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain(OTHER);
    expect(shown).not.toMatch(/\b109\b/); // 'm' as a byte: no raw bytes either
  });
});
