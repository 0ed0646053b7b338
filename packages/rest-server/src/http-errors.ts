import { MemnexError, type Logger } from '@memnex/core';
import type { ErrorBody } from '@memnex/core/wire';

/** A failed request as it goes on the wire: the status and `{error: {code, message, details?}}`. */
export interface ErrorReply {
  status: number;
  body: ErrorBody;
  /** Extra headers, e.g. `Retry-After`. */
  headers?: Record<string, string>;
}

/**
 * The one mapping from failures to HTTP. MemnexErrors keep their code and status; anything else is
 * `INTERNAL`, logged with the request id and never shown to the caller.
 */
export function errorReplyOf(
  error: unknown,
  logger: Logger,
  fields: Record<string, unknown> = {},
): ErrorReply {
  if (MemnexError.isInstance(error)) {
    if (error.status >= 500) logger.error('request failed', { ...fields, error, code: error.code });
    const retryAfter = error.details?.retryAfterSeconds;
    return {
      status: error.status,
      body: { error: error.toJSON() },
      ...(typeof retryAfter === 'number' ? { headers: { 'retry-after': String(retryAfter) } } : {}),
    };
  }
  logger.error('unexpected error in a request', { ...fields, error });
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error' } } };
}
