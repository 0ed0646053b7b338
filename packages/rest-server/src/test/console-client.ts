import type { RestApp } from '../create-rest-app.js';

/** What signing in answers. */
export interface StartedSession {
  account: { id: string; email: string; role: string };
  tenant: { id: string; name: string };
  csrfToken: string;
  expiresAt: string;
}

/**
 * A browser, as far as the console can tell: it keeps the session cookie, sends the page's
 * origin and the session's CSRF token on changes, like the console's own page does.
 */
export interface ConsoleClient {
  /** A request to the app with the cookie (unless `cookie: null`), origin and CSRF token. */
  call(
    method: string,
    path: string,
    options?: {
      body?: unknown;
      headers?: Record<string, string>;
      cookie?: string | null;
      csrf?: string | null;
    },
  ): Promise<Response>;
  /** A call that must succeed; its JSON. */
  ok<Result = any>(method: string, path: string, body?: unknown): Promise<Result>; // eslint-disable-line @typescript-eslint/no-explicit-any
  signUp(email: string, password: string, tenantName?: string): Promise<StartedSession>;
  signIn(email: string, password: string): Promise<Response>;
  /** `name=value` of the session cookie, once signed in. */
  cookie: string | null;
  csrf: string | null;
}

const ORIGIN = 'http://localhost';

/** A console client of an app served in process (`app.request`). */
export function createConsoleClient(rest: RestApp): ConsoleClient {
  const client: ConsoleClient = {
    cookie: null,
    csrf: null,
    async call(method, path, options = {}) {
      const cookie = options.cookie === undefined ? client.cookie : options.cookie;
      const csrf = options.csrf === undefined ? client.csrf : options.csrf;
      const response = await rest.app.request(path, {
        method,
        headers: {
          origin: ORIGIN,
          ...(cookie ? { cookie } : {}),
          ...(csrf && method !== 'GET' ? { 'x-csrf-token': csrf } : {}),
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
      const set = response.headers.get('set-cookie');
      const session = set ? /(?:__Host-)?memnex_console=([^;]*)/u.exec(set) : null;
      if (session) client.cookie = session[1] ? session[0] : null;
      return response;
    },
    async ok(method, path, body) {
      const response = await client.call(method, path, { body });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return JSON.parse(text);
    },
    async signUp(email, password, tenantName = 'Acme support') {
      const session = await client.ok<StartedSession>('POST', '/console/api/sign-up', {
        email,
        password,
        tenantName,
      });
      client.csrf = session.csrfToken;
      return session;
    },
    async signIn(email, password) {
      const response = await client.call('POST', '/console/api/sign-in', {
        body: { email, password },
      });
      if (response.ok) {
        client.csrf = ((await response.clone().json()) as StartedSession).csrfToken;
      }
      return response;
    },
  };
  return client;
}
