import { MemnexError } from '../../errors.js';
import { globCovers } from '../../util/glob.js';
import type { CallContext } from '../context.js';

/** What a state scope grants: `state:read:<glob>`, `state:write:<glob>`, `state:schema:<glob>`. */
export type StateAction = 'read' | 'write' | 'schema';

/** Whether `scopes` let the caller act on every key `pattern` can name. `admin` grants all. */
export function grantsState(
  scopes: readonly string[],
  action: StateAction,
  pattern: string,
): boolean {
  if (scopes.includes('admin')) return true;
  const prefix = `state:${action}:`;
  return scopes.some(
    (scope) => scope.startsWith(prefix) && globCovers(scope.slice(prefix.length), pattern),
  );
}

/**
 * Throw `FORBIDDEN` unless the caller may act on `pattern` with one of `actions`. In-process
 * calls that state no scopes pass.
 */
export function requireStateScope(
  call: CallContext,
  actions: StateAction | readonly StateAction[],
  pattern: string,
): void {
  const scopes = call.callerScopes;
  if (!scopes) return;
  const wanted = typeof actions === 'string' ? [actions] : actions;
  if (wanted.some((action) => grantsState(scopes, action, pattern))) return;
  throw new MemnexError({
    code: 'FORBIDDEN',
    message: `this key may not ${wanted[0]} state key ${JSON.stringify(pattern)}`,
    details: { needed: `state:${wanted[0]}:${pattern}` },
  });
}
