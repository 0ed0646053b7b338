import { describe, expect, it } from 'vitest';
import { hmacSha256Hex, sha256Hex } from './digest.js';

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 vectors, in lower-case hex', () => {
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes a string as its UTF-8 bytes', () => {
    expect(sha256Hex('é€')).toBe(sha256Hex(new TextEncoder().encode('é€')));
  });
});

describe('hmacSha256Hex', () => {
  it('matches RFC 4231 test case 1 (byte key)', () => {
    expect(hmacSha256Hex(new Uint8Array(20).fill(0x0b), 'Hi There')).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
  });

  it('matches RFC 4231 test case 2 (string key and data)', () => {
    expect(hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
});
