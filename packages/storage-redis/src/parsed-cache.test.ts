import { describe, expect, it } from 'vitest';
import { ParsedCache } from './parsed-cache.js';

describe('ParsedCache', () => {
  it('parses a text once, reuses the frozen value while the text is unchanged, and re-parses a new text', () => {
    const cache = new ParsedCache<{ n: number[] }>();
    let parses = 0;
    const parse = (text: string) => {
      parses += 1;
      return JSON.parse(text) as { n: number[] };
    };
    const first = cache.get('k', '{"n":[1]}', parse);
    expect(cache.get('k', '{"n":[1]}', parse)).toBe(first);
    expect(Object.isFrozen(first!.n)).toBe(true);
    expect(cache.get('k', '{"n":[2]}', parse)).toEqual({ n: [2] });
    expect(parses).toBe(2);
  });

  it('remembers nothing unparseable and keeps at most its capacity', () => {
    const cache = new ParsedCache<object>(2);
    let parses = 0;
    const parse = (text: string) => {
      parses += 1;
      return text === 'bad' ? null : {};
    };
    expect(cache.get('k', 'bad', parse)).toBeNull();
    expect(cache.get('k', 'bad', parse)).toBeNull();
    // Nothing was remembered for the unparseable text: the second read parsed it again.
    expect(parses).toBe(2);
    cache.get('a', 'x', parse);
    cache.get('b', 'x', parse);
    cache.get('c', 'x', parse);
    parses = 0;
    cache.get('a', 'x', parse);
    expect(parses).toBe(1);
    // `c`, among the two newest, was kept.
    cache.get('c', 'x', parse);
    expect(parses).toBe(1);
  });
});
