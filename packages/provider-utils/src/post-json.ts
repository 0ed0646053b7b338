const EXCERPT_LENGTH = 200;

/** The one method of a logger {@link postJson} uses; the `Logger` of `@memnex/core` fits. */
export interface DebugLogger {
  /** Verbose diagnostics. */
  debug(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Why a JSON POST failed, handed to {@link PostJsonRequest.toError}. The time limit and the
 * caller's signal are only consulted when the exchange itself failed: an answer that arrived in
 * full is reported for what it is.
 */
export type PostJsonFailure =
  | {
      /** The time limit passed before the answer arrived in full. */
      kind: 'timeout';
      /** The request's `provider`. */
      provider: string;
      /** The request's `timeoutMs`. */
      timeoutMs: number;
      /** What fetch threw. */
      cause: unknown;
    }
  | {
      /** The caller's signal fired before the answer arrived in full. */
      kind: 'aborted';
      /** The request's `provider`. */
      provider: string;
      /** What fetch threw. */
      cause: unknown;
    }
  | {
      /** Fetch failed for another reason (refused connection, DNS, reset). */
      kind: 'network';
      /** The request's `provider`. */
      provider: string;
      /** What fetch threw. */
      cause: unknown;
    }
  | {
      /** The endpoint answered with a status outside 200–299. */
      kind: 'http';
      /** The request's `provider`. */
      provider: string;
      /** The HTTP status. */
      status: number;
      /** A short excerpt of the answer on one line, secrets removed. */
      body: string;
    }
  | {
      /** The endpoint answered 2xx with a body that is not JSON. */
      kind: 'invalid-json';
      /** The request's `provider`. */
      provider: string;
      /** A short excerpt of the answer on one line, secrets removed. */
      body: string;
      /** What `JSON.parse` threw. */
      cause: unknown;
    };

/** One JSON POST to a model endpoint. */
export interface PostJsonRequest {
  /** Provider name used in error messages, e.g. `openai`. */
  provider: string;
  /** Full URL of the endpoint. */
  url: string;
  /** Authentication and caller headers. */
  headers: Record<string, string>;
  /** Value sent as the JSON body. */
  body: unknown;
  /** The fetch implementation. */
  fetch: typeof globalThis.fetch;
  /** Time limit of the whole exchange, body included. */
  timeoutMs: number;
  /** Caller's abort signal. */
  signal?: AbortSignal;
  /** Strings that must never appear in an error message (API keys). */
  secrets: string[];
  /** Where to log the exchange at debug level. */
  logger: DebugLogger;
  /** Message of the debug line logged after each exchange, e.g. `embedding request`. */
  logMessage: string;
  /** The error thrown for a failure; each provider package keeps its own codes and messages. */
  toError(failure: PostJsonFailure): Error;
}

/**
 * POST `body` as JSON and return the parsed JSON answer. Every failure (timeout, caller abort,
 * network, non-2xx, invalid JSON) is described to `request.toError` and its result is thrown;
 * answer excerpts never contain the secrets.
 */
export async function postJson(request: PostJsonRequest): Promise<unknown> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const { provider } = request;
  const started = performance.now();
  let response: Response;
  let text: string;
  try {
    response = await request.fetch(request.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...request.headers,
      },
      body: JSON.stringify(request.body),
      signal,
    });
    text = await response.text();
  } catch (error) {
    if (timeout.aborted) {
      throw request.toError({
        kind: 'timeout',
        provider,
        timeoutMs: request.timeoutMs,
        cause: error,
      });
    }
    if (request.signal?.aborted) throw request.toError({ kind: 'aborted', provider, cause: error });
    throw request.toError({ kind: 'network', provider, cause: error });
  }
  request.logger.debug(request.logMessage, {
    provider,
    status: response.status,
    durationMs: Math.round(performance.now() - started),
  });
  if (!response.ok) {
    throw request.toError({
      kind: 'http',
      provider,
      status: response.status,
      body: redact(text, request.secrets),
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw request.toError({
      kind: 'invalid-json',
      provider,
      body: redact(text, request.secrets),
      cause: error,
    });
  }
}

/** `text` without the secrets, on one line, cut to a short excerpt. */
function redact(text: string, secrets: string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length > 0) result = result.split(secret).join('[redacted]');
  }
  result = result.replace(/\s+/gu, ' ').trim();
  return result.length > EXCERPT_LENGTH ? `${result.slice(0, EXCERPT_LENGTH)}…` : result;
}
