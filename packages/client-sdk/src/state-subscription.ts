import {
  MemnexError,
  STATE_EVENT_KINDS,
  STATE_LIMITS,
  type MemnexErrorCode,
  type StateEvent,
  type StateEventKind,
  type StateReady,
} from '@memnex/core/wire';
import { describeError, isRecord } from './response-error.js';
import type {
  StateEventHandler,
  StateSubscriptionErrorInfo,
  StateSubscriptionOptions,
} from './types.js';

/** Where a subscribe starts: the `sinceVersion` and `since` fields of the request. */
export interface ResumePoint {
  /** Replay every change after this version of keys not named in `since`. */
  sinceVersion?: number;
  /** Replay every change after these versions of these keys. */
  since?: Record<string, number>;
}

/** A cap on the size of a `since` map, beyond its number of keys. */
export interface SinceBudget {
  /** Largest total cost of the keys kept. */
  maxCost: number;
  /** The cost of naming one key, e.g. its length once encoded in a URL. */
  cost: (key: string, version: number) => number;
}

/**
 * Errors after which subscribing again could succeed. Any other code (a rejected key, a missing
 * scope, an invalid pattern) ends the subscription.
 */
const RETRYABLE_CODES: ReadonlySet<MemnexErrorCode> = new Set<MemnexErrorCode>([
  'NETWORK_ERROR',
  'RATE_LIMITED',
  'STORAGE_UNAVAILABLE',
  'EMBEDDING_FAILED',
  'INTERNAL',
]);

/** Whether an error ends a subscription rather than making it subscribe again. */
export function isFatalSubscriptionError(error: MemnexError): boolean {
  return !RETRYABLE_CODES.has(error.code);
}

/** Whether an error says the API key itself was refused, which ends every subscription. */
export function isAuthError(error: MemnexError): boolean {
  return error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN';
}

/**
 * One subscription, apart from how its messages travel: it remembers the last version seen of
 * every key, builds the resume point of each (re)subscribe from it, drops what it has already
 * delivered, and shields delivery from the handler's exceptions.
 *
 * Versions of keys and the schema revision are tracked apart: a `schema` event's `version` is the
 * tenant's schema revision, and its `key` a glob, so it never enters the per-key map. Schema events
 * are deduplicated by revision: one at or below the highest revision delivered is dropped.
 */
export class SubscriptionCore {
  /** The key or glob. */
  readonly pattern: string;
  /** Kinds of event asked for, or undefined for all. */
  readonly events: StateEventKind[] | undefined;
  /** Resolves on the first `ready`; rejects if the subscription ends before it. */
  readonly ready: Promise<void>;
  /** Called once when the subscription ends, to detach it from its connection. */
  onEnd: (() => void) | undefined;

  private readonly handler: StateEventHandler;
  private readonly options: StateSubscriptionOptions;
  /** Last version delivered (or known as a starting point) per key. */
  private readonly versions = new Map<string, number>();
  private schemaRevision: number | undefined;
  /** Whether a `ready` has arrived, after which resumes start from {@link versions}. */
  private started = false;
  /** `sinceVersion` of the latest subscribe, for keys the next `ready` introduces. */
  private sentSinceVersion: number | undefined;
  private ended = false;
  private readySettled = false;
  private resolveReady: () => void = () => undefined;
  private rejectReady: (reason: unknown) => void = () => undefined;

  constructor(pattern: string, handler: StateEventHandler, options: StateSubscriptionOptions) {
    this.pattern = pattern;
    this.events = options.events;
    this.handler = handler;
    this.options = options;
    this.ready = new Promise<void>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // A caller that never looks at `ready` must not get an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  /** True once the subscription has ended. */
  get closed(): boolean {
    return this.ended;
  }

  /**
   * Where the next subscribe starts. Before any `ready`, the caller's `sinceVersion`. After one,
   * `sinceVersion: 0` with a `since` map of the keys seen: known keys resume after their last
   * version, keys created meanwhile replay from their start.
   *
   * When the map would hold more keys than the server takes (`STATE_LIMITS.sinceKeysMax`), or
   * exceed `budget`, it keeps the keys with the highest versions, whose replays would be the
   * longest; the others fall under `sinceVersion: 0`, and their replayed events at or below the
   * versions already seen are dropped here. Nothing is missed or delivered twice, at the cost of
   * some traffic.
   */
  resumePoint(budget?: SinceBudget): ResumePoint {
    const sinceVersion = this.started ? 0 : this.options.sinceVersion;
    this.sentSinceVersion = sinceVersion;
    if (this.versions.size === 0) return sinceVersion === undefined ? {} : { sinceVersion };
    const since = this.sinceMap(budget);
    return sinceVersion === undefined ? { since } : { sinceVersion, since };
  }

  /** Takes a `ready`: keys it introduces start from where this subscribe asked them to. */
  acceptReady(ready: StateReady): void {
    if (this.ended) return;
    const base = this.sentSinceVersion;
    for (const [key, current] of Object.entries(ready.versions)) {
      if (this.versions.has(key)) continue;
      // Without `sinceVersion` only later changes come, so the current version is the start;
      // with it, the replay starts after `sinceVersion` unless the key is not that far yet.
      this.versions.set(key, base === undefined ? current : Math.min(base, current));
    }
    this.started = true;
    if (this.options.onReady !== undefined) {
      try {
        this.options.onReady(ready);
      } catch (error) {
        this.report(callbackError('onReady', error), false);
      }
    }
    if (!this.readySettled) {
      this.readySettled = true;
      this.resolveReady();
    }
  }

  /** Delivers an event unless it was delivered before. */
  acceptEvent(event: StateEvent): void {
    if (this.ended) return;
    if (event.event === 'schema') {
      if (this.schemaRevision !== undefined && event.version <= this.schemaRevision) return;
      this.schemaRevision = event.version;
    } else {
      const known = this.versions.get(event.key);
      if (known !== undefined && event.version <= known) return;
      this.versions.set(event.key, event.version);
    }
    try {
      const result = this.handler(event);
      if (isThenable(result)) {
        result.then(undefined, (error: unknown) => {
          this.report(callbackError('handler', error), false);
        });
      }
    } catch (error) {
      this.report(callbackError('handler', error), false);
    }
  }

  /** Tells `onError` about a failure; `fatal` only from {@link fail}. */
  report(error: MemnexError, fatal: boolean): void {
    if (this.ended && !fatal) return;
    const info: StateSubscriptionErrorInfo = { fatal };
    try {
      this.options.onError?.(error, info);
    } catch {
      // An onError that throws must not stop the subscription either.
    }
  }

  /** Ends the subscription because of an error that retrying cannot fix. */
  fail(error: MemnexError): void {
    if (this.ended) return;
    this.ended = true;
    this.report(error, true);
    this.end(error);
  }

  /** Ends the subscription at the caller's request. */
  cancel(reason: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.end(reason);
  }

  private end(reason: unknown): void {
    if (!this.readySettled) {
      this.readySettled = true;
      this.rejectReady(reason);
    }
    const onEnd = this.onEnd;
    this.onEnd = undefined;
    onEnd?.();
  }

  private sinceMap(budget: SinceBudget | undefined): Record<string, number> {
    const maxKeys = STATE_LIMITS.sinceKeysMax;
    let entries = [...this.versions];
    if (entries.length > maxKeys || budget !== undefined) {
      entries.sort((left, right) => right[1] - left[1]);
      const kept: Array<[string, number]> = [];
      let cost = 0;
      for (const entry of entries) {
        if (kept.length >= maxKeys) break;
        const entryCost = budget?.cost(entry[0], entry[1]) ?? 0;
        if (budget !== undefined && cost + entryCost > budget.maxCost) continue;
        cost += entryCost;
        kept.push(entry);
      }
      entries = kept;
    }
    return Object.fromEntries(entries);
  }
}

/** Validates the fields of a `ready` message. */
export function asReady(value: unknown): StateReady | undefined {
  if (!isRecord(value) || !isRecord(value.versions)) return undefined;
  for (const version of Object.values(value.versions)) {
    if (typeof version !== 'number') return undefined;
  }
  return {
    versions: value.versions as Record<string, number>,
    truncated: value.truncated === true,
  };
}

/**
 * Checks the fields the client relies on (`event`, `key`, `version`) and passes the event on as
 * the server sent it, so that fields of a newer server reach the handler.
 */
export function asStateEvent(value: unknown): StateEvent | undefined {
  if (!isRecord(value)) return undefined;
  const { event, key, version } = value;
  if (typeof event !== 'string' || !isStateEventKind(event)) return undefined;
  if (typeof key !== 'string' || typeof version !== 'number') return undefined;
  return value as StateEvent;
}

/** Whether a name is one of the kinds of state event (`value`, `delete`, `schema`). */
export function isStateEventKind(name: string): name is StateEventKind {
  return (STATE_EVENT_KINDS as readonly string[]).includes(name);
}

/** A `NETWORK_ERROR` about a subscription's connection. */
export function connectionError(message: string, details?: Record<string, unknown>): MemnexError {
  return new MemnexError({
    code: 'NETWORK_ERROR',
    message,
    ...(details === undefined ? {} : { details }),
  });
}

/** A message the server sent that the client cannot read. */
export function malformedMessageError(what: string): MemnexError {
  return new MemnexError({ code: 'INTERNAL', message: `the server sent a malformed ${what}` });
}

function callbackError(which: 'handler' | 'onReady', error: unknown): MemnexError {
  return new MemnexError({
    code: 'INTERNAL',
    message: `the subscription's ${which} threw: ${describeError(error)}`,
    cause: error,
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
