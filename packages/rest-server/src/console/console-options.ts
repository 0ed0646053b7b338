import type { RateLimiter } from '@memnex/core';

/** Options of the web console, served at `/console` (see `createRestApp`). */
export interface ConsoleOptions {
  /**
   * Secret that signs session tokens (HS256; `MEMNEX_JWT_SIGNING_KEY`), at least 32 bytes.
   * Without it the console page loads and says how to turn the console on, and its API answers
   * `503` with the same instructions.
   */
  signingKey?: string | null;
  /**
   * Limits sign-in and sign-up attempts per e-mail and per client address: each attempt takes 1
   * point of the address's allowance and 3 of the e-mail's. Required with a signing key; use a
   * Redis-backed limiter when several instances serve the console.
   */
  rateLimiter?: RateLimiter | null;
  /** How long a session lasts, in seconds (default 8 hours). */
  sessionTtlSeconds?: number;
  /**
   * Take the client address from the last `X-Forwarded-For` entry (and the host from
   * `X-Forwarded-Host`): only behind a proxy that sets them. Default false.
   */
  trustProxy?: boolean;
  /** Clock, for tests. */
  now?: () => Date;
}

/** How to turn the console on, as the page and the API say it. */
export const ENABLE_INSTRUCTIONS =
  'The console is off: set MEMNEX_JWT_SIGNING_KEY to a random secret of at least 32 bytes ' +
  '(e.g. `openssl rand -base64 48`) in the server environment and restart the server.';
