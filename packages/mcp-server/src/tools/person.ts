import { userRefForKey } from '@memnex/core';
import { identifierSchema, userIdSchema, type Identifier, type UserRef } from '@memnex/core/wire';
import { type z } from 'zod';
import { callContextOf, type SessionContext } from '../auth.js';

/** The fields by which every memory tool addresses a person. */
export const personShape = {
  user_id: userIdSchema
    .optional()
    .meta({ description: 'The person\'s user id in your system. Pass this or "identifier".' }),
  identifier: identifierSchema.optional().meta({
    description:
      'A channel identifier of the person, e.g. {"channel":"voice","id":"+44 20 7946 0958"} or ' +
      '{"channel":"whatsapp","id":"wa:442079460958"}; both reach the same person. Pass this or "user_id".',
  }),
};

/** The person fields as parsed. */
export interface PersonArguments {
  user_id?: string | undefined;
  identifier?: Identifier | undefined;
}

/** Refinement: `user_id` and `identifier` are alternatives, never both. */
export function notBoth(value: PersonArguments, context: z.RefinementCtx): void {
  if (value.user_id !== undefined && value.identifier !== undefined) {
    context.addIssue({
      code: 'custom',
      path: ['identifier'],
      message: 'pass either user_id or identifier, not both',
    });
  }
}

/**
 * The engine's user reference for the person a call addresses. A key pinned to a user may omit
 * both fields and may never reach anyone else: an identifier must already belong to its user.
 */
export async function personOf(
  person: PersonArguments,
  { memnex, auth }: SessionContext,
): Promise<UserRef> {
  const user =
    person.user_id !== undefined
      ? { userId: person.user_id }
      : person.identifier !== undefined
        ? { identifier: person.identifier }
        : undefined;
  return userRefForKey(memnex.identifiers, auth, user, {
    path: 'user_id',
    message: 'pass user_id or identifier',
    code: 'invalid_union',
  });
}

/** What every memory call about a person starts with: the session's call context and the person. */
export async function personCallOf(
  person: PersonArguments,
  session: SessionContext,
): Promise<{ tenantId: string; actor: string; user: UserRef }> {
  return { ...callContextOf(session.auth), user: await personOf(person, session) };
}
