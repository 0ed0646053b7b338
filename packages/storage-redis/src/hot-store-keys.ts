/** What a hot-store key holds. */
export type HotKeyKind = 'ws' | 'gen' | 'id' | 'ids';

/**
 * Key names of one hot store. Every key is `<prefix>{<tenant>}:<kind>:<rest>`: the tenant in braces
 * is the Redis Cluster hash tag, so all keys of a tenant share a slot and a script may touch
 * several of them. The tenant id is URI-encoded so that it can never contain `{`, `}` or `:`, which
 * keeps the layout unambiguous whatever the ids look like.
 */
export interface HotStoreKeys {
  /** The user's cached working set (JSON string). */
  workingSet(tenantId: string, userId: string): string;
  /** The user's cache generation (integer). */
  generation(tenantId: string, userId: string): string;
  /** The user id a canonical identifier key resolves to (string). */
  identifier(tenantId: string, key: string): string;
  /** The identifier keys cached for a user (set), so a forget finds them all. */
  identifierIndex(tenantId: string, userId: string): string;
  /** `SCAN MATCH` pattern covering every key of this store and nothing else. */
  readonly pattern: string;
  /** The kind of one of this store's keys, or null for a key that is not one. */
  kindOf(key: string): HotKeyKind | null;
}

const KINDS: ReadonlySet<string> = new Set<HotKeyKind>(['ws', 'gen', 'id', 'ids']);

/** Key names under `prefix`. */
export function createHotStoreKeys(prefix: string): HotStoreKeys {
  const key = (kind: HotKeyKind, tenantId: string, rest: string) =>
    `${prefix}{${encodeURIComponent(tenantId)}}:${kind}:${rest}`;
  return {
    workingSet: (tenantId, userId) => key('ws', tenantId, userId),
    generation: (tenantId, userId) => key('gen', tenantId, userId),
    identifier: (tenantId, identifierKey) => key('id', tenantId, identifierKey),
    identifierIndex: (tenantId, userId) => key('ids', tenantId, userId),
    // Other adapters may share the prefix (e.g. the rate limiter's default `memnex:ratelimit:`);
    // only keys whose next character is the hash tag's brace belong to the hot store.
    pattern: `${escapeGlob(prefix)}{*`,
    kindOf(name) {
      if (!name.startsWith(`${prefix}{`)) return null;
      const tagEnd = name.indexOf('}:', prefix.length);
      if (tagEnd < 0) return null;
      const kindEnd = name.indexOf(':', tagEnd + 2);
      const kind = kindEnd < 0 ? '' : name.slice(tagEnd + 2, kindEnd);
      return KINDS.has(kind) ? (kind as HotKeyKind) : null;
    },
  };
}

/** `text` with the glob metacharacters of `SCAN MATCH` escaped. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (character) => `\\${character}`);
}
