import { MemnexError } from '@memnex/core';
import { stateKeySchema, userIdSchema } from '@memnex/core/wire';

/** The fact-type taxonomy of the caller's tenant. */
export const FACT_TYPES_URI = 'memnex://schema/fact-types';
/** Counts of the caller's tenant. */
export const TENANT_STATS_URI = 'memnex://tenants/me/stats';
/** Template of a person's current memories. */
export const USER_MEMORIES_TEMPLATE = 'memnex://users/{user_id}/memories';

/** Template of a shared state value; the key is percent-encoded (`plan%3Agoal`). */
export const STATE_TEMPLATE = 'memnex://state/{key}';

const USER_MEMORIES = /^memnex:\/\/users\/([^/?#]+)\/memories$/u;
const STATE = /^memnex:\/\/state\/([^/?#]+)$/u;

/** The resource URI of a user's memories; the user id is percent-encoded. */
export function userMemoriesUri(userId: string): string {
  return `memnex://users/${encodeURIComponent(userId)}/memories`;
}

function invalidUri(message: string): MemnexError {
  return MemnexError.validation([{ path: 'uri', message, code: 'invalid_format' }]);
}

/** The URI's one variable segment, percent-decoded exactly once; null when `pattern` misses. */
function segmentOf(pattern: RegExp, uri: string, name: string): string | null {
  const match = pattern.exec(uri);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    throw invalidUri(`${name} is not valid percent-encoding`);
  }
}

/**
 * The user id a `memnex://users/{user_id}/memories` URI names, decoded; null when the URI has
 * another shape. Throws `VALIDATION_FAILED` for an undecodable or invalid user id.
 */
export function userIdOfUri(uri: string): string | null {
  const userId = segmentOf(USER_MEMORIES, uri, 'user_id');
  if (userId === null) return null;
  const parsed = userIdSchema.safeParse(userId);
  if (!parsed.success) throw invalidUri(`user_id ${parsed.error.issues[0]!.message}`);
  return userId;
}

/**
 * The resource URI of a shared state key: the whole key percent-encoded, `/` and `:` included,
 * e.g. `memnex://state/team%2Falpha%2Ftasks%3A3`.
 */
export function stateUri(key: string): string {
  return `memnex://state/${encodeURIComponent(key)}`;
}

/**
 * The key a `memnex://state/{key}` URI names, percent-decoded exactly once (so `%253A` is the
 * key `%3A`, not `:`); null when the URI has another shape, e.g. an unencoded `/`. Throws
 * `VALIDATION_FAILED` for an undecodable or invalid key.
 */
export function stateKeyOfUri(uri: string): string | null {
  const key = segmentOf(STATE, uri, 'key');
  if (key === null) return null;
  // URL parsing drops these as path segments, so a resource read could never reach them.
  if (key === '.' || key === '..') {
    throw invalidUri('the keys . and .. have no resource URI; use the state_get tool');
  }
  const parsed = stateKeySchema.safeParse(key);
  if (!parsed.success) throw invalidUri(`key: ${parsed.error.issues[0]!.message}`);
  return key;
}
