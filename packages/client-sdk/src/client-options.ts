import { MemnexError, type ValidationIssue } from '@memnex/core/wire';
import type { MemnexClientOptions, StateWebSocketConstructor } from './types.js';
import { CLIENT_VERSION } from './version.js';

/** The client's options with defaults applied and checked. */
export interface ResolvedClientOptions {
  /** Base URL without a trailing slash or `/v1`. */
  baseUrl: string;
  /** Headers sent with every request. */
  headers: Headers;
  /** The fetch implementation. */
  fetch: typeof globalThis.fetch;
  /** Retries after the first attempt of an idempotent call. */
  maxRetries: number;
  /** Time limit of one attempt in milliseconds. */
  timeoutMs: number;
  /** Base of the exponential backoff in milliseconds. */
  retryDelayMs: number;
  /** The API key, for the first message of the state WebSocket. */
  apiKey: string;
  /** WebSocket class of state subscriptions; undefined when they use server-sent events. */
  WebSocket: StateWebSocketConstructor | undefined;
}

/** Checks the options and fills in defaults; throws `VALIDATION_FAILED` listing every problem. */
export function resolveClientOptions(options: MemnexClientOptions): ResolvedClientOptions {
  const issues: ValidationIssue[] = [];
  const baseUrl = normalizeBaseUrl(options.url, issues);
  if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
    issues.push({ path: 'apiKey', message: 'must be a non-empty string', code: 'too_small' });
  }
  const maxRetries = options.maxRetries ?? 2;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    issues.push({ path: 'maxRetries', message: 'must be an integer >= 0', code: 'invalid_value' });
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    issues.push({ path: 'timeoutMs', message: 'must be a number > 0', code: 'invalid_value' });
  }
  const retryDelayMs = options.retryDelayMs ?? 250;
  if (!Number.isFinite(retryDelayMs) || retryDelayMs < 0) {
    issues.push({ path: 'retryDelayMs', message: 'must be a number >= 0', code: 'invalid_value' });
  }
  const fetchFunction = options.fetch ?? defaultFetch();
  if (typeof fetchFunction !== 'function') {
    issues.push({ path: 'fetch', message: 'no global fetch; pass one', code: 'invalid_type' });
  }
  const webSocket = options.WebSocket === undefined ? defaultWebSocket() : options.WebSocket;
  if (webSocket !== null && webSocket !== undefined && typeof webSocket !== 'function') {
    issues.push({
      path: 'WebSocket',
      message: 'must be a WebSocket class, or null for server-sent events',
      code: 'invalid_type',
    });
  }
  if (issues.length > 0) throw MemnexError.validation(issues);

  const headers = new Headers(options.headers);
  // Set after the caller's extras, so that a stray header cannot replace the key or channel.
  headers.set('authorization', `Bearer ${options.apiKey}`);
  headers.set('accept', 'application/json');
  // Browsers forbid setting user-agent, so the client names itself in a header of its own.
  headers.set('x-memnex-client', `memnex-client/${CLIENT_VERSION}`);
  if (options.channel !== undefined) headers.set('x-memnex-channel', options.channel);
  return {
    baseUrl,
    headers,
    fetch: fetchFunction as typeof globalThis.fetch,
    maxRetries,
    timeoutMs,
    retryDelayMs,
    apiKey: options.apiKey,
    WebSocket: webSocket ?? undefined,
  };
}

/**
 * `http://host:8000/`, `http://host:8000/v1` and `http://host:8000/v1/` all become
 * `http://host:8000`; a path prefix in front of `/v1` (a proxy mount) is kept.
 */
function normalizeBaseUrl(url: unknown, issues: ValidationIssue[]): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    issues.push({
      path: 'url',
      message: 'must be an absolute http(s) URL',
      code: 'invalid_format',
    });
    return '';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    issues.push({ path: 'url', message: 'must use http or https', code: 'invalid_format' });
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    issues.push({
      path: 'url',
      message: 'must not have a query or fragment',
      code: 'invalid_format',
    });
  }
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return `${parsed.origin}${path}`;
}

function defaultFetch(): typeof globalThis.fetch | undefined {
  return typeof globalThis.fetch === 'function' ? globalThis.fetch.bind(globalThis) : undefined;
}

/** The global WebSocket of browsers, Deno, Bun and Node 22 and later; Node 20 has none. */
function defaultWebSocket(): StateWebSocketConstructor | undefined {
  const candidate = (globalThis as { WebSocket?: unknown }).WebSocket;
  return typeof candidate === 'function' ? (candidate as StateWebSocketConstructor) : undefined;
}
