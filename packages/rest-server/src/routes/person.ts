import { MemnexError, userRefForKey } from '@memnex/core';
import type { UserInput, UserRef } from '@memnex/core/wire';
import type { Caller } from '../caller.js';
import type { RouteRequest } from '../route.js';

/** The engine call context of a request: its tenant and its actor. */
export function callOf(caller: Caller): { tenantId: string; actor: string } {
  return { tenantId: caller.tenantId, actor: caller.actor };
}

/** The user a request addresses, refused with `FORBIDDEN` when its key is pinned to another. */
export function userOf(
  { memnex, caller }: RouteRequest<unknown, unknown, unknown>,
  user: UserInput,
): Promise<UserRef> {
  return userRefForKey(memnex.identifiers, caller, user);
}

/**
 * The engine input of a route that addresses one user: the parsed body in the caller's tenant, as
 * the caller, with the user checked against a pinned key.
 */
export async function userCallOf<Body extends { user: UserInput }>(
  request: RouteRequest<Body, unknown, unknown>,
): Promise<Body & { tenantId: string; actor: string; user: UserRef }> {
  const { body, caller } = request;
  return { ...body, ...callOf(caller), user: await userOf(request, body.user) };
}

/**
 * The idempotency key of a write: the body's `idempotencyKey` or the `Idempotency-Key` header;
 * both at once must agree.
 */
export function idempotencyKeyOf(
  request: RouteRequest<unknown, unknown, unknown>,
  fromBody: string | undefined,
): string | undefined {
  const header = request.header('idempotency-key')?.trim() || undefined;
  if (header !== undefined && fromBody !== undefined && header !== fromBody) {
    throw MemnexError.validation([
      {
        path: 'idempotencyKey',
        message: 'differs from the Idempotency-Key header; send one of them',
        code: 'custom',
      },
    ]);
  }
  return fromBody ?? header;
}
