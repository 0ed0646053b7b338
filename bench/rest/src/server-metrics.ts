/** Samples of a Prometheus text exposition, by series (`name{labels}`). */
export type MetricSamples = Map<string, number>;

const SAMPLE = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/u;

/** Scrape `/metrics` of the server. */
export async function scrapeMetrics(url: string): Promise<MetricSamples> {
  const response = await fetch(`${url}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const samples: MetricSamples = new Map();
  for (const line of (await response.text()).split('\n')) {
    const match = SAMPLE.exec(line);
    if (match) samples.set(`${match[1]}${match[2] ?? ''}`, Number(match[3]));
  }
  return samples;
}

function label(series: string, name: string): string | undefined {
  return new RegExp(`${name}="([^"]*)"`, 'u').exec(series)?.[1];
}

/** What the server did between two scrapes, as seen by its own metrics. */
export interface ServerDelta {
  /** POSTs the server answered, and how many of them with a 2xx status. */
  posts: { total: number; ok: number };
  /** Mean time a POST spent in the server (handler and middleware), in milliseconds. */
  handlerMs: number;
  /** Store calls: milliseconds per request by `store.operation`, most first. */
  storeMs: Array<[string, number]>;
  /** Working-set lookups in the hot cache. */
  cache: { hits: number; misses: number };
}

/** POSTs answered since the server started, and how many of them with a 2xx status. */
export function postCounts(samples: MetricSamples): { total: number; ok: number } {
  let total = 0;
  let ok = 0;
  for (const [series, value] of samples) {
    if (!series.startsWith('memnex_http_requests_total{') || label(series, 'method') !== 'POST') {
      continue;
    }
    total += value;
    if (label(series, 'status')?.startsWith('2')) ok += value;
  }
  return { total, ok };
}

/** CPU seconds the server process used since it started: in all, and in the kernel. */
export const cpuSecondsOf = (samples: MetricSamples) => ({
  total: samples.get('memnex_process_cpu_seconds_total') ?? 0,
  system: samples.get('memnex_process_cpu_system_seconds_total') ?? 0,
});

/** Compare two scrapes; per-request figures are divided by the POSTs answered in between. */
export function serverDelta(before: MetricSamples, after: MetricSamples): ServerDelta {
  const delta = (series: string) => (after.get(series) ?? 0) - (before.get(series) ?? 0);
  const [postsBefore, postsAfter] = [postCounts(before), postCounts(after)];
  const posts = { total: postsAfter.total - postsBefore.total, ok: postsAfter.ok - postsBefore.ok };
  const requests = Math.max(posts.total, 1);
  const handlerSeconds = [...after.keys()]
    .filter(
      (series) =>
        series.startsWith('memnex_http_request_duration_seconds_sum{') &&
        label(series, 'method') === 'POST',
    )
    .reduce((sum, series) => sum + delta(series), 0);
  const storeMs = new Map<string, number>();
  for (const series of after.keys()) {
    if (!series.startsWith('memnex_store_operation_duration_seconds_sum{')) continue;
    const name = `${label(series, 'store')}.${label(series, 'operation')}`;
    storeMs.set(name, (storeMs.get(name) ?? 0) + (delta(series) * 1000) / requests);
  }
  return {
    posts,
    handlerMs: (handlerSeconds * 1000) / requests,
    storeMs: [...storeMs].filter(([, ms]) => ms > 0).sort((left, right) => right[1] - left[1]),
    cache: {
      hits: delta('memnex_cache_lookups_total{result="hit"}'),
      misses: delta('memnex_cache_lookups_total{result="miss"}'),
    },
  };
}
