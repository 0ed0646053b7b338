/**
 * Text as bytes whose order is the order of JavaScript strings (UTF-16 code units), one to three
 * bytes per code unit. Without surrogates this is plain UTF-8; a surrogate is written on its own
 * in three bytes (as CESU-8 does), so a character outside the BMP sorts below U+E000..U+FFFF as it
 * does in JavaScript, and a lone surrogate keeps its own bytes instead of becoming U+FFFD. Redis
 * compares members and names byte by byte, so `ZRANGEBYLEX` lists keys in the order
 * `key < other` gives, and two different keys never share a name.
 */
export function encodeText(text: string): Buffer {
  if (!/[\uD800-\uDFFF]/.test(text)) return Buffer.from(text, 'utf8');
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) {
      bytes.push(unit);
    } else if (unit < 0x800) {
      bytes.push(0xc0 | (unit >> 6), 0x80 | (unit & 0x3f));
    } else {
      bytes.push(0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f));
    }
  }
  return Buffer.from(bytes);
}

/** The text {@link encodeText} turned into `bytes`. */
export function decodeText(bytes: Buffer): string {
  // Only an encoded surrogate starts with 0xED followed by 0xA0..0xBF.
  let plain = true;
  for (let index = 0; index < bytes.length - 1; index += 1) {
    if (bytes[index] === 0xed && bytes[index + 1]! >= 0xa0) {
      plain = false;
      break;
    }
  }
  if (plain) return bytes.toString('utf8');
  const units: number[] = [];
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    if (lead < 0x80) {
      units.push(lead);
      index += 1;
    } else if (lead < 0xe0) {
      units.push(((lead & 0x1f) << 6) | (bytes[index + 1]! & 0x3f));
      index += 2;
    } else {
      units.push(
        ((lead & 0x0f) << 12) | ((bytes[index + 1]! & 0x3f) << 6) | (bytes[index + 2]! & 0x3f),
      );
      index += 3;
    }
  }
  let text = '';
  for (let start = 0; start < units.length; start += 4096) {
    text += String.fromCharCode(...units.slice(start, start + 4096));
  }
  return text;
}

/**
 * A tenant id as it appears inside the hash tag: `%`, `{`, `}` and `:` are percent-encoded, so an
 * id can neither close the tag nor fake another part of the name, and the empty id becomes `%`
 * (an empty tag would make Redis Cluster hash the whole name).
 */
export function escapeTenant(tenantId: string): string {
  if (tenantId === '') return '%';
  return tenantId.replace(
    /[%{}:]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Key names of one state store. Every key of a tenant is `<prefix>st:{<tenant>}:<kind>...`: the
 * tenant in braces is the Redis Cluster hash tag, so a tenant's keys share a slot and one script
 * may touch several of them. Names that carry a state key are byte strings (see
 * {@link encodeText}); the two registries are outside every tenant's slot.
 */
export interface StateStoreKeys {
  /** Hash of a key's current value or tombstone; `key` as text or as its index member. */
  entry(tenantId: string, key: string | Buffer): Buffer;
  /** Sorted set of a key's changes, scored by version. */
  history(tenantId: string, key: string | Buffer): Buffer;
  /** Sorted set of every key with an entry (all scores 0), for listing in key order. */
  index(tenantId: string): Buffer;
  /** Sorted set of the keys that have a TTL, scored by their expiry in epoch ms. */
  expiring(tenantId: string): Buffer;
  /** The tenant's schema revision (integer). */
  revision(tenantId: string): Buffer;
  /** Hash of the tenant's schemas: pattern → JSON entry. */
  schemas(tenantId: string): Buffer;
  /** Set of the tenants that have (or recently had) keys, for `trimHistory`. */
  readonly tenants: string;
  /** Set of the tenants that have (or recently had) keys with a TTL, for `listExpired`. */
  readonly expiringTenants: string;
}

/** Key names under `prefix` (which may be empty). */
export function createStateStoreKeys(prefix: string): StateStoreKeys {
  const base = `${prefix}st:`;
  const tenantPart = (tenantId: string, kind: string) =>
    encodeText(`${base}{${escapeTenant(tenantId)}}:${kind}`);
  const keyed = (tenantId: string, kind: string, key: string | Buffer) =>
    Buffer.concat([
      tenantPart(tenantId, `${kind}:`),
      typeof key === 'string' ? encodeText(key) : key,
    ]);
  return {
    entry: (tenantId, key) => keyed(tenantId, 'e', key),
    history: (tenantId, key) => keyed(tenantId, 'h', key),
    index: (tenantId) => tenantPart(tenantId, 'keys'),
    expiring: (tenantId) => tenantPart(tenantId, 'exp'),
    revision: (tenantId) => tenantPart(tenantId, 'rev'),
    schemas: (tenantId) => tenantPart(tenantId, 'schemas'),
    tenants: `${base}tenants`,
    expiringTenants: `${base}expiring`,
  };
}

/** A `ZRANGEBYLEX` interval: `min` and `max` in the command's syntax. */
export interface LexRange {
  min: Buffer;
  max: Buffer;
}

const INCLUSIVE = Buffer.from('[');
const EXCLUSIVE = Buffer.from('(');
/** A byte that never occurs in {@link encodeText} output, so it sorts after every continuation. */
const ABOVE_ALL = Buffer.from([0xff]);

/**
 * The members that start with `prefix` and sort after `after` (when given). The bounds are always
 * written with a leading `[` or `(` (or the `-` / `+` of an open end), so whatever characters the
 * prefix holds, Redis reads them as data. Every member starting with `prefix` sorts below
 * `prefix + 0xFF`, a byte encoded text never contains.
 */
export function keyRange(prefix: string, after?: string): LexRange {
  const encodedPrefix = encodeText(prefix);
  let min = prefix === '' ? Buffer.from('-') : Buffer.concat([INCLUSIVE, encodedPrefix]);
  if (after !== undefined) {
    const encodedAfter = encodeText(after);
    if (Buffer.compare(encodedAfter, encodedPrefix) >= 0) {
      min = Buffer.concat([EXCLUSIVE, encodedAfter]);
    }
  }
  const max =
    prefix === '' ? Buffer.from('+') : Buffer.concat([EXCLUSIVE, encodedPrefix, ABOVE_ALL]);
  return { min, max };
}

/** The range of members after `member` up to the same end. */
export function rangeAfter(range: LexRange, member: Buffer): LexRange {
  return { min: Buffer.concat([EXCLUSIVE, member]), max: range.max };
}
