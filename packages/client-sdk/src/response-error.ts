import { ERROR_CODES, MemnexError, type MemnexErrorCode } from '@memnex/core/wire';
import { parseRetryAfter } from './retry.js';

/** How much of a body that is not a Memnex error is kept in `details.body`, for diagnosis. */
const BODY_EXCERPT_LENGTH = 500;

/**
 * What a failed HTTP response means: its {@link MemnexError}, and how long the server asked to
 * wait before the next attempt (`Retry-After`), if it did.
 */
export function responseFailure(
  response: Response,
  text: string,
): { error: MemnexError; retryAfterMs: number | undefined } {
  return {
    error: errorFromResponse(response.status, response.statusText, text),
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
  };
}

/**
 * The {@link MemnexError} for a failed HTTP response. A Memnex error body keeps the server's code,
 * message and details; anything else (a proxy's HTML page, an empty body) gets a code from the
 * status alone.
 */
function errorFromResponse(status: number, statusText: string, text: string): MemnexError {
  const body = parseErrorBody(text);
  if (body !== undefined) return errorOf(body, status);
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
  return body === undefined ? undefined : errorOf(body);
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

function errorOf(body: ParsedErrorBody, status?: number): MemnexError {
  return new MemnexError({
    // A code this client does not know yet comes from a newer server; INTERNAL keeps the type
    // of `code` honest while the status still says what kind of failure it was.
    code: isKnownCode(body.code) ? body.code : 'INTERNAL',
    message: body.message,
    status,
    ...(body.details === undefined ? {} : { details: body.details }),
  });
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

/**
 * Answers `null` instead of a Memnex `NOT_FOUND`, which is an answer ("nobody has this
 * identifier", "no such key"); a bare 404 (a wrong base URL) is `INTERNAL` and still throws.
 */
export async function nullIfNotFound<Result>(promise: Promise<Result>): Promise<Result | null> {
  try {
    return await promise;
  } catch (error) {
    if (MemnexError.isInstance(error) && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

/** The text of a thrown value, for messages; Node's fetch hides the useful part in the cause. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

function isKnownCode(code: string): code is MemnexErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
