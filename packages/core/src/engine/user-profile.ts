import { userInputSchema, type Channel, type UserInput } from '../wire/common.js';
import type { EngineContext } from './context.js';
import { resolveUser } from './users.js';
import { parseInput, splitTenant } from './validate.js';

/** Options of `memnex.users.get`. */
export interface UserProfileOptions {
  tenantId: string;
  /** The user's id or one of their channel identifiers. */
  user: UserInput;
}

/** Who a user is, without their memories: ids, channel identifiers and dates. */
export interface UserProfile {
  /** The external user id (of the surviving user when the input named a merged one). */
  userId: string;
  createdAt: string;
  updatedAt: string;
  /** Monotonic version, increased by every committed change to the user's memories. */
  version: number;
  /** Channel identifiers in canonical form. */
  identifiers: Array<{ channel: Channel; id: string; linkedAt: string }>;
}

/**
 * The profile of a user, or null when the tenant has no such user. A read: it creates nothing
 * and writes nothing to the ledger (unlike `export`).
 */
export async function getUserProfile(
  context: EngineContext,
  options: UserProfileOptions,
): Promise<UserProfile | null> {
  const [tenantId, rest] = splitTenant(options);
  const input = parseInput(userInputSchema, rest.user, 'user');
  const tenant = await context.tenants.require(tenantId);
  const user = await resolveUser(context, tenant, input, false);
  if (!user) return null;
  const key = { tenantId, userId: user.id };
  const [stored, identifiers] = await Promise.all([
    context.stores.warm.getUserById(key),
    context.stores.warm.listIdentifiers(key),
  ]);
  if (!stored) return null;
  return {
    userId: stored.externalId,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
    version: stored.version,
    identifiers: identifiers
      .map((identifier) => ({
        channel: identifier.channel,
        id: identifier.value,
        linkedAt: identifier.linkedAt,
      }))
      .sort((a, b) => a.linkedAt.localeCompare(b.linkedAt)),
  };
}
