import { describe, expect, it } from 'vitest';
import {
  createStateStoreKeys,
  decodeText,
  encodeText,
  escapeTenant,
  keyRange,
  rangeAfter,
} from './state-store-keys.js';

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Strings over a small alphabet that covers every encoded length and every surrogate case. */
const ALPHABET = ['', 'a', 'z', '\u007f', '\u0080', 'é', '\u07ff', '\u0800', '\ud7ff'];
const TRICKY = ['\ud800', '\udbff', '\udc00', '\udfff', '😀', '\ue000', '\uffff', '\u0000', 'ÿ'];

function randomText(random: () => number): string {
  const pool = [...ALPHABET, ...TRICKY];
  let text = '';
  const length = Math.floor(random() * 5);
  for (let index = 0; index < length; index += 1) {
    text += pool[Math.floor(random() * pool.length)];
  }
  return text;
}

/** A small deterministic generator, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('encodeText', () => {
  it('is plain UTF-8 for text without surrogates', () => {
    expect(encodeText('profile.name:é')).toEqual(Buffer.from('profile.name:é', 'utf8'));
  });

  it('writes each surrogate on its own, in three bytes', () => {
    expect([...encodeText('😀')]).toEqual([0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]);
    expect([...encodeText('a\ud800')]).toEqual([0x61, 0xed, 0xa0, 0x80]);
  });

  it('round-trips through decodeText, lone surrogates included', () => {
    const random = seeded(7);
    for (let round = 0; round < 2000; round += 1) {
      const text = randomText(random);
      expect(decodeText(encodeText(text))).toBe(text);
    }
    expect(decodeText(encodeText('\ud800x\udfff'))).toBe('\ud800x\udfff');
  });

  it('orders bytes as JavaScript orders strings (by UTF-16 code unit)', () => {
    // In UTF-8, U+1F600 sorts after U+FFFF; as code units it sorts before U+E000.
    expect(Buffer.compare(encodeText('😀'), encodeText('\ue000'))).toBe(-1);
    expect(Buffer.compare(encodeText('😀'), encodeText('\ud7ff'))).toBe(1);
    const random = seeded(11);
    for (let round = 0; round < 5000; round += 1) {
      const left = randomText(random);
      const right = randomText(random);
      expect(Math.sign(Buffer.compare(encodeText(left), encodeText(right)))).toBe(
        byCodeUnit(left, right),
      );
    }
  });

  it('never produces 0xFF, the byte that closes a prefix range', () => {
    const every = Array.from({ length: 0x10000 }, (_, unit) => String.fromCharCode(unit)).join('');
    expect(encodeText(every).includes(0xff)).toBe(false);
  });

  it('keeps keys that UTF-8 would merge apart', () => {
    expect(encodeText('a\ud800').equals(encodeText('a\ufffd'))).toBe(false);
  });
});

describe('escapeTenant', () => {
  it('percent-encodes what could end the hash tag or fake a part of the name', () => {
    expect(escapeTenant('t_1')).toBe('t_1');
    expect(escapeTenant('a}:e:b{%')).toBe('a%7D%3Ae%3Ab%7B%25');
  });

  it('gives the empty id a non-empty tag', () => {
    expect(escapeTenant('')).toBe('%');
    expect(escapeTenant('%')).toBe('%25');
  });
});

describe('createStateStoreKeys', () => {
  const keys = createStateStoreKeys('mx:');
  const text = (name: Buffer) => name.toString('utf8');

  it('puts the tenant in the hash tag and the state key last', () => {
    expect(text(keys.entry('t', 'profile:name'))).toBe('mx:st:{t}:e:profile:name');
    expect(text(keys.history('t', 'profile:name'))).toBe('mx:st:{t}:h:profile:name');
    expect(text(keys.index('t'))).toBe('mx:st:{t}:keys');
    expect(text(keys.expiring('t'))).toBe('mx:st:{t}:exp');
    expect(text(keys.revision('t'))).toBe('mx:st:{t}:rev');
    expect(text(keys.schemas('t'))).toBe('mx:st:{t}:schemas');
    expect(keys.tenants).toBe('mx:st:tenants');
    expect(keys.expiringTenants).toBe('mx:st:expiring');
  });

  it('names a key the same from its text and from its index member', () => {
    expect(keys.entry('t', encodeText('😀')).equals(keys.entry('t', '😀'))).toBe(true);
  });

  it('keeps tenants apart whatever their ids contain', () => {
    expect(text(keys.entry('a}:e:b', 'x'))).toBe('mx:st:{a%7D%3Ae%3Ab}:e:x');
    expect(keys.entry('a', 'b:e:c').equals(keys.entry('a}:e:b', 'c'))).toBe(false);
  });
});

describe('keyRange', () => {
  const members = [
    '',
    'a',
    'a-',
    'a(',
    'a[',
    'a\\',
    'a*',
    'a[b',
    'ab',
    'abc',
    'a\u00ff',
    'a\uffff',
    'a😀',
    'a\ud800',
    'b',
    '[',
    '(',
    '-',
    '+',
    '😀',
    '\uffff',
  ].sort(byCodeUnit);

  /** What ZRANGEBYLEX returns for the range, simulated byte by byte. */
  function select(prefix: string, after?: string): string[] {
    const { min, max } = keyRange(prefix, after);
    const above = (member: Buffer) => {
      if (min.toString() === '-') return true;
      const bound = min.subarray(1);
      const order = Buffer.compare(member, bound);
      return min[0] === 0x5b ? order >= 0 : order > 0;
    };
    const below = (member: Buffer) => {
      if (max.toString() === '+') return true;
      const bound = max.subarray(1);
      const order = Buffer.compare(member, bound);
      return max[0] === 0x5b ? order <= 0 : order < 0;
    };
    return members.filter((member) => {
      const bytes = encodeText(member);
      return above(bytes) && below(bytes);
    });
  }

  const expected = (prefix: string, after?: string) =>
    members.filter((key) => key.startsWith(prefix) && (after === undefined || key > after));

  it('selects exactly the keys that start with the prefix, whatever its characters', () => {
    for (const prefix of ['', 'a', 'a[', 'a(', 'a-', 'a\\', '[', '(', '-', '+', 'a\uffff', '😀']) {
      expect(select(prefix)).toEqual(expected(prefix));
    }
  });

  it('starts after `after`, inside or outside the prefix', () => {
    for (const [prefix, after] of [
      ['a', 'a'],
      ['a', 'a['],
      ['a', '0'],
      ['a', 'b'],
      ['', 'a\uffff'],
      ['a', 'a😀'],
      ['', ''],
    ] as const) {
      expect(select(prefix, after)).toEqual(expected(prefix, after));
    }
  });

  it('always writes bounds with a bracket or an open end', () => {
    expect(keyRange('')).toEqual({ min: Buffer.from('-'), max: Buffer.from('+') });
    const { min, max } = keyRange('[x', '[x');
    expect(min.toString()).toBe('([x');
    expect([...max]).toEqual([...Buffer.from('([x'), 0xff]);
    expect(rangeAfter(keyRange('a'), Buffer.from('ab')).min.toString()).toBe('(ab');
  });
});
