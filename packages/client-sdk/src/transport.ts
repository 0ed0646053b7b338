import { MemnexError } from '@memnex/core/wire';
import { describeError, responseFailure } from './response-error.js';
import type { AttemptOutcome } from './retry.js';

/**
 * Whether a failed call may be sent again. Reads are safe to repeat; so are calls whose second run
 * finds the work done or does it again to the same effect. Calls whose repeat would act twice, or
 * report a conflict with their own first run, are sent `once`.
 */
export type Delivery = 'retry' | 'once';

/** One call to the REST API, before the base URL and the shared headers are added. */
export interface HttpRequest {
  /** HTTP method. */
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the base URL, starting with `/v1/`. */
  path: string;
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | number | undefined>;
  /** JSON body; omitted when undefined. */
  body?: unknown;
}

/** Settings of {@link createTransport}. */
export interface TransportOptions {
  /** Base URL without a trailing slash or `/v1`, e.g. `http://127.0.0.1:8000`. */
  baseUrl: string;
  /** Headers sent with every request: auth, channel, client version, the caller's extras. */
  headers: Headers;
  /** The fetch implementation. */
  fetch: typeof globalThis.fetch;
  /** Time limit of one attempt, including reading the body. */
  timeoutMs: number;
}

/** Sends one attempt of a request and reports how it went, never retrying by itself. */
export interface Transport {
  /**
   * Resolves with the outcome of one attempt. Rejects only with the reason of `signal` when the
   * caller aborted, because that must stop the whole call rather than count as a failed attempt.
   */
  attempt(request: HttpRequest, signal?: AbortSignal): Promise<AttemptOutcome>;
}

/** Creates the transport that turns an {@link HttpRequest} into one fetch with a time limit. */
export function createTransport(options: TransportOptions): Transport {
  // Called unbound: a browser's fetch throws "Illegal invocation" when `this` is not the window.
  const fetchFunction = options.fetch;
  return {
    async attempt(request, signal) {
      if (signal?.aborted) throw signal.reason;
      const label = `${request.method} ${request.path}`;
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, options.timeoutMs);
      const forwardAbort = () => controller.abort(signal?.reason);
      signal?.addEventListener('abort', forwardAbort, { once: true });
      try {
        const response = await fetchFunction(buildUrl(options.baseUrl, request), {
          method: request.method,
          headers: requestHeaders(options.headers, request),
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          signal: controller.signal,
        });
        // The body is read under the same timer: a server that stalls mid-body is as unreachable
        // as one that never answers.
        const text = await response.text();
        return interpret(response, text, label);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (timedOut) {
          return {
            ok: false,
            error: new MemnexError({
              code: 'NETWORK_ERROR',
              message: `${label} timed out after ${options.timeoutMs} ms`,
            }),
          };
        }
        return {
          ok: false,
          error: new MemnexError({
            code: 'NETWORK_ERROR',
            message: `${label} could not reach ${options.baseUrl}: ${describeError(error)}`,
            cause: error,
          }),
        };
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', forwardAbort);
      }
    },
  };
}

function interpret(response: Response, text: string, label: string): AttemptOutcome {
  if (!response.ok) return { ok: false, ...responseFailure(response, text) };
  if (text === '') return { ok: true, body: undefined };
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch (error) {
    return {
      ok: false,
      error: new MemnexError({
        code: 'INTERNAL',
        message: `${label} answered ${response.status} with a body that is not JSON`,
        status: response.status,
        cause: error,
      }),
    };
  }
}

function buildUrl(baseUrl: string, request: HttpRequest): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) search.set(name, String(value));
  }
  const query = search.toString();
  return `${baseUrl}${request.path}${query === '' ? '' : `?${query}`}`;
}

function requestHeaders(shared: Headers, request: HttpRequest): Headers {
  const headers = new Headers(shared);
  if (request.body !== undefined) headers.set('content-type', 'application/json');
  return headers;
}
