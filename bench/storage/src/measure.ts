/** Latencies in milliseconds. */
export type Latencies = number[];

/** The p-th percentile (0-100) of a list of numbers, nearest-rank. */
export function percentile(values: Latencies, p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}

/** `p50 … ms, p99 … ms, n=…` */
export function summarise(values: Latencies): string {
  const p = (q: number) => `${percentile(values, q).toFixed(2)} ms`;
  return `p50 ${p(50)}, p99 ${p(99)}, max ${p(100)} (n=${values.length})`;
}

/** Time spent in each store call, for a breakdown of where an engine operation waits. */
export interface StoreTimings<T> {
  /** The stores, each method timed. */
  stores: T;
  /** Forget what was timed so far. */
  reset(): void;
  /** Milliseconds per operation in each store call, most first, for `operations` operations. */
  report(operations: number): string[];
}

/** Wrap every method of every store so that the time until it settles is added up per call. */
export function timeStores<T extends { [K in keyof T]: object }>(stores: T): StoreTimings<T> {
  const totals = new Map<string, { ms: number; calls: number }>();
  const add = (name: string, started: number) => {
    const total = totals.get(name) ?? { ms: 0, calls: 0 };
    total.ms += performance.now() - started;
    total.calls += 1;
    totals.set(name, total);
  };
  const wrap = (storeName: string, store: object) =>
    new Proxy(store, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        const name = `${storeName}.${String(property)}`;
        return (...args: unknown[]) => {
          const started = performance.now();
          const result: unknown = value.apply(target, args);
          if (result instanceof Promise) return result.finally(() => add(name, started));
          add(name, started);
          return result;
        };
      },
    });
  const wrapped = Object.fromEntries(
    Object.entries(stores as Record<string, object>).map(([name, store]) => [
      name,
      wrap(name, store),
    ]),
  ) as T;
  return {
    stores: wrapped,
    reset: () => totals.clear(),
    report: (operations) =>
      [...totals]
        .sort((left, right) => right[1].ms - left[1].ms)
        .map(
          ([name, { ms, calls }]) =>
            `${name.padEnd(28)} ${(ms / operations).toFixed(2).padStart(7)} ms (${calls} calls)`,
        ),
  };
}
