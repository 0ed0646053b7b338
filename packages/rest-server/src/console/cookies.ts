import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { parse } from 'hono/utils/cookie';
import type { Context } from 'hono';

/**
 * The session cookie over TLS: `__Host-` makes browsers refuse it unless it is `Secure`, has
 * `Path=/` and no `Domain`, so no sibling host can set or shadow it.
 */
const SECURE_NAME = '__Host-memnex_console';
/** The session cookie over plain HTTP (local development). */
const PLAIN_NAME = 'memnex_console';

/**
 * Set the session cookie: HttpOnly (scripts cannot read it), SameSite=Strict (other sites'
 * pages never send it), `Path=/` (the state WebSocket at `/v1/state/ws` gets it too), Secure over
 * TLS.
 */
export function setSessionCookie(
  context: Context,
  token: string,
  options: { maxAgeSeconds: number; secure: boolean },
): void {
  setCookie(context, options.secure ? SECURE_NAME : PLAIN_NAME, token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: options.secure,
    path: '/',
    maxAge: options.maxAgeSeconds,
  });
}

/** Remove the session cookie, under either name. */
export function clearSessionCookie(context: Context): void {
  deleteCookie(context, SECURE_NAME, {
    path: '/',
    secure: true,
    httpOnly: true,
    sameSite: 'Strict',
  });
  deleteCookie(context, PLAIN_NAME, { path: '/', httpOnly: true, sameSite: 'Strict' });
}

/** The session token of a request, from its `Cookie` header. */
export function sessionTokenOf(context: Context): string | undefined {
  return getCookie(context, SECURE_NAME) ?? getCookie(context, PLAIN_NAME);
}

/** The session token in a raw `Cookie` header (a WebSocket upgrade). */
export function sessionTokenOfHeader(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  const cookies = parse(cookieHeader);
  return cookies[SECURE_NAME] ?? cookies[PLAIN_NAME];
}
