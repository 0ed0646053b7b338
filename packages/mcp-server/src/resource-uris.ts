import { MemnexError } from '@memnex/core';
import { userIdSchema } from '@memnex/core/wire';

/** The fact-type taxonomy of the caller's tenant. */
export const FACT_TYPES_URI = 'memnex://schema/fact-types';
/** Counts of the caller's tenant. */
export const TENANT_STATS_URI = 'memnex://tenants/me/stats';
/** Template of a person's current memories. */
export const USER_MEMORIES_TEMPLATE = 'memnex://users/{user_id}/memories';

const USER_MEMORIES = /^memnex:\/\/users\/([^/?#]+)\/memories$/u;

/** The resource URI of a user's memories; the user id is percent-encoded. */
export function userMemoriesUri(userId: string): string {
  return `memnex://users/${encodeURIComponent(userId)}/memories`;
}

/**
 * The user id a `memnex://users/{user_id}/memories` URI names, decoded; null when the URI has
 * another shape. Throws `VALIDATION_FAILED` for an undecodable or invalid user id.
 */
export function userIdOfUri(uri: string): string | null {
  const match = USER_MEMORIES.exec(uri);
  if (!match) return null;
  let userId: string;
  try {
    userId = decodeURIComponent(match[1]!);
  } catch {
    throw MemnexError.validation([
      { path: 'uri', message: 'user_id is not valid percent-encoding', code: 'invalid_format' },
    ]);
  }
  const parsed = userIdSchema.safeParse(userId);
  if (!parsed.success) {
    throw MemnexError.validation([
      {
        path: 'uri',
        message: `user_id ${parsed.error.issues[0]!.message}`,
        code: 'invalid_format',
      },
    ]);
  }
  return userId;
}
