import { timingSafeEqual } from 'node:crypto';
import {
  MemnexError,
  type AccountView,
  type Memnex,
  type RateLimiter,
  type TenantRecord,
} from '@memnex/core';
import type { Caller } from '../caller.js';
import { ENABLE_INSTRUCTIONS, type ConsoleOptions } from './console-options.js';
import { createSessionTokens, type SessionClaims, type SessionTokens } from './sessions.js';

/** A signed-in console user, as every console route sees it. */
export interface ConsoleSession {
  account: AccountView;
  /** The account's tenant, live (a disabled tenant has no sessions). */
  tenant: TenantRecord;
  claims: SessionClaims;
  /** How the ledger names the account: `account:<id>`. */
  actor: string;
}

/** What the console's routes and its WebSocket authentication share. */
export interface ConsoleService {
  memnex: Memnex;
  /** Null while the console is off (no signing key). */
  tokens: SessionTokens | null;
  rateLimiter: RateLimiter | null;
  trustProxy: boolean;
  /** The session of a token: valid, unexpired, of an account that still exists in a live tenant. */
  authenticate(token: string): Promise<ConsoleSession | null>;
}

/** Scopes a console session acts with, by role: an owner holds them all, a viewer may look. */
export function scopesOf(role: AccountView['role']): string[] {
  return role === 'owner' ? ['admin'] : ['memory:read', 'audit:read', 'state:read:*'];
}

/** `503` with the way to turn the console on. */
export function consoleDisabled(): MemnexError {
  return new MemnexError({
    code: 'FORBIDDEN',
    status: 503,
    message: ENABLE_INSTRUCTIONS,
    details: { reason: 'console_disabled', variable: 'MEMNEX_JWT_SIGNING_KEY' },
  });
}

/** Whether a sent CSRF token is the session's, compared in constant time. */
export function csrfMatches(sent: string | undefined, expected: string): boolean {
  if (!sent) return false;
  const [left, right] = [Buffer.from(sent), Buffer.from(expected)];
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The console's shared parts, from the app's options. */
export function createConsoleService(memnex: Memnex, options: ConsoleOptions): ConsoleService {
  const signingKey = options.signingKey ?? null;
  if (signingKey !== null && Buffer.byteLength(signingKey, 'utf8') < 32) {
    throw MemnexError.validation([
      { path: 'console.signingKey', message: 'must be at least 32 bytes', code: 'too_small' },
    ]);
  }
  if (signingKey !== null && !options.rateLimiter) {
    throw MemnexError.validation([
      {
        path: 'console.rateLimiter',
        message: 'is required with a signing key: sign-in attempts must be limited',
        code: 'required',
      },
    ]);
  }
  const tokens =
    signingKey === null
      ? null
      : createSessionTokens({
          signingKey,
          ttlSeconds: options.sessionTtlSeconds ?? 8 * 3600,
          now: options.now ?? (() => new Date()),
        });
  return {
    memnex,
    tokens,
    rateLimiter: options.rateLimiter ?? null,
    trustProxy: options.trustProxy ?? false,
    async authenticate(token) {
      const claims = await tokens?.verify(token);
      if (!claims) return null;
      const [account, tenant] = await Promise.all([
        memnex.accounts.get({ tenantId: claims.tenantId, accountId: claims.accountId }),
        memnex.tenants.get({ tenantId: claims.tenantId }),
      ]);
      if (!account || !tenant || tenant.disabled) return null;
      return { account, tenant, claims, actor: `account:${account.id}` };
    },
  };
}

/** The caller a console session acts as on the state socket (its role's scopes, its actor). */
export function callerOfSession(session: ConsoleSession): Caller {
  return {
    tenantId: session.account.tenantId,
    keyId: session.actor,
    scopes: scopesOf(session.account.role),
    channel: null,
    pinnedUserId: null,
    actor: session.actor,
    expiresAt: session.claims.expiresAt * 1000,
  };
}
