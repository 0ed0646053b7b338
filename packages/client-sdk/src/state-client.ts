import {
  MemnexError,
  stateSubscribeOptionsSchema,
  type StateDeleteResult,
  type StateEntry,
  type StateListResult,
  type StateSchemaRecord,
  type ValidationIssue,
} from '@memnex/core/wire';
import type { ResolvedClientOptions } from './client-options.js';
import { nullIfNotFound } from './response-error.js';
import { SseSubscription } from './state-sse.js';
import { SubscriptionCore } from './state-subscription.js';
import { StateSocketHub } from './state-websocket.js';
import type { Delivery, HttpRequest } from './transport.js';
import type {
  RequestOptions,
  StateClient,
  StateListOptions,
  StateSchemaDeleteResult,
  StateSubscription,
} from './types.js';

/** Sends one call with the client's retries. */
export type CallFunction = <Result>(
  request: HttpRequest,
  delivery: Delivery,
  options: RequestOptions | undefined,
) => Promise<Result>;

/** What {@link createStateClient} needs from the client. */
export interface StateClientContext {
  /** Sends a REST call. */
  call: CallFunction;
  /** The client's resolved options. */
  options: ResolvedClientOptions;
}

/**
 * The `state` group of the client. Reads, unconditional writes and schema changes are retried;
 * a `set` or `delete` with `ifVersion` is sent once, because a repeat after a lost answer would
 * fail with `CONFLICT` against its own first run.
 */
export function createStateClient({ call, options }: StateClientContext): StateClient {
  let hub: StateSocketHub | undefined;

  async function list(input: StateListOptions = {}): Promise<StateListResult> {
    const { pattern, prefix, limit, cursor } = input;
    return call<StateListResult>(
      { method: 'GET', path: '/v1/state/values', query: { pattern, prefix, limit, cursor } },
      'retry',
      input,
    );
  }

  async function* listAll(
    input: Omit<StateListOptions, 'cursor'> = {},
  ): AsyncGenerator<StateEntry, void, undefined> {
    let cursor: string | undefined;
    do {
      const page = await list({ ...input, cursor });
      yield* page.entries;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  function subscribe(
    ...[keyOrGlob, handler, subscriptionOptions = {}]: Parameters<StateClient['subscribe']>
  ): StateSubscription {
    checkSubscription(keyOrGlob, handler, subscriptionOptions);
    const core = new SubscriptionCore(keyOrGlob, handler, subscriptionOptions);
    const handle: StateSubscription = {
      pattern: keyOrGlob,
      ready: core.ready,
      get closed() {
        return core.closed;
      },
      close: () => core.cancel(new DOMException('the subscription was closed', 'AbortError')),
    };
    const { signal } = subscriptionOptions;
    if (signal?.aborted) {
      core.cancel(signal.reason);
      return handle;
    }
    const onAbort = () => core.cancel(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });

    const detachSignal = () => signal?.removeEventListener('abort', onAbort);

    // One socket carries every subscription of the client; without a WebSocket class, each
    // subscription reads its own event stream.
    const { WebSocket } = options;
    if (WebSocket === undefined) {
      const stream = new SseSubscription(core, options);
      core.onEnd = () => {
        detachSignal();
        stream.close();
      };
      stream.start();
    } else {
      const socketHub = (hub ??= new StateSocketHub({ ...options, WebSocket }));
      core.onEnd = () => {
        detachSignal();
        socketHub.remove(core);
      };
      socketHub.add(core);
    }
    return handle;
  }

  return {
    get: async (key, callOptions) =>
      nullIfNotFound(
        call<StateEntry>({ method: 'GET', path: valuePath(key) }, 'retry', callOptions),
      ),
    set: async (key, value, setOptions = {}) => {
      const { ifVersion, ttlSeconds } = setOptions;
      return call<StateEntry>(
        { method: 'PUT', path: valuePath(key), body: { value, ifVersion, ttlSeconds } },
        ifVersion === undefined ? 'retry' : 'once',
        setOptions,
      );
    },
    delete: async (key, deleteOptions = {}) => {
      const { ifVersion } = deleteOptions;
      return call<StateDeleteResult>(
        { method: 'DELETE', path: valuePath(key), query: { ifVersion } },
        ifVersion === undefined ? 'retry' : 'once',
        deleteOptions,
      );
    },
    list,
    listAll,
    getSchema: async (pattern, callOptions) =>
      nullIfNotFound(
        call<StateSchemaRecord>({ method: 'GET', path: schemaPath(pattern) }, 'retry', callOptions),
      ),
    setSchema: async (pattern, schema, callOptions) =>
      call<StateSchemaRecord>(
        { method: 'PUT', path: schemaPath(pattern), body: { schema } },
        'retry',
        callOptions,
      ),
    deleteSchema: async (pattern, callOptions) =>
      call<StateSchemaDeleteResult>(
        { method: 'DELETE', path: schemaPath(pattern) },
        'retry',
        callOptions,
      ),
    listSchemas: async (callOptions) => {
      const page = await call<{ schemas: StateSchemaRecord[] }>(
        { method: 'GET', path: '/v1/state/schemas' },
        'retry',
        callOptions,
      );
      return page.schemas;
    },
    subscribe,
  };
}

function valuePath(key: string): string {
  return `/v1/state/values/${pathSegment(key, 'key')}`;
}

function schemaPath(pattern: string): string {
  return `/v1/state/schemas/${pathSegment(pattern, 'pattern')}`;
}

/**
 * A key or pattern as one path segment. `/`, `:`, `?`, `#`, `%` and the like are percent-encoded;
 * `*` may stay as it is. An empty string would name the collection instead, and URLs resolve the
 * segments `.` and `..` (encoded or not) away, so those are refused before sending.
 */
function pathSegment(value: string, name: string): string {
  if (typeof value !== 'string' || value === '' || value === '.' || value === '..') {
    throw MemnexError.validation([
      {
        path: name,
        message: `must be a non-empty string other than '.' and '..', which a URL path cannot carry`,
        code: 'invalid_value',
      },
    ]);
  }
  return encodeURIComponent(value);
}

/** Throws `VALIDATION_FAILED` for a pattern or options the server would refuse. */
function checkSubscription(
  pattern: string,
  handler: unknown,
  subscriptionOptions: { sinceVersion?: number; events?: readonly string[] },
): void {
  const issues: ValidationIssue[] = [];
  const parsed = stateSubscribeOptionsSchema.safeParse({
    pattern,
    sinceVersion: subscriptionOptions.sinceVersion,
    events: subscriptionOptions.events,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.push({
        path: issue.path.map((segment) => String(segment)).join('.'),
        message: issue.message,
        code: issue.code,
      });
    }
  }
  if (typeof handler !== 'function') {
    issues.push({ path: 'handler', message: 'must be a function', code: 'invalid_type' });
  }
  if (issues.length > 0) throw MemnexError.validation(issues);
}
