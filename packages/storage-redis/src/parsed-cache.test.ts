import { describe, expect, it } from 'vitest';
import { ParsedCache } from './parsed-cache.js';

describe('ParsedCache', () => {
  it('parses an entry once, reuses the frozen value while its tag is unchanged, and re-parses a new one', () => {
    const cache = new ParsedCache<{ n: number[] }>();
    let parses = 0;
    const parse = (text: string) => () => {
      parses += 1;
      return JSON.parse(text) as { n: number[] };
    };
    expect(cache.known('k', 't1')).toBeUndefined();
    const first = cache.get('k', 't1', parse('{"n":[1]}'));
    expect(cache.get('k', 't1', parse('{"n":[1]}'))).toBe(first);
    expect(cache.known('k', 't1')).toBe(first);
    expect(Object.isFrozen(first!.n)).toBe(true);
    expect(cache.known('k', 't2')).toBeUndefined();
    expect(cache.get('k', 't2', parse('{"n":[2]}'))).toEqual({ n: [2] });
    expect(cache.known('k', 't1')).toBeUndefined();
    expect(parses).toBe(2);
  });

  it('remembers nothing unparseable and keeps at most its capacity', () => {
    const cache = new ParsedCache<object>(2);
    let parses = 0;
    const parse = (text: string) => () => {
      parses += 1;
      return text === 'bad' ? null : {};
    };
    expect(cache.get('k', 'bad', parse('bad'))).toBeNull();
    expect(cache.get('k', 'bad', parse('bad'))).toBeNull();
    // Nothing was remembered for the unparseable text: the second read parsed it again.
    expect(parses).toBe(2);
    cache.get('a', 'x', parse('x'));
    cache.get('b', 'x', parse('x'));
    cache.get('c', 'x', parse('x'));
    parses = 0;
    cache.get('a', 'x', parse('x'));
    expect(parses).toBe(1);
    // `c`, among the two newest, was kept.
    cache.get('c', 'x', parse('x'));
    expect(parses).toBe(1);
  });
});
