import type { StoreCall, StoreObserver } from '@memnex/core';
import {
  AggregatorRegistry,
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  type MetricObjectWithValues,
  type MetricValue,
} from 'prom-client';

/** The samples of one process, as `registry.getMetricsAsJSON()` returns them. */
export type MetricsSnapshot = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** Prometheus metrics of a REST server: requests, store calls and the hot cache. */
export interface RestMetrics {
  /** The registry `/metrics` exposes. */
  registry: Registry;
  /** Pass to the runtime (`storeObserver`) to time store calls and count cache hits. */
  observeStore: StoreObserver;
  /** Record one finished request. */
  observeRequest(request: { method: string; route: string; status: number; seconds: number }): void;
  /** A state WebSocket opened (`+1`) or closed (`-1`); `protocol` is `memnex` or `memx`. */
  observeSocket(protocol: string, delta: 1 | -1): void;
  /** An event was sent on a state WebSocket. */
  observeSocketEvent(protocol: string): void;
  /**
   * Expose the counts of the external PII analyzer (Presidio) read from `analyzer.stats()` at
   * each scrape: calls, failures, and failures since its last usable answer.
   */
  watchPiiAnalyzer(analyzer: PiiAnalyzerSource): void;
  /**
   * The `/metrics` text of a server that runs as several processes on one port, from each one's
   * `registry.getMetricsAsJSON()`: counts and histograms are summed, process metrics aggregated as
   * prom-client defines, the hot-cache hit ratio is recomputed from the summed lookups (a sum or
   * mean of ratios would be wrong), and `rest_workers` is set to `workers`.
   */
  aggregate(snapshots: readonly MetricsSnapshot[], workers: number): Promise<string>;
}

/** What the PII analyzer metrics read: `runtime.piiAnalyzer` of `@memnex/runtime`. */
export interface PiiAnalyzerSource {
  stats(): { calls: number; failures: number; consecutiveFailures: number } | null;
}

/** Options of {@link createRestMetrics}. */
export interface RestMetricsOptions {
  /** Also collect the process metrics of prom-client (CPU, memory, event loop); default true. */
  processMetrics?: boolean;
  /** Prefix of every metric name (default `memnex_`). */
  prefix?: string;
}

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** A fresh registry with the metrics of one server; tests and servers each get their own. */
export function createRestMetrics(options: RestMetricsOptions = {}): RestMetrics {
  const prefix = options.prefix ?? 'memnex_';
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix });
  const requests = new Counter({
    name: `${prefix}http_requests_total`,
    help: 'HTTP requests by route pattern, method and status.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'HTTP request latency by route pattern, method and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const storeSeconds = new Histogram({
    name: `${prefix}store_operation_duration_seconds`,
    help: 'Latency of store calls by store, operation and outcome.',
    labelNames: ['store', 'operation', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const cacheLookups = new Counter({
    name: `${prefix}cache_lookups_total`,
    help: 'Working-set lookups in the hot cache, by result (hit or miss).',
    labelNames: ['result'],
    registers: [registry],
  });
  const sockets = new Gauge({
    name: `${prefix}state_sockets`,
    help: 'Open state WebSockets by protocol (memnex: /v1/state/ws, memx: /subscribe/{key}).',
    labelNames: ['protocol'],
    registers: [registry],
  });
  const socketEvents = new Counter({
    name: `${prefix}state_socket_events_total`,
    help: 'Events sent on state WebSockets by protocol.',
    labelNames: ['protocol'],
    registers: [registry],
  });
  new Gauge({
    name: `${prefix}cache_hit_ratio`,
    help: HIT_RATIO_HELP,
    registers: [registry],
    // `aggregate` recomputes it from the lookups of every process.
    aggregator: 'omit',
    async collect() {
      this.set(hitRatioOf(await cacheLookups.get()));
    },
  });
  return {
    registry,
    observeStore(call: StoreCall) {
      storeSeconds.observe(
        { store: call.store, operation: call.operation, outcome: call.ok ? 'ok' : 'error' },
        call.seconds,
      );
      if (call.store === 'hot' && call.operation === 'getWorkingSet' && call.ok) {
        const hit = call.result !== null && call.result !== undefined;
        cacheLookups.inc({ result: hit ? 'hit' : 'miss' });
      }
    },
    observeRequest({ method, route, status, seconds }) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      requestSeconds.observe(labels, seconds);
    },
    observeSocket: (protocol, delta) => sockets.inc({ protocol }, delta),
    observeSocketEvent: (protocol) => socketEvents.inc({ protocol }),
    watchPiiAnalyzer: (analyzer) => watchPiiAnalyzer(registry, prefix, analyzer),
    aggregate: (snapshots, workers) => aggregateSnapshots(prefix, snapshots, workers),
  };
}

/** The analyzer's counts as metrics, read when scraped; counters summed over workers. */
function watchPiiAnalyzer(registry: Registry, prefix: string, analyzer: PiiAnalyzerSource): void {
  const counted = (name: string, help: string, count: 'calls' | 'failures') =>
    new Counter({
      name: `${prefix}${name}`,
      help,
      registers: [registry],
      collect() {
        // The analyzer keeps the count; the counter shows it as it is at the scrape.
        this.reset();
        this.inc(analyzer.stats()?.[count] ?? 0);
      },
    });
  counted('pii_analyzer_calls_total', 'Texts sent to the external PII analyzer.', 'calls');
  counted(
    'pii_analyzer_failures_total',
    'Analyzer calls that gave no usable answer (each fell back to the built-in detectors or ' +
      'refused the write, as configured).',
    'failures',
  );
  new Gauge({
    name: `${prefix}pii_analyzer_consecutive_failures`,
    help: 'Analyzer failures since its last usable answer; 0 while it answers.',
    registers: [registry],
    aggregator: 'max',
    collect() {
      this.set(analyzer.stats()?.consecutiveFailures ?? 0);
    },
  });
}

const HIT_RATIO_HELP = 'Share of working-set lookups served by the hot cache since start.';

/** Share of hits among the samples of `cache_lookups_total`; 0 before any lookup. */
function hitRatioOf(lookups: MetricObjectWithValues<MetricValue<string>>): number {
  let hits = 0;
  let total = 0;
  for (const sample of lookups.values) {
    total += sample.value;
    if (sample.labels.result === 'hit') hits += sample.value;
  }
  return total === 0 ? 0 : hits / total;
}

async function aggregateSnapshots(
  prefix: string,
  snapshots: readonly MetricsSnapshot[],
  workers: number,
): Promise<string> {
  const registry = AggregatorRegistry.aggregate([...snapshots]);
  const lookups = await registry.getSingleMetric(`${prefix}cache_lookups_total`)?.get();
  new Gauge({ name: `${prefix}cache_hit_ratio`, help: HIT_RATIO_HELP, registers: [registry] }).set(
    lookups ? hitRatioOf(lookups as MetricObjectWithValues<MetricValue<string>>) : 0,
  );
  new Gauge({
    name: `${prefix}rest_workers`,
    help: 'Worker processes serving the REST API on this port.',
    registers: [registry],
  }).set(workers);
  return registry.metrics();
}
