import { MemnexError } from '@memnex/core';

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
