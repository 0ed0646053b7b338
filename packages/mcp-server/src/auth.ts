import { requireScope as requireCallerScope, type Logger, type Memnex } from '@memnex/core';
import { type Channel } from '@memnex/core/wire';

/** Who a session acts for: the verified API key and the conversation channel. */
export interface McpAuth {
  /** Tenant of the key; every engine call of the session is made in it. */
  tenantId: string;
  /** Id of the key (`k<8 hex>`); engine calls act as `key:<keyId>`. */
  keyId: string;
  /** Scopes of the key, checked before every tool call, resource read and subscription. */
  scopes: readonly string[];
  /** Channel of the conversation: picks the `memory_read` format and stamps writes. */
  channel?: Channel | null;
  /** When set, the key may only address this user (a device-side agent's key). */
  pinnedUserId?: string | null;
}

/** What every tool, resource and subscription of one session needs. */
export interface SessionContext {
  memnex: Memnex;
  auth: McpAuth;
  logger: Logger;
}

/** The scope each memory operation needs. */
export const SCOPES = {
  read: 'memory:read',
  write: 'memory:write',
  forget: 'memory:forget',
} as const;

/**
 * The call context of the session's memory calls: its tenant, and `actor` `key:<keyId>`. The
 * engine's memory operations do not accept `callerScopes` yet (their strict input schemas refuse
 * the field), so scopes are enforced at this edge by {@link requireScope} before every call.
 */
export function callContextOf(auth: McpAuth): { tenantId: string; actor: string } {
  return { tenantId: auth.tenantId, actor: `key:${auth.keyId}` };
}

/**
 * The call context of the session's shared-state calls: that of memory calls plus the key's
 * scopes, whose `state:*` grants the engine checks against each key itself. The engine records the
 * key id of `actor` as `updatedBy` and looks it up to end running subscriptions when the key is
 * revoked.
 */
export function stateCallOf(auth: McpAuth): {
  tenantId: string;
  actor: string;
  callerScopes: readonly string[];
} {
  return { ...callContextOf(auth), callerScopes: auth.scopes };
}

/** Throw `FORBIDDEN` unless the session's key grants `needed` (`admin` grants every scope). */
export function requireScope(auth: McpAuth, needed: string): void {
  requireCallerScope({ callerScopes: auth.scopes }, needed);
}
