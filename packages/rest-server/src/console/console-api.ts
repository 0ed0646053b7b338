import { MemnexError } from '@memnex/core';
import { Hono } from 'hono';
import { auditRoutes } from './audit-routes.js';
import { sessionRoutes, signInRoutes, statusRoute } from './auth-routes.js';
import { sessionTokenOf, clearSessionCookie } from './cookies.js';
import type { ConsoleEnv } from './console-http.js';
import { consoleDisabled, csrfMatches, type ConsoleService } from './console-service.js';
import { CHANGING_METHODS, isCrossOrigin, refuseCrossOrigin, requestHost } from './guards.js';
import { limitBody } from '../http-request.js';
import { keysRoutes } from './keys-routes.js';
import { overviewRoutes } from './overview-routes.js';
import { peopleRoutes } from './people-routes.js';

/** Largest console request body; the console sends small forms only. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * The console's API, mounted at `/console/api`. Every route but `status`, `sign-up` and
 * `sign-in` needs a session, whose tenant is the only one the route ever reads or changes. Every
 * changing request must come from the console's own origin, and with a session it must carry
 * the session's CSRF token in `X-CSRF-Token`.
 */
export function createConsoleApi(service: ConsoleService): Hono<ConsoleEnv> {
  const api = new Hono<ConsoleEnv>();
  api.use(async (context, next) => {
    await next();
    context.header('cache-control', 'no-store');
  });
  api.use(limitBody(MAX_BODY_BYTES));
  api.use(async (context, next) => {
    const header = (name: string) => context.req.header(name);
    if (
      CHANGING_METHODS.has(context.req.method) &&
      isCrossOrigin(header, requestHost(header, service.trustProxy, context.req.url))
    ) {
      throw refuseCrossOrigin();
    }
    await next();
  });
  statusRoute(api, service);
  signInRoutes(api, service);

  api.use(async (context, next) => {
    if (!service.tokens) throw consoleDisabled();
    const token = sessionTokenOf(context);
    if (!token) {
      throw new MemnexError({ code: 'UNAUTHENTICATED', message: 'sign in to the console first' });
    }
    const session = await service.authenticate(token);
    if (!session) {
      clearSessionCookie(context);
      throw new MemnexError({
        code: 'UNAUTHENTICATED',
        message: 'the session expired or is not valid; sign in again',
      });
    }
    if (
      CHANGING_METHODS.has(context.req.method) &&
      !csrfMatches(context.req.header('x-csrf-token'), session.claims.csrf)
    ) {
      throw new MemnexError({
        code: 'FORBIDDEN',
        message: 'missing or wrong X-CSRF-Token header',
        details: { reason: 'csrf' },
      });
    }
    context.set('session', session);
    await next();
  });
  sessionRoutes(api, service);
  overviewRoutes(api, service);
  keysRoutes(api, service);
  peopleRoutes(api, service);
  auditRoutes(api, service);
  api.all('*', () => {
    throw new MemnexError({ code: 'NOT_FOUND', message: 'no such console API route' });
  });
  return api;
}
