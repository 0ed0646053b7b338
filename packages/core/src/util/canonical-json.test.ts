import { describe, expect, it } from 'vitest';
import { canonicalJson, hmacSha256, sha256 } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: true, y: null }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('gives equal hashes for equal values whatever the key order, and keyed MACs', () => {
    expect(sha256(canonicalJson({ a: 1, b: 2 }))).toBe(sha256(canonicalJson({ b: 2, a: 1 })));
    expect(hmacSha256('key-one', 'x')).not.toBe(hmacSha256('key-two', 'x'));
    expect(sha256('x')).toMatch(/^sha256:[0-9a-f]{64}$/u);
  });
});
