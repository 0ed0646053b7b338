import { MemnexError } from '@memnex/core';
import type { PostJsonFailure } from '@memnex/provider-utils';

/** An `EMBEDDING_FAILED` error; a MemnexError given as `cause` is returned unchanged. */
export function embeddingFailed(
  message: string,
  cause?: unknown,
  details?: Record<string, unknown>,
): MemnexError {
  if (MemnexError.isInstance(cause) && cause.code === 'EMBEDDING_FAILED') return cause;
  return new MemnexError({ code: 'EMBEDDING_FAILED', message, cause, details });
}

/** Throws `EMBEDDING_FAILED` when the caller's signal has already fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw embeddingFailed('embedding aborted by the caller', signal.reason, { aborted: true });
  }
}

/** The `EMBEDDING_FAILED` error of a failed request to an embedding endpoint. */
export function embeddingRequestFailed(failure: PostJsonFailure): MemnexError {
  const { provider } = failure;
  switch (failure.kind) {
    case 'timeout':
      return embeddingFailed(
        `${provider} embedding request timed out after ${failure.timeoutMs} ms`,
        failure.cause,
        { provider, timeoutMs: failure.timeoutMs },
      );
    case 'aborted':
      return embeddingFailed(`${provider} embedding request aborted by the caller`, failure.cause, {
        provider,
        aborted: true,
      });
    case 'network':
      return embeddingFailed(
        `${provider} embedding request failed before a response arrived`,
        failure.cause,
        { provider },
      );
    case 'http':
      return embeddingFailed(
        `${provider} embedding request failed with status ${failure.status}: ${failure.body}`,
        undefined,
        { provider, status: failure.status, body: failure.body },
      );
    case 'invalid-json':
      return embeddingFailed(
        `${provider} embedding request returned invalid JSON: ${failure.body}`,
        failure.cause,
        { provider },
      );
  }
}
