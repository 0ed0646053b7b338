import type { IncomingMessage } from 'node:http';
import { MemnexError } from '@memnex/core';
import type { Context } from 'hono';

/** Methods that change something: they need a same-origin request (and a CSRF token). */
export const CHANGING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The first comma-separated value of a header, trimmed and lower-cased. */
function firstValue(value: string | undefined): string | undefined {
  return value?.split(',')[0]?.trim().toLowerCase() || undefined;
}

/**
 * The host (with port) the browser addressed: `X-Forwarded-Host` behind a trusted proxy, else
 * `Host` (or the host of the request's URL, which the HTTP server builds from it).
 */
export function requestHost(
  header: (name: string) => string | undefined,
  trustProxy: boolean,
  url?: string,
): string | undefined {
  const forwarded = trustProxy ? firstValue(header('x-forwarded-host')) : undefined;
  return (
    forwarded ?? firstValue(header('host')) ?? (url ? new URL(url).host.toLowerCase() : undefined)
  );
}

/**
 * Whether a browser sent this request from another origin. `Origin` must name the addressed
 * host; without `Origin`, `Sec-Fetch-Site` must be `same-origin`; a request with neither does
 * not come from a browser page, so it cannot be a forgery (and still needs the session's CSRF
 * token).
 */
export function isCrossOrigin(
  header: (name: string) => string | undefined,
  ownHost: string | undefined,
): boolean {
  const origin = header('origin')?.trim();
  if (origin !== undefined && origin !== '') {
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host.toLowerCase();
    } catch {
      return true;
    }
    return ownHost === undefined || originHost !== ownHost;
  }
  const site = header('sec-fetch-site')?.trim().toLowerCase();
  return site !== undefined && site !== 'same-origin' && site !== 'none';
}

/** `FORBIDDEN` for a changing request from another origin. */
export function refuseCrossOrigin(): MemnexError {
  return new MemnexError({
    code: 'FORBIDDEN',
    message: 'cross-origin requests to the console are refused',
    details: { reason: 'cross_origin' },
  });
}

/**
 * Whether the browser reached the server over TLS: the request's own URL, or a proxy in front
 * saying so (`X-Forwarded-Proto: https`, `Forwarded: proto=https`). Trusting these costs nothing:
 * they only ever add `Secure` to the cookie, which a plain-HTTP attacker cannot then read.
 */
export function isHttps(context: Context): boolean {
  if (new URL(context.req.url).protocol === 'https:') return true;
  if (firstValue(context.req.header('x-forwarded-proto')) === 'https') return true;
  return /(?:^|[;,\s])proto=https(?:$|[;,\s])/iu.test(context.req.header('forwarded') ?? '');
}

/** The client address a sign-in attempt is counted against. */
export function clientAddress(context: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = context.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  const incoming = (context.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}
