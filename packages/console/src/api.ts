/** A failed console API call: the server's error code and message, and the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The console's root URL (`…/console/`), from the `<base>` the server writes into the page. */
export function consoleRoot(): URL {
  return new URL('./', document.baseURI);
}

/** Fired on `window` when a call finds the session gone. */
export const SIGNED_OUT_EVENT = 'memnex:signed-out';

let csrfToken: string | null = null;

/** Remember the session's CSRF token; every changing call sends it back. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Call the console API (`api/<path>`) with the session cookie; JSON in, JSON out. */
export async function api<Result>(
  path: string,
  options: {
    method?: 'GET' | 'POST' | 'DELETE';
    body?: unknown;
    query?: Record<string, unknown>;
  } = {},
): Promise<Result> {
  const url = new URL(`api/${path}`, consoleRoot());
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== null && value !== '')
      url.searchParams.set(name, String(value));
  }
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', 'the server could not be reached');
  }
  const text = await response.text();
  const parsed = text === '' ? null : (JSON.parse(text) as unknown);
  if (!response.ok) {
    // The session ended (expired, or signed out elsewhere): the app shows the sign-in form.
    if (response.status === 401 && path !== 'session' && path !== 'sign-in') {
      window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
    }
    const error = (
      parsed as {
        error?: { code?: string; message?: string; details?: Record<string, unknown> };
      } | null
    )?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'INTERNAL',
      error?.message ?? `the server answered ${response.status}`,
      error?.details,
    );
  }
  return parsed as Result;
}

/** Offer JSON as a file download. */
export function download(filename: string, value: unknown): void {
  const blob = new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
