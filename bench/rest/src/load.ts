import autocannon from 'autocannon';
import { cpuDelta, sharedCpuSeconds } from './cpu-usage.js';
import {
  cpuSecondsOf,
  postCounts,
  scrapeMetrics,
  serverDelta,
  type MetricSamples,
  type ServerDelta,
} from './server-metrics.js';

/** One load scenario: a POST with a fixed body, or a body made afresh for every request. */
export interface Scenario {
  name: string;
  path: string;
  headers: Record<string, string>;
  /** The body of every request, or of request number `sequence` (counted across every run). */
  body: string | ((sequence: number) => string);
}

/** What one run of a scenario measured. */
export interface RunResult {
  scenario: string;
  connections: number;
  /** Mean of autocannon's per-second request counts. */
  requestsPerSecond: number;
  /** Latency of 2xx answers in milliseconds, from autocannon's per-response timings. */
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Requests autocannon sent, including those in flight when it stopped. */
  sent: number;
  /** Whether the server answered every request sent before the figures were taken. */
  drained: boolean;
  seconds: number;
  server: ServerDelta;
  /** CPU seconds used during the run, by process, and by the whole machine. */
  cpu: {
    server: number;
    /** The part of `server` spent in the kernel (socket writes and reads, mostly). */
    serverSystem: number;
    load: number;
    postgres: number;
    redis: number;
    machine: number;
  };
}

/** The `p`th percentile of ascending `sorted` (nearest rank); NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}

let sequence = 0;

const DRAIN_DEADLINE_MS = 30_000;

/**
 * Requests in flight when autocannon stops keep running in the server after their connection is
 * gone. Wait (polling, with a deadline) until the server has answered every request sent, so that
 * they are neither counted in the next run nor cut off by the shutdown.
 */
async function drain(
  url: string,
  before: MetricSamples,
  sent: number,
): Promise<{ metrics: MetricSamples; drained: boolean }> {
  const deadline = Date.now() + DRAIN_DEADLINE_MS;
  const answered = postCounts(before).total + sent;
  for (;;) {
    const metrics = await scrapeMetrics(url);
    if (postCounts(metrics).total >= answered) return { metrics, drained: true };
    if (Date.now() > deadline) return { metrics, drained: false };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * POST `scenario` to `url` over `connections` keep-alive connections for `duration` seconds, with
 * autocannon: its result, and the latency of every 2xx answer in ms, ascending.
 */
export async function postLoad(
  url: string,
  scenario: Pick<Scenario, 'path' | 'headers' | 'body'>,
  connections: number,
  duration: number,
): Promise<{ result: autocannon.Result; latencies: Float64Array }> {
  const { body } = scenario;
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration,
        requests: [
          {
            method: 'POST',
            path: scenario.path,
            headers: { 'content-type': 'application/json', ...scenario.headers },
            ...(typeof body === 'string'
              ? { body }
              : {
                  setupRequest: (request: autocannon.Request) => ({
                    ...request,
                    body: body(++sequence),
                  }),
                }),
          },
        ],
      },
      (error: unknown, finished: autocannon.Result) =>
        error
          ? reject(error instanceof Error ? error : new Error(String(error)))
          : resolve(finished),
    );
    instance.on('response', (_client, status, _bytes, milliseconds) => {
      if (status >= 200 && status < 300) latencies.push(milliseconds);
    });
  });
  return { result, latencies: Float64Array.from(latencies).sort() };
}

/** Run `scenario` against the server for `duration` seconds over `connections` keep-alive connections. */
export async function runScenario(
  url: string,
  scenario: Scenario,
  connections: number,
  duration: number,
): Promise<RunResult> {
  const metricsBefore = await scrapeMetrics(url);
  const cpuBefore = await sharedCpuSeconds();
  const { result, latencies } = await postLoad(url, scenario, connections, duration);
  const cpuUsed = cpuDelta(cpuBefore, await sharedCpuSeconds());
  const metricsAtStop = await scrapeMetrics(url);
  const { metrics: metricsAfter, drained } = await drain(url, metricsBefore, result.requests.sent);
  const server = serverDelta(metricsBefore, metricsAfter);
  return {
    scenario: scenario.name,
    connections,
    requestsPerSecond: result.requests.average,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    sent: result.requests.sent,
    drained,
    seconds: result.duration,
    server,
    cpu: {
      server: cpuSecondsOf(metricsAtStop).total - cpuSecondsOf(metricsBefore).total,
      serverSystem: cpuSecondsOf(metricsAtStop).system - cpuSecondsOf(metricsBefore).system,
      ...cpuUsed,
    },
  };
}
