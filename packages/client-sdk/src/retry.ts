import type { MemnexError } from '@memnex/core/wire';

/** Statuses that say "try again later": rate limited, or a gateway that lost the server. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** Longest backoff between two attempts when the server gave no `Retry-After`. */
export const MAX_BACKOFF_MS = 10_000;

/** Longest wait the client accepts from a `Retry-After` header. */
export const MAX_RETRY_AFTER_MS = 30_000;

/** Longest backoff between two attempts to reconnect a state subscription. */
export const MAX_RECONNECT_DELAY_MS = 30_000;

/** What one attempt produced: the parsed body, or an error and how long the server asked to wait. */
export type AttemptOutcome =
  { ok: true; body: unknown } | { ok: false; error: MemnexError; retryAfterMs?: number };

/** How {@link withRetries} repeats a call. */
export interface RetryOptions {
  /** Whether the call may be sent again; false for calls that are not idempotent. */
  retryable: boolean;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Base of the exponential backoff in milliseconds. */
  baseDelayMs: number;
  /** Stops the waits between attempts; the abort reason is thrown. */
  signal?: AbortSignal;
  /** Source of randomness in [0, 1) for the jitter; `Math.random` unless a test pins it. */
  random?: () => number;
}

/** Whether a failed attempt may succeed when sent again. */
export function isRetryableError(error: MemnexError): boolean {
  return error.code === 'NETWORK_ERROR' || RETRYABLE_STATUSES.has(error.status);
}

/**
 * Delay before retry number `attempt` (0 for the first retry): the server's `Retry-After` when it
 * gave one, else exponential backoff with full jitter so that many clients do not retry in step.
 */
export function retryDelayMs(options: {
  attempt: number;
  baseDelayMs: number;
  retryAfterMs?: number;
  random?: () => number;
  /** Cap of the backoff; {@link MAX_BACKOFF_MS} unless given. */
  maxDelayMs?: number;
}): number {
  if (options.retryAfterMs !== undefined) return Math.min(options.retryAfterMs, MAX_RETRY_AFTER_MS);
  const ceiling = Math.min(
    options.baseDelayMs * 2 ** options.attempt,
    options.maxDelayMs ?? MAX_BACKOFF_MS,
  );
  return Math.floor((options.random ?? Math.random)() * ceiling);
}

/** Milliseconds asked for by a `Retry-After` header (seconds or an HTTP date), if it parses. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Runs `attempt` until it succeeds, fails in a way a retry cannot fix, or the retries are used up;
 * then returns the body or throws the last error.
 */
export async function withRetries(
  attempt: () => Promise<AttemptOutcome>,
  options: RetryOptions,
): Promise<unknown> {
  for (let retry = 0; ; retry += 1) {
    const outcome = await attempt();
    if (outcome.ok) return outcome.body;
    const canRetry =
      options.retryable && retry < options.maxRetries && isRetryableError(outcome.error);
    if (!canRetry) throw outcome.error;
    const delay = retryDelayMs({
      attempt: retry,
      baseDelayMs: options.baseDelayMs,
      retryAfterMs: outcome.retryAfterMs,
      random: options.random,
    });
    await sleep(delay, options.signal);
  }
}

/** Waits `milliseconds`, or rejects with the abort reason as soon as `signal` aborts. */
export function sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
