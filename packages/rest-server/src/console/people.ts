import { MemnexError, type Memnex } from '@memnex/core';
import { CHANNELS, type Channel } from '@memnex/core/wire';

/** How a search found a person: by their user id, or by identifiers on these channels. */
export interface PersonMatch {
  userId: string;
  /** `userId`, or the channels whose identifier matched (phone channels share one number). */
  matchedBy: Array<'userId' | Channel>;
}

/** Whether an error is bad input (an identifier that is no phone number, say): no match. */
function isRefusal(error: unknown): boolean {
  return MemnexError.isInstance(error) && error.code === 'VALIDATION_FAILED';
}

/**
 * The people a query names: as a user id, and as an identifier on every channel, through the
 * identity graph (so `+44 20 7946 0958`, `wa:442079460958` and `02079460958` find the same
 * person). Only the tenant's own people can match.
 */
export async function findPeople(
  memnex: Memnex,
  tenantId: string,
  query: string,
): Promise<PersonMatch[]> {
  const matches = new Map<string, PersonMatch>();
  const add = (userId: string, by: PersonMatch['matchedBy'][number]) => {
    const match = matches.get(userId) ?? { userId, matchedBy: [] };
    if (!match.matchedBy.includes(by)) match.matchedBy.push(by);
    matches.set(userId, match);
  };
  const byId = await memnex.users
    .get({ tenantId, user: { userId: query } })
    .catch((error: unknown) => {
      if (isRefusal(error)) return null;
      throw error;
    });
  if (byId) add(byId.userId, 'userId');
  const resolved = await Promise.all(
    CHANNELS.map((channel) =>
      memnex.identifiers
        .resolve({ tenantId, identifier: { channel, id: query } })
        .then((owner) => ({ channel, owner }))
        .catch((error: unknown) => {
          if (isRefusal(error)) return { channel, owner: null };
          throw error;
        }),
    ),
  );
  for (const { channel, owner } of resolved) if (owner) add(owner.userId, channel);
  return [...matches.values()];
}
