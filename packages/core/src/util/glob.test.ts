import { describe, expect, it } from 'vitest';
import { compileGlob } from './glob.js';

describe('compileGlob', () => {
  it('matches keys with characters a regular expression would treat specially', () => {
    const glob = compileGlob('team-a/plan.(v2)+:*');
    expect(glob.prefix).toBe('team-a/plan.(v2)+:');
    expect(glob.test('team-a/plan.(v2)+:goal')).toBe(true);
    expect(glob.test('team-a/planx(v2)+:goal')).toBe(false);
    expect(compileGlob('key-only:?').test('key-only:x')).toBe(true);
  });
});
