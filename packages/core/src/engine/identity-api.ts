import { MemnexError } from '../errors.js';
import {
  identifierSchema,
  userInputSchema,
  type Identifier,
  type UserInput,
} from '../wire/common.js';
import type { CallContext, EngineContext } from './context.js';
import { appendAudit } from './effects.js';
import { canonicalIdentifier, identifierKey, storeIdentifier } from './identifiers.js';
import { resolveUser } from './users.js';
import { parseInput, splitTenant } from './validate.js';

/** Options of identifier operations. */
export type IdentifierOptions = { tenantId: string; identifier: Identifier } & CallContext;
/** Options of `identifiers.link`. */
export type LinkOptions = IdentifierOptions & { user: UserInput };

/** Canonical form of an identifier under the tenant's settings. */
async function canonicalOf(context: EngineContext, options: IdentifierOptions) {
  const [tenantId, rest] = splitTenant(options);
  const identifier = parseInput(identifierSchema, rest.identifier, 'identifier');
  const tenant = await context.tenants.require(tenantId);
  const canonical = canonicalIdentifier(context, tenant, identifier);
  return { tenant, identifier, canonical };
}

/** Link a channel identifier to a user (created when absent); `CONFLICT` if it is someone else's. */
export async function linkIdentifier(
  context: EngineContext,
  options: LinkOptions,
): Promise<{ userId: string; channel: string; id: string }> {
  const { tenant, identifier, canonical } = await canonicalOf(context, options);
  const userInput = parseInput(userInputSchema, options.user, 'user');
  const user = (await resolveUser(context, tenant, userInput, true))!;
  const linked = { userId: user.externalId, channel: identifier.channel, id: canonical.value };
  const existing = await context.stores.warm.findIdentifier({ tenantId: tenant.id, ...canonical });
  if (existing?.userId === user.id) return linked;
  if (existing) {
    throw new MemnexError({
      code: 'CONFLICT',
      message: 'identifier is linked to another user',
      details: { channel: identifier.channel },
    });
  }
  await storeIdentifier(context, {
    tenantId: tenant.id,
    userId: user.id,
    canonical,
    channel: identifier.channel,
  });
  await appendAudit(context, tenant.id, {
    op: 'identifier.link',
    actor: options.actor ?? 'system',
    subject: user.id,
    payload: { namespace: canonical.namespace, channel: identifier.channel },
  });
  return linked;
}

/** Remove an identifier's link; returns whether one existed. */
export async function unlinkIdentifier(
  context: EngineContext,
  options: IdentifierOptions,
): Promise<{ removed: boolean }> {
  const { tenant, canonical } = await canonicalOf(context, options);
  const existing = await context.stores.warm.findIdentifier({ tenantId: tenant.id, ...canonical });
  const removed = await context.stores.warm.unlinkIdentifier({ tenantId: tenant.id, ...canonical });
  await context.stores.hot.deleteIdentifier({ tenantId: tenant.id, key: identifierKey(canonical) });
  if (removed) {
    await appendAudit(context, tenant.id, {
      op: 'identifier.unlink',
      actor: options.actor ?? 'system',
      subject: existing?.userId ?? null,
      payload: { namespace: canonical.namespace },
    });
  }
  return { removed };
}

/** The user an identifier belongs to, or null. */
export async function resolveIdentifier(
  context: EngineContext,
  options: IdentifierOptions,
): Promise<{ userId: string } | null> {
  const { tenant, identifier } = await canonicalOf(context, options);
  const user = await resolveUser(context, tenant, { identifier }, false);
  return user ? { userId: user.externalId } : null;
}
