import { describe, expect, it } from 'vitest';
import { prefixSuccessor } from './state-store.js';

describe('prefixSuccessor', () => {
  it('is the prefix with its last character moved on by one', () => {
    expect(prefixSuccessor('plan:')).toBe('plan;');
    expect(prefixSuccessor('a')).toBe('b');
    expect(prefixSuccessor('é')).toBe('ê');
  });

  it('drops trailing U+10FFFF, the last character, and has none for nothing but those', () => {
    expect(prefixSuccessor('a\u{10FFFF}')).toBe('b');
    expect(prefixSuccessor('\u{10FFFF}\u{10FFFF}')).toBeNull();
    expect(prefixSuccessor('')).toBeNull();
  });

  it('steps over the surrogate code points, and moves astral characters whole', () => {
    expect(prefixSuccessor('x\uD7FF')).toBe('x\uE000');
    expect(prefixSuccessor('🙂')).toBe('🙃');
  });
});
