import { MemnexError, parseInput } from '@memnex/core';
import type { Context } from 'hono';
import type { AnyRoute } from './route.js';

/** The JSON body of a request; `VALIDATION_FAILED` when it is empty or not JSON. */
export async function jsonBody(context: Context): Promise<unknown> {
  const text = await context.req.text();
  if (text.trim() === '') {
    throw MemnexError.validation([
      { path: '', message: 'the request needs a JSON body', code: 'invalid_type' },
    ]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw MemnexError.validation([
      { path: '', message: 'the request body is not valid JSON', code: 'invalid_json' },
    ]);
  }
}

/**
 * The body, query and path parameters of a request, each parsed with the route's zod schema;
 * `VALIDATION_FAILED` listing every issue (paths prefixed `query.` and `params.`) otherwise.
 *
 * The engine parses its input again, as it must for in-process callers. This parse still earns
 * its place (about 2 µs for a memory read or write): the engine never sees a body's `tenantId` or
 * `actor`, which the handler replaces with the caller's, so only this strict parse refuses them;
 * and handlers read fields before any engine call (the user a pinned key may address, the
 * channel, the idempotency key).
 */
export async function parseRequest(
  route: AnyRoute,
  context: Context,
): Promise<{ body: unknown; query: unknown; params: unknown }> {
  return {
    body: route.body ? parseInput(route.body, await jsonBody(context)) : undefined,
    query: route.query ? parseInput(route.query, context.req.query(), 'query') : undefined,
    params: route.params ? parseInput(route.params, context.req.param(), 'params') : undefined,
  };
}
