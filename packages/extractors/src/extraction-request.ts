import { extractionFailed, silentLogger, type Logger, type MemnexError } from '@memnex/core';
import { postJson, type PostJsonFailure } from '@memnex/provider-utils';

/** Default time limit of one extraction request, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** How every model extractor sends its requests. */
export interface ExtractorRequestOptions {
  /** Time limit of one request in milliseconds; defaults to 10 000. */
  timeoutMs?: number;
  /** Extra headers sent with every request (an organisation or project header). */
  headers?: Record<string, string>;
  /** Fetch implementation; defaults to the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Receives a debug line per request; silent by default. */
  logger?: Logger;
}

/**
 * A poster of extraction requests to one provider's endpoint: `options.headers` under the
 * provider's own headers, `secrets` kept out of error excerpts. It returns the parsed JSON
 * answer; every failure becomes `EXTRACTION_FAILED` with `details.reason`: `TIMEOUT`,
 * `NETWORK_ERROR`, `HTTP_ERROR` (with the status and a short excerpt of the body, secrets
 * removed), `INVALID_JSON`, or `FAILED` when the caller aborted.
 */
export function extractionEndpoint(endpoint: {
  provider: string;
  url: string;
  headers: Record<string, string>;
  secrets: string[];
  options: ExtractorRequestOptions;
}): (body: unknown, signal?: AbortSignal) => Promise<unknown> {
  const { provider, url, secrets, options } = endpoint;
  const headers = { ...options.headers, ...endpoint.headers };
  const fetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const logger = options.logger ?? silentLogger;
  return (body, signal) =>
    postJson({
      provider,
      url,
      headers,
      body,
      fetch,
      timeoutMs,
      signal,
      secrets,
      logger,
      logMessage: 'extraction request',
      toError: extractionRequestFailed,
    });
}

/** The `EXTRACTION_FAILED` error of a failed request to a model endpoint. */
function extractionRequestFailed(failure: PostJsonFailure): MemnexError {
  const { provider } = failure;
  switch (failure.kind) {
    case 'timeout':
      return extractionFailed(
        'TIMEOUT',
        `${provider} extraction request timed out after ${failure.timeoutMs} ms`,
        { cause: failure.cause, details: { provider, timeoutMs: failure.timeoutMs } },
      );
    case 'aborted':
      return extractionFailed('FAILED', `${provider} extraction request aborted by the caller`, {
        cause: failure.cause,
        details: { provider, aborted: true },
      });
    case 'network':
      return extractionFailed(
        'NETWORK_ERROR',
        `${provider} extraction request failed before a response arrived`,
        { cause: failure.cause, details: { provider } },
      );
    case 'http':
      return extractionFailed(
        'HTTP_ERROR',
        `${provider} extraction request failed with status ${failure.status}: ${failure.body}`,
        { details: { provider, status: failure.status, body: failure.body } },
      );
    case 'invalid-json':
      return extractionFailed(
        'INVALID_JSON',
        `${provider} answered with invalid JSON: ${failure.body}`,
        { cause: failure.cause, details: { provider } },
      );
  }
}
