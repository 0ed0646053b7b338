import { ERROR_CODES, MemnexError, type MemnexErrorCode } from '@memnex/core/wire';

/** How much of a body that is not a Memnex error is kept in `details.body`, for diagnosis. */
const BODY_EXCERPT_LENGTH = 500;

/**
 * The {@link MemnexError} for a failed HTTP response. A Memnex error body keeps the server's code,
 * message and details; anything else (a proxy's HTML page, an empty body) gets a code from the
 * status alone.
 */
export function errorFromResponse(status: number, statusText: string, text: string): MemnexError {
  const body = parseErrorBody(text);
  if (body !== undefined) {
    return new MemnexError({
      // A code this client does not know yet comes from a newer server; INTERNAL keeps the type
      // of `code` honest while the status still says what kind of failure it was.
      code: isKnownCode(body.code) ? body.code : 'INTERNAL',
      message: body.message,
      status,
      ...(body.details === undefined ? {} : { details: body.details }),
    });
  }
  const excerpt = text.trim().slice(0, BODY_EXCERPT_LENGTH);
  return new MemnexError({
    code: codeForBareStatus(status),
    message: `server answered ${status}${statusText ? ` ${statusText}` : ''} without a Memnex error body`,
    status,
    ...(excerpt === '' ? {} : { details: { body: excerpt } }),
  });
}

/**
 * The {@link MemnexError} for the `error` object of a message on a state subscription
 * (`{code, message, details?}`), or undefined when it is not one.
 */
export function errorFromMessage(error: unknown): MemnexError | undefined {
  const body = parseErrorObject(error);
  if (body === undefined) return undefined;
  return new MemnexError({
    code: isKnownCode(body.code) ? body.code : 'INTERNAL',
    message: body.message,
    ...(body.details === undefined ? {} : { details: body.details }),
  });
}

/**
 * Only statuses whose meaning does not depend on who sent them get a specific code. A bare 404
 * stays INTERNAL, because it usually means a wrong base URL, and `users.resolve` must not
 * mistake it for "nobody has this identifier".
 */
function codeForBareStatus(status: number): MemnexErrorCode {
  if (status === 502 || status === 503 || status === 504) return 'NETWORK_ERROR';
  if (status === 429) return 'RATE_LIMITED';
  return 'INTERNAL';
}

interface ParsedErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

function parseErrorBody(text: string): ParsedErrorBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  return parseErrorObject(parsed.error);
}

function parseErrorObject(error: unknown): ParsedErrorBody | undefined {
  if (!isRecord(error)) return undefined;
  const { code, message, details } = error;
  if (typeof code !== 'string') return undefined;
  return {
    code,
    message: typeof message === 'string' && message !== '' ? message : code,
    ...(isRecord(details) ? { details } : {}),
  };
}

function isKnownCode(code: string): code is MemnexErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
