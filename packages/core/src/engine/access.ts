import { MemnexError, type ValidationIssue } from '../errors.js';
import type { UserInput, UserRef } from '../wire/common.js';
import type { IdentifierOptions } from './identity-api.js';

/** The part of a verified key that decides which users it may address. */
export interface KeyGrant {
  tenantId: string;
  keyId: string;
  /** When set, the key may only address this user (a device-side agent's key). */
  pinnedUserId?: string | null;
}

/** Resolves identifiers; `memnex.identifiers` fits. */
export interface IdentifierResolver {
  resolve(options: IdentifierOptions): Promise<{ userId: string } | null>;
}

/** `FORBIDDEN` for a key pinned to another user. */
export function pinnedElsewhere(): MemnexError {
  return new MemnexError({ code: 'FORBIDDEN', message: 'this key is pinned to another user' });
}

/**
 * The user reference a key may use for `user`. A key pinned to a user may omit it and may never
 * reach anyone else: a user id must be its user's, an identifier must already belong to its user.
 * Unpinned keys get `user` back unchanged; a missing `user` is `VALIDATION_FAILED` with the
 * `missing` issue (each surface names its own field).
 */
export async function userRefForKey(
  identifiers: IdentifierResolver,
  key: KeyGrant,
  user: UserInput | undefined,
  missing: ValidationIssue = { path: 'user', message: 'pass the user', code: 'invalid_type' },
): Promise<UserRef> {
  const pinned = key.pinnedUserId ?? null;
  const ref: UserRef | undefined = typeof user === 'string' ? { userId: user } : user;
  if (ref === undefined) {
    if (pinned !== null) return { userId: pinned };
    throw MemnexError.validation([missing]);
  }
  if (pinned === null) return ref;
  if ('userId' in ref) {
    if (ref.userId !== pinned) throw pinnedElsewhere();
    return ref;
  }
  const owner = await identifiers.resolve({
    tenantId: key.tenantId,
    identifier: ref.identifier,
    actor: `key:${key.keyId}`,
  });
  if (owner?.userId !== pinned) throw pinnedElsewhere();
  return { userId: pinned };
}
