import type { Channel } from '@memnex/core/wire';

/** Who a request acts for: its verified API key and the conversation channel. */
export interface Caller {
  /** Tenant of the key; every engine call of the request is made in it. */
  tenantId: string;
  /** Id of the key (`k<8 hex>`); for a web console session, its actor `account:<id>`. */
  keyId: string;
  /** Scopes of the key; each route names the one it needs. */
  scopes: readonly string[];
  /** `X-Memnex-Channel`, else the key's default channel: stamps writes, picks read formats. */
  channel: Channel | null;
  /** When set, the key may only address this user. */
  pinnedUserId: string | null;
  /** How the ledger names the caller: `key:<keyId>`, or `account:<id>` for a console session. */
  actor: string;
  /** When the caller's credentials lapse (ms since the epoch); a console session's expiry. */
  expiresAt?: number;
}

/**
 * The engine call context of a state operation: the caller's tenant, its actor `key:<keyId>`
 * (whose key id stamps `updatedBy` and lets the engine end subscriptions of a revoked key) and its
 * scopes, which the engine checks against the key or glob of the call.
 */
export function stateCallOf(caller: Caller): {
  tenantId: string;
  actor: string;
  callerScopes: readonly string[];
} {
  return { tenantId: caller.tenantId, actor: caller.actor, callerScopes: caller.scopes };
}

/** What Hono keeps per request. */
export interface RestEnv {
  Variables: {
    caller: Caller;
    requestId: string;
    /** Set on the web console's paths, which CORS leaves alone. */
    console?: true;
  };
}
