import { describe, expect, it } from 'vitest';
import { AuditError } from './audit-error.js';
import { canonicalJson } from './canonical-json.js';

function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

function invalidJsonError(run: () => unknown): AuditError {
  try {
    run();
  } catch (error) {
    if (AuditError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an AuditError');
}

describe('canonicalJson (RFC 8785)', () => {
  it('serialises the RFC 8785 §3.2.2 example', () => {
    const input = {
      // Written as in the RFC; as a literal it would already be rounded (and trip the linter).
      numbers: [Number('333333333.33333329'), 1e30, 4.5, 2e-3, 0.000000000000000000000000001],
      string: '\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\"/',
      literals: [null, true, false],
    };
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts member names by UTF-16 code units (RFC 8785 §3.2.3)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control",' +
        '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",' +
        '"\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('sorts an astral character (surrogate pair) before U+FB33, unlike code point order', () => {
    expect(canonicalJson({ '\ufb33': 1, '\u{1f600}': 2 })).toBe('{"\u{1f600}":2,"\ufb33":1}');
  });

  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('writes the IEEE-754 value %s as %s (RFC 8785 Appendix B)', (bits, expected) => {
    expect(canonicalJson(fromBits(bits))).toBe(expected);
  });

  it('formats everyday numbers the ECMAScript way', () => {
    expect(canonicalJson([1e21, 1e20, 1e-7, 1e-6, -0, 4.5, 4.5, 100, -1.5e-10])).toBe(
      '[1e+21,100000000000000000000,1e-7,0.000001,0,4.5,4.5,100,-1.5e-10]',
    );
  });

  it('escapes only quote, backslash and C0 controls, keeping U+2028, DEL and non-ASCII raw', () => {
    const input = '"\\/\b\t\n\f\r\u0000\u0001\u001f\u007f\u2028\u2029é中😀';
    expect(canonicalJson(input)).toBe(
      '"\\"\\\\/\\b\\t\\n\\f\\r\\u0000\\u0001\\u001f\u007f\u2028\u2029é中😀"',
    );
  });

  it('gives the same text whatever the member insertion order, at any depth', () => {
    const left = { b: { y: [1, { d: 1, c: 2 }], x: null }, a: true };
    const right = { a: true, b: { x: null, y: [1, { c: 2, d: 1 }] } };
    expect(canonicalJson(left)).toBe(canonicalJson(right));
    expect(canonicalJson(left)).toBe('{"a":true,"b":{"x":null,"y":[1,{"c":2,"d":1}]}}');
  });

  it('drops object members whose value is undefined, as JSON does', () => {
    expect(canonicalJson({ a: 1, b: undefined, c: { d: undefined } })).toBe('{"a":1,"c":{}}');
  });

  it('accepts null-prototype objects and a value shared by two members', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { z: 1, a: 2 });
    const shared = { n: 1 };
    expect(canonicalJson(bare)).toBe('{"a":2,"z":1}');
    expect(canonicalJson({ p: shared, q: [shared] })).toBe('{"p":{"n":1},"q":[{"n":1}]}');
  });

  const cyclicObject: Record<string, unknown> = { a: 1 };
  cyclicObject.self = cyclicObject;
  const cyclicArray: unknown[] = [1];
  cyclicArray.push(cyclicArray);
  const withHole: unknown[] = [1];
  withHole[2] = 3;
  class Point {
    x = 1;
  }

  it.each<[string, unknown]>([
    ['NaN', NaN],
    ['Infinity', { n: Infinity }],
    ['-Infinity', [-Infinity]],
    ['undefined at the top', undefined],
    ['undefined in an array', [1, undefined]],
    ['an array hole', withHole],
    ['a function', { f: () => 1 }],
    ['a bigint', { n: 10n }],
    ['a symbol value', { s: Symbol('x') }],
    ['a symbol key', { [Symbol('x')]: 1 }],
    ['a cyclic object', cyclicObject],
    ['a cyclic array', cyclicArray],
    ['a Date', { at: new Date('2025-01-01T00:00:00Z') }],
    ['a Map', new Map([['a', 1]])],
    ['a Set', [new Set([1])]],
    ['a class instance', new Point()],
    ['a Uint8Array', new Uint8Array([1])],
    ['a boxed number', { n: new Number(1) }],
    ['a lone surrogate in a string', 'a\ud800b'],
    ['a lone surrogate in a name', { '\udc00': 1 }],
  ])('rejects %s with invalid_json', (_label, value) => {
    expect(invalidJsonError(() => canonicalJson(value)).code).toBe('invalid_json');
  });

  it('names the offending path in the error', () => {
    const error = invalidJsonError(() => canonicalJson({ payload: { at: new Date(0) } }));
    expect(error.message).toContain('$.payload.at is a Date');
    expect(error).toBeInstanceOf(AuditError);
  });

  it('rejects absurdly deep nesting with invalid_json instead of crashing', () => {
    let deep: unknown = 1;
    for (let depth = 0; depth < 100_000; depth += 1) deep = [deep];
    expect(invalidJsonError(() => canonicalJson(deep)).code).toBe('invalid_json');
  });
});
