import type { AuditEntryView, KeyView, WriteInput } from '@memnex/core/wire';
import { resolveClientOptions } from './client-options.js';
import { randomIdempotencyKey } from './idempotency-key.js';
import { nullIfNotFound } from './response-error.js';
import { withRetries } from './retry.js';
import { createStateClient } from './state-client.js';
import { createTransport, type Delivery, type HttpRequest } from './transport.js';
import type {
  MemnexClient,
  MemnexClientOptions,
  RequestOptions,
  WriteRequestOptions,
} from './types.js';

// Delivery: reads are safe to repeat; so are `write` (under its idempotency key), `link`, `unlink`,
// `forget` and `keys.revoke`, whose second run finds the work done. Minting a key, merging,
// unmerging and revealing are sent `once`: a lost answer does not mean the server did nothing, and
// a repeat would act twice or audit twice.

/**
 * Creates a client of the Memnex REST API. Throws `VALIDATION_FAILED` at once when the URL or the
 * API key is missing or malformed.
 *
 * @example
 * const memnex = createMemnexClient({ url: 'http://127.0.0.1:8000', apiKey, channel: 'voice' });
 * const { context } = await memnex.memory.read({ user: { userId: 'u_42' } });
 */
export function createMemnexClient(options: MemnexClientOptions): MemnexClient {
  const resolved = resolveClientOptions(options);
  const transport = createTransport(resolved);

  async function call<Result>(
    request: HttpRequest,
    delivery: Delivery,
    callOptions: RequestOptions | undefined,
  ): Promise<Result> {
    const signal = callOptions?.signal;
    const body = await withRetries(() => transport.attempt(request, signal), {
      retryable: delivery === 'retry',
      maxRetries: resolved.maxRetries,
      baseDelayMs: resolved.retryDelayMs,
      signal,
    });
    return body as Result;
  }

  const post = <Result>(
    path: string,
    body: unknown,
    delivery: Delivery,
    callOptions?: RequestOptions,
  ) => call<Result>({ method: 'POST', path, body }, delivery, callOptions);

  return {
    memory: {
      write(input, callOptions?: WriteRequestOptions) {
        // One key per call, chosen before the first attempt, so every retry replays the same write.
        const idempotencyKey =
          callOptions?.idempotencyKey ?? input.idempotencyKey ?? randomIdempotencyKey();
        const body: WriteInput = { ...input, idempotencyKey };
        return post('/v1/memory/write', body, 'retry', callOptions);
      },
      read: (input, callOptions) => post('/v1/memory/read', input, 'retry', callOptions),
      search: (input, callOptions) => post('/v1/memory/search', input, 'retry', callOptions),
      trace: (input, callOptions) => post('/v1/memory/trace', input, 'retry', callOptions),
      forget: (input, callOptions) => post('/v1/memory/forget', input, 'retry', callOptions),
      export: (input, callOptions) => post('/v1/memory/export', input, 'retry', callOptions),
      timeline: (input, callOptions) => post('/v1/memory/timeline', input, 'retry', callOptions),
      reveal: (input, callOptions) => post('/v1/memory/reveal', input, 'once', callOptions),
    },
    users: {
      // "Nobody has this identifier" is an answer, not a failure.
      resolve: (input, callOptions) =>
        nullIfNotFound(post('/v1/identifiers/resolve', input, 'retry', callOptions)),
      link: (input, callOptions) => post('/v1/identifiers/link', input, 'retry', callOptions),
      unlink: (input, callOptions) => post('/v1/identifiers/unlink', input, 'retry', callOptions),
      merge: (input, callOptions) => post('/v1/users/merge', input, 'once', callOptions),
      unmerge: (input, callOptions) => post('/v1/users/unmerge', input, 'once', callOptions),
    },
    keys: {
      create: (input, callOptions) => post('/v1/keys', input, 'once', callOptions),
      async list(callOptions) {
        const page = await call<{ keys: KeyView[] }>(
          { method: 'GET', path: '/v1/keys' },
          'retry',
          callOptions,
        );
        return page.keys;
      },
      revoke: (keyId, callOptions) =>
        call(
          { method: 'DELETE', path: `/v1/keys/${encodeURIComponent(keyId)}` },
          'retry',
          callOptions,
        ),
    },
    audit: {
      async entries(input, callOptions) {
        const query = { afterSeq: input?.afterSeq, limit: input?.limit, op: input?.op };
        const page = await call<{ entries: AuditEntryView[] }>(
          { method: 'GET', path: '/v1/audit/entries', query },
          'retry',
          callOptions,
        );
        return page.entries;
      },
      verify: (callOptions) =>
        call({ method: 'GET', path: '/v1/audit/verify' }, 'retry', callOptions),
      verifyReceipt: (receipt, callOptions) =>
        post('/v1/audit/receipts/verify', receipt, 'retry', callOptions),
    },
    tenant: {
      stats: (callOptions) =>
        call({ method: 'GET', path: '/v1/tenant/stats' }, 'retry', callOptions),
    },
    state: createStateClient({ call, options: resolved }),
  };
}
