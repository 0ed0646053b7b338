import type { Stores } from '@memnex/core';

/** A call held by {@link StoreFaults.hold}. */
export interface HeldCall {
  /** Resolves once the store method was called and is waiting. */
  entered: Promise<void>;
  /** Let the held call go on to the real store. */
  release(): void;
}

/** Stores whose methods a test can make fail or wait, one method at a time. */
export interface StoreFaults {
  /** The stores to give the engine; they pass every call through unless told otherwise. */
  stores: Stores;
  /** Every call of `store.method` rejects with `error` from now on. */
  fail(store: keyof Stores, method: string, error: unknown): void;
  /** Calls of `store.method` reach the real store again. */
  heal(store: keyof Stores, method: string): void;
  /** The next call of `store.method` waits until released. */
  hold(store: keyof Stores, method: string): HeldCall;
}

/** Wrap stores (e.g. in-memory ones) so that tests can inject failures and delays. */
export function createStoreFaults(inner: Stores): StoreFaults {
  const failures = new Map<string, unknown>();
  const holds = new Map<string, { gate: Promise<void>; enter: () => void }>();

  const wrap = <T extends object>(target: T, name: keyof Stores): T =>
    new Proxy(target, {
      get(object, property, receiver) {
        const value: unknown = Reflect.get(object, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        const method = value as (...args: unknown[]) => unknown;
        const id = `${name}.${property}`;
        // Synchronous methods (e.g. a bus subscription) stay synchronous unless held or failing.
        return (...args: unknown[]) => {
          const call = () =>
            failures.has(id) ? Promise.reject(failures.get(id)) : method.apply(object, args);
          const held = holds.get(id);
          if (!held) return call();
          holds.delete(id);
          held.enter();
          return held.gate.then(call);
        };
      },
    });

  return {
    stores: {
      warm: wrap(inner.warm, 'warm'),
      hot: wrap(inner.hot, 'hot'),
      semantic: wrap(inner.semantic, 'semantic'),
      bus: wrap(inner.bus, 'bus'),
      audit: wrap(inner.audit, 'audit'),
      state: wrap(inner.state, 'state'),
      leases: wrap(inner.leases, 'leases'),
      accounts: wrap(inner.accounts, 'accounts'),
      usage: wrap(inner.usage, 'usage'),
    },
    fail: (store, method, error) => void failures.set(`${store}.${method}`, error),
    heal: (store, method) => void failures.delete(`${store}.${method}`),
    hold(store, method) {
      let enter!: () => void;
      let release!: () => void;
      const entered = new Promise<void>((resolve) => (enter = resolve));
      const gate = new Promise<void>((resolve) => (release = resolve));
      holds.set(`${store}.${method}`, { gate, enter });
      return { entered, release };
    },
  };
}
