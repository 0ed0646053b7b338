import canonicalizeModule from 'canonicalize';
import { AuditError } from './audit-error.js';

type Serialize = (input: unknown) => string | undefined;

// `canonicalize` is CommonJS with an `export default` declaration: Node hands ESM importers the
// function itself, while TypeScript types the import as `{ default }`. Accept both shapes.
const serialize: Serialize =
  typeof canonicalizeModule === 'function' ? canonicalizeModule : canonicalizeModule.default;

// In `u` mode a well-formed surrogate pair is one code point, so this matches lone halves only.
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Serialise a value as RFC 8785 (JCS) canonical JSON: object members sorted by the UTF-16 code
 * units of their names, no whitespace, numbers and strings as ECMAScript `JSON.stringify` writes
 * them. Equal values always give the same string, so a hash over it can be recomputed anywhere.
 *
 * Accepts only what JSON represents faithfully: `null`, booleans, finite numbers (`-0` is written
 * `0`), well-formed strings, arrays and plain objects (prototype `Object.prototype` or `null`).
 * Object members whose value is `undefined` are left out, as `JSON.stringify` does.
 *
 * @throws AuditError `invalid_json` for anything else: `undefined` at the top or inside an array
 * (including holes), `NaN`/`Infinity`, bigint, functions, symbols (as values or keys), strings
 * or names with a lone surrogate (I-JSON), cycles, and non-plain objects such as `Date` (store
 * timestamps as ISO strings), `Map`, `Buffer` or class instances.
 */
export function canonicalJson(value: unknown): string {
  try {
    assertJsonValue(value, '$', new Set());
  } catch (error) {
    if (AuditError.isInstance(error)) throw error;
    // A stack overflow on absurdly deep nesting is the only other failure of the walk.
    throw new AuditError('invalid_json', 'value is nested too deeply to canonicalise', {
      cause: error,
    });
  }
  const text = serialize(value);
  if (text === undefined) throw invalid('$', 'has no JSON representation');
  return text;
}

function assertJsonValue(value: unknown, path: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
      if (LONE_SURROGATE.test(value)) throw invalid(path, 'contains a lone surrogate');
      return;
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw invalid(path, `is ${String(value)}`);
      return;
    case 'object':
      if (value === null) return;
      assertJsonContainer(value, path, ancestors);
      return;
    default:
      throw invalid(path, `is ${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}`);
  }
}

function assertJsonContainer(value: object, path: string, ancestors: Set<object>): void {
  if (ancestors.has(value)) throw invalid(path, 'is a cyclic reference');
  ancestors.add(value);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      // Holes read as undefined and are rejected with it.
      assertJsonValue(value[index], `${path}[${index}]`, ancestors);
    }
  } else {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      throw invalid(path, `is a ${describeClass(value)}, not a plain object`);
    }
    if (Object.getOwnPropertySymbols(value).length > 0) throw invalid(path, 'has symbol keys');
    for (const [key, member] of Object.entries(value)) {
      const memberPath = `${path}.${key}`;
      if (LONE_SURROGATE.test(key)) throw invalid(memberPath, 'has a name with a lone surrogate');
      if (member !== undefined) assertJsonValue(member, memberPath, ancestors);
    }
  }
  ancestors.delete(value);
}

function describeClass(value: object): string {
  const name = (value.constructor as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name !== '' ? name : 'non-plain object';
}

function invalid(path: string, reason: string): AuditError {
  return new AuditError('invalid_json', `${path} ${reason}; JSON cannot represent it faithfully`);
}
