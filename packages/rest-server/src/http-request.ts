import type { IncomingMessage } from 'node:http';
import { MemnexError } from '@memnex/core';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/**
 * Reading a request through Hono's web `Request` makes the Node adapter build one (a `Headers`, an
 * `AbortController` and a body stream) for every request, which costs a cached read more than its
 * own work. On Node these helpers read the `IncomingMessage` the adapter keeps; on other runtimes,
 * and under `app.request()`, they fall back to the web `Request`.
 */
function incomingOf(context: Context): IncomingMessage | undefined {
  return (context.env as { incoming?: IncomingMessage } | undefined)?.incoming;
}

/** A header of a Node request by its lower-case name; repeated ones joined as `Headers.get` does. */
export function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A request header by its lower-case name. */
export function requestHeader(context: Context, name: string): string | undefined {
  const incoming = incomingOf(context);
  return incoming ? headerOf(incoming, name) : context.req.header(name);
}

/** Reads the headers of `context`'s request by lower-case name. */
export const headersOf =
  (context: Context) =>
  (name: string): string | undefined =>
    requestHeader(context, name);

const REQUEST_ID = /^[\w\-=]{1,255}$/u;

/**
 * The request id: the caller's `X-Request-Id` when it is 1–255 characters of `[A-Za-z0-9_=-]`,
 * else a new UUID; kept as `requestId` and sent back in `X-Request-Id`.
 */
export function requestIds(): MiddlewareHandler<{ Variables: { requestId: string } }> {
  return async (context, next) => {
    const given = requestHeader(context, 'x-request-id');
    const id = given !== undefined && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    context.set('requestId', id);
    context.header('X-Request-Id', id);
    await next();
  };
}

/**
 * Refuses a body over `maxBytes` with `onTooLarge` (by default `413 PAYLOAD_TOO_LARGE`). A body
 * whose `Content-Length` is given is judged by that header (Node's parser holds the client to it)
 * without touching the stream; a chunked one is counted as Hono's `bodyLimit` counts it.
 */
export function limitBody(
  maxBytes: number,
  onTooLarge: (context: Context) => Response | Promise<Response> = () => {
    throw new MemnexError({
      code: 'PAYLOAD_TOO_LARGE',
      message: `request body exceeds ${maxBytes} bytes`,
      details: { maxBytes },
    });
  },
): MiddlewareHandler {
  const counted = bodyLimit({ maxSize: maxBytes, onError: onTooLarge });
  return async (context, next) => {
    const method = context.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const length = requestHeader(context, 'content-length');
    if (length === undefined || requestHeader(context, 'transfer-encoding') !== undefined) {
      return counted(context, next);
    }
    return Number(length) > maxBytes ? onTooLarge(context) : next();
  };
}
