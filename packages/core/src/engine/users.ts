import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { MemnexError } from '../errors.js';
import type { TenantRecord, UserRecord } from '../model.js';
import type { CanonicalIdentifier } from '../seams.js';
import type { Identifier, UserInput } from '../wire/common.js';
import type { EngineContext } from './context.js';
import { canonicalIdentifier, identifierKey, storeIdentifier } from './identifiers.js';

/** Identifier cache entries live this long; they are also dropped on forget. */
const IDENTIFIER_CACHE_TTL_SECONDS = 3600;

/** The external user id an input names, or null when it names an identifier. */
export function externalIdOf(input: UserInput): string | null {
  if (typeof input === 'string') return input;
  return 'userId' in input ? input.userId : null;
}

/** What operations need to know of a resolved user. */
export type UserHandle = Pick<UserRecord, 'id' | 'tenantId' | 'externalId'>;

/** Hot-cache key mapping an external user id to the internal one. */
export function externalIdKey(externalId: string): string {
  return `uid:${externalId}`;
}

/** Merges deeper than this are refused by merge, so a longer chain means corrupt data. */
const MAX_ALIAS_HOPS = 16;

/** The user a merged user now lives in (itself when not merged), or null when missing. */
export async function followAlias(
  context: EngineContext,
  user: UserRecord | null,
): Promise<UserRecord | null> {
  let current = user;
  for (let hop = 0; current?.mergedInto && hop < MAX_ALIAS_HOPS; hop += 1) {
    current = await context.stores.warm.getUserById({
      tenantId: current.tenantId,
      userId: current.mergedInto,
    });
  }
  if (current?.mergedInto) {
    throw new MemnexError({ code: 'INTERNAL', message: 'user alias chain is too long' });
  }
  return current;
}

/**
 * Find the user an input refers to. With `create`, a missing user (and for an identifier, its
 * link) is created; without it, a missing user gives null. A user merged into another resolves
 * to the survivor unless `followAliases` is false.
 */
export async function resolveUser(
  context: EngineContext,
  tenant: TenantRecord,
  input: UserInput,
  create: boolean,
  followAliases = true,
): Promise<UserHandle | null> {
  const follow = (user: UserRecord | null) =>
    followAliases ? followAlias(context, user) : Promise.resolve(user);
  const { warm, hot } = context.stores;
  const tenantId = tenant.id;
  const externalId = externalIdOf(input);
  if (externalId !== null) {
    const key = externalIdKey(externalId);
    // Writers always ask the warm store: a stale cache entry must never create work for a
    // deleted user. Readers may trust the cache, which forget and the bus keep clean.
    const cachedUserId =
      create || !followAliases ? null : await hot.getIdentifier({ tenantId, key });
    if (cachedUserId) return { id: cachedUserId, tenantId, externalId };
    const own =
      (await warm.getUser({ tenantId, externalId })) ??
      (create
        ? await warm.ensureUser({ tenantId, user: newUser(context, tenantId, externalId) })
        : null);
    const found = await follow(own);
    // An alias is not cached: undoing the merge must not leave a stale mapping behind.
    if (found && found.id === own?.id)
      await hot.setIdentifier({
        tenantId,
        key,
        userId: found.id,
        ttlSeconds: IDENTIFIER_CACHE_TTL_SECONDS,
      });
    return found;
  }

  const lookup = identifierLookup(context, tenant, input);
  const cachedUserId = await hot.getIdentifier({ tenantId, key: lookup.key });
  return resolveByIdentifier(context, lookup, { create, follow, cachedUserId });
}

/** An identifier input, its canonical form and its hot-cache key. */
interface IdentifierLookup {
  tenantId: string;
  identifier: Identifier;
  canonical: CanonicalIdentifier;
  key: string;
}

function identifierLookup(
  context: EngineContext,
  tenant: TenantRecord,
  input: UserInput,
): IdentifierLookup {
  const { identifier } = input as Exclude<UserInput, string | { userId: string }>;
  const canonical = canonicalIdentifier(context, tenant, identifier);
  return { tenantId: tenant.id, identifier, canonical, key: identifierKey(canonical) };
}

/**
 * The user of an identifier, given what the hot cache said of it: a cached user is checked in the
 * warm store (a writer must not act for a deleted user), a link found there is cached.
 */
async function resolveByIdentifier(
  context: EngineContext,
  { tenantId, identifier, canonical, key }: IdentifierLookup,
  options: {
    create: boolean;
    follow: (user: UserRecord | null) => Promise<UserRecord | null>;
    cachedUserId: string | null;
  },
): Promise<UserHandle | null> {
  const { warm, hot } = context.stores;
  const { follow, cachedUserId } = options;
  if (cachedUserId) {
    const cached = await follow(await warm.getUserById({ tenantId, userId: cachedUserId }));
    if (cached) return cached;
    await hot.deleteIdentifier({ tenantId, key });
  }
  const link = await warm.findIdentifier({ tenantId, ...canonical });
  if (link) {
    const linked = await follow(await warm.getUserById({ tenantId, userId: link.userId }));
    if (linked) {
      await hot.setIdentifier({
        tenantId,
        key,
        userId: linked.id,
        ttlSeconds: IDENTIFIER_CACHE_TTL_SECONDS,
      });
      return linked;
    }
  }
  if (!options.create) return null;

  const user = await warm.ensureUser({
    tenantId,
    user: newUser(context, tenantId, `u_${randomUUID().replaceAll('-', '')}`),
  });
  try {
    await storeIdentifier(context, {
      tenantId,
      userId: user.id,
      canonical,
      channel: identifier.channel,
    });
  } catch (error) {
    // Another writer linked the identifier first: use its user and drop the orphan we made.
    if (!MemnexError.isInstance(error) || error.code !== 'CONFLICT') throw error;
    await warm.deleteUser({ tenantId, userId: user.id });
    const winner = await warm.findIdentifier({ tenantId, ...canonical });
    const winnerUser = winner && (await warm.getUserById({ tenantId, userId: winner.userId }));
    if (!winnerUser) throw error;
    return winnerUser;
  }
  return user;
}

/** What a read needs of a user: where its memories are. */
export type UserKey = Pick<UserRecord, 'id' | 'tenantId'>;

/**
 * The user a read addresses, or null. Reads trust the hot cache's mapping of an identifier (as
 * they do for external ids): forget, merge, unmerge and unlink drop it, so a cached read costs no
 * trip to the warm store. Falls back to {@link resolveUser} on a miss.
 */
export async function resolveUserForRead(
  context: EngineContext,
  tenant: TenantRecord,
  input: UserInput,
): Promise<UserKey | null> {
  if (externalIdOf(input) !== null) return resolveUser(context, tenant, input, false);
  const lookup = identifierLookup(context, tenant, input);
  const cachedUserId = await context.stores.hot.getIdentifier({
    tenantId: tenant.id,
    key: lookup.key,
  });
  if (cachedUserId) return { id: cachedUserId, tenantId: tenant.id };
  return resolveByIdentifier(context, lookup, {
    create: false,
    follow: (user) => followAlias(context, user),
    cachedUserId: null,
  });
}

function newUser(context: EngineContext, tenantId: string, externalId: string): UserRecord {
  const now = context.now().toISOString();
  return {
    id: uuidv7(),
    tenantId,
    externalId,
    version: 0,
    mergedInto: null,
    createdAt: now,
    updatedAt: now,
  };
}
