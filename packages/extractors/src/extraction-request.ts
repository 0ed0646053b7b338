import { extractionFailed, type MemnexError } from '@memnex/core';
import { postJson, type PostJsonFailure, type PostJsonRequest } from '@memnex/provider-utils';

/**
 * POST `body` as JSON to a model endpoint and return the parsed JSON answer. Every failure becomes
 * `EXTRACTION_FAILED` with `details.reason`: `TIMEOUT`, `NETWORK_ERROR`, `HTTP_ERROR` (with the
 * status and a short excerpt of the body, secrets removed), `INVALID_JSON`, or `FAILED` when the
 * caller aborted.
 */
export function postExtractionRequest(
  request: Omit<PostJsonRequest, 'logMessage' | 'toError'>,
): Promise<unknown> {
  return postJson({
    ...request,
    logMessage: 'extraction request',
    toError: extractionRequestFailed,
  });
}

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
