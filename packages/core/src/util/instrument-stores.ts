import type { Stores } from '../ports/index.js';

/** One finished store call, as {@link instrumentStores} reports it. */
export interface StoreCall {
  /**
   * Which port: `warm`, `hot`, `semantic`, `bus`, `audit`, `state`, `leases`, `accounts` or
   * `usage`.
   */
  store: keyof Stores;
  /** Method name, e.g. `getWorkingSet`. */
  operation: string;
  /** Wall time of the call. */
  seconds: number;
  /** False when the call rejected. */
  ok: boolean;
  /** What the call resolved to (only when `ok`). */
  result?: unknown;
}

/** Receives every timed store call; must not throw. */
export type StoreObserver = (call: StoreCall) => void;

/** Methods that are not requests to a store. */
const UNTIMED = new Set(['init', 'close', 'subscribe', 'onGap', 'capabilities', 'then']);

function instrument<T extends object>(store: T, name: keyof Stores, observer: StoreObserver): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || UNTIMED.has(property)) {
        return value;
      }
      let timed = wrapped.get(property);
      if (!timed) {
        const method = value as (...args: unknown[]) => unknown;
        timed = (...args: unknown[]) => {
          const started = performance.now();
          const report = (ok: boolean, result?: unknown) =>
            observer({
              store: name,
              operation: property,
              seconds: (performance.now() - started) / 1000,
              ok,
              ...(ok ? { result } : {}),
            });
          const outcome = method.apply(target, args);
          if (!(outcome instanceof Promise)) return outcome;
          return outcome.then(
            (result: unknown) => {
              report(true, result);
              return result;
            },
            (error: unknown) => {
              report(false);
              throw error;
            },
          );
        };
        wrapped.set(property, timed);
      }
      return timed;
    },
  });
}

/**
 * The same stores, with every asynchronous call timed and reported to `observer` (metrics of
 * store latency and cache hits). Calls are passed through unchanged.
 */
export function instrumentStores(stores: Stores, observer: StoreObserver): Stores {
  return {
    warm: instrument(stores.warm, 'warm', observer),
    hot: instrument(stores.hot, 'hot', observer),
    semantic: instrument(stores.semantic, 'semantic', observer),
    bus: instrument(stores.bus, 'bus', observer),
    audit: instrument(stores.audit, 'audit', observer),
    state: instrument(stores.state, 'state', observer),
    leases: instrument(stores.leases, 'leases', observer),
    accounts: instrument(stores.accounts, 'accounts', observer),
    usage: instrument(stores.usage, 'usage', observer),
  };
}
