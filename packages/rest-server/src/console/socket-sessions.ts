import type { IncomingMessage } from 'node:http';
import { MemnexError } from '@memnex/core';
import type { Caller } from '../caller.js';
import { headerOf } from '../http-request.js';
import { sessionTokenOfHeader } from './cookies.js';
import { callerOfSession, type ConsoleService } from './console-service.js';
import { isCrossOrigin, requestHost } from './guards.js';

/** Lets a console session open the state WebSocket with its cookie. */
export interface SocketSessions {
  /** Whether the upgrade carries a console session cookie. */
  present(request: IncomingMessage): boolean;
  /**
   * The caller of the session, or `UNAUTHENTICATED`: the upgrade must come from a page of this
   * server (its `Origin` names this host: browsers always send it, and other sites' pages
   * cannot forge it), and the session must be valid.
   */
  authenticate(request: IncomingMessage): Promise<Caller>;
}

/** Console sessions on the state socket; null while the console is off. */
export function createSocketSessions(service: ConsoleService): SocketSessions | null {
  if (!service.tokens) return null;
  const refuse = (message: string) => new MemnexError({ code: 'UNAUTHENTICATED', message });
  return {
    present: (request) => sessionTokenOfHeader(headerOf(request, 'cookie')) !== undefined,
    async authenticate(request) {
      const header = (name: string) => headerOf(request, name);
      // The console API's origin check, with `Origin` required: browsers always send it on an
      // upgrade, and no CSRF token comes with a socket.
      if (
        !header('origin')?.trim() ||
        isCrossOrigin(header, requestHost(header, service.trustProxy))
      ) {
        throw refuse('a console session may only open this socket from the console itself');
      }
      const token = sessionTokenOfHeader(header('cookie'));
      const session = token === undefined ? null : await service.authenticate(token);
      if (!session) throw refuse('the console session expired or is not valid; sign in again');
      return callerOfSession(session);
    },
  };
}
