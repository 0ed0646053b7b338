import { extractionFailed, type Logger } from '@memnex/core';

const EXCERPT_LENGTH = 200;

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
  logger: Logger;
}

/**
 * POST `body` as JSON and return the parsed JSON answer. Every failure becomes
 * `EXTRACTION_FAILED` with `details.reason`: `TIMEOUT`, `NETWORK_ERROR`, `HTTP_ERROR` (with the
 * status and a short excerpt of the body, secrets removed) or `INVALID_JSON`.
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
      throw extractionFailed(
        'TIMEOUT',
        `${provider} extraction request timed out after ${request.timeoutMs} ms`,
        {
          cause: error,
          details: { provider, timeoutMs: request.timeoutMs },
        },
      );
    }
    if (request.signal?.aborted) {
      throw extractionFailed('FAILED', `${provider} extraction request aborted by the caller`, {
        cause: error,
        details: { provider, aborted: true },
      });
    }
    throw extractionFailed(
      'NETWORK_ERROR',
      `${provider} extraction request failed before a response arrived`,
      {
        cause: error,
        details: { provider },
      },
    );
  }
  request.logger.debug('extraction request', {
    provider,
    status: response.status,
    durationMs: Math.round(performance.now() - started),
  });
  if (!response.ok) {
    const excerpt = redact(text, request.secrets);
    throw extractionFailed(
      'HTTP_ERROR',
      `${provider} extraction request failed with status ${response.status}: ${excerpt}`,
      {
        details: { provider, status: response.status, body: excerpt },
      },
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw extractionFailed(
      'INVALID_JSON',
      `${provider} answered with invalid JSON: ${redact(text, request.secrets)}`,
      {
        cause: error,
        details: { provider },
      },
    );
  }
}

/** `text` without the secrets, on one line, cut to a short excerpt. */
export function redact(text: string, secrets: string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length > 0) result = result.split(secret).join('[redacted]');
  }
  result = result.replace(/\s+/gu, ' ').trim();
  return result.length > EXCERPT_LENGTH ? `${result.slice(0, EXCERPT_LENGTH)}…` : result;
}
