import { createMemnex, instrumentStores, type StoreCall } from '@memnex/core';
import { createMemoryStores } from '@memnex/storage-memory';
import { describe, expect, it } from 'vitest';
import { createRestApp } from './create-rest-app.js';
import { createRestMetrics, type RestMetrics } from './metrics.js';
import { createFixture, type Fixture } from './test/fixture.js';
import { sample } from './test/metric-sample.js';

const WRITE = { user: 'ana', facts: [{ text: 'Prefers email', type: 'preference' }] };

async function scrape(fixture: Fixture): Promise<string> {
  const response = await fixture.call('GET', '/metrics', { key: null });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/u);
  return response.text();
}

describe('/metrics', () => {
  it('counts requests by method, route pattern and status, and times them', async () => {
    const fixture = await createFixture();
    for (let index = 0; index < 3; index += 1) {
      expect((await fixture.call('POST', '/v1/memory/write', { body: WRITE })).status).toBe(200);
    }
    await fixture.call('POST', '/v1/memory/write', { key: fixture.keys.reader, body: WRITE });
    await fixture.call('DELETE', '/v1/keys/k00000000');
    const text = await scrape(fixture);

    const labels = 'method="POST",route="/v1/memory/write",status="200"';
    expect(sample(text, `memnex_http_requests_total{${labels}}`)).toBe(3);
    expect(
      sample(
        text,
        'memnex_http_requests_total{method="POST",route="/v1/memory/write",status="403"}',
      ),
    ).toBe(1);
    expect(
      sample(
        text,
        'memnex_http_requests_total{method="DELETE",route="/v1/keys/:keyId",status="404"}',
      ),
    ).toBe(1);
    expect(text).toContain('# TYPE memnex_http_request_duration_seconds histogram');
    expect(sample(text, `memnex_http_request_duration_seconds_count{${labels}}`)).toBe(3);
    expect(sample(text, `memnex_http_request_duration_seconds_bucket{le="+Inf",${labels}}`)).toBe(
      3,
    );
    expect(sample(text, `memnex_http_request_duration_seconds_sum{${labels}}`)).toBeGreaterThan(0);
    // Process metrics come with the same prefix.
    expect(text).toMatch(/^memnex_process_cpu_user_seconds_total /mu);
  });

  it('counts unknown paths under one label, so paths cannot grow the series', async () => {
    const fixture = await createFixture();
    for (const path of ['/nope', '/v1/nope-1', '/v1/nope-2', '/wp-admin/setup.php']) {
      expect((await fixture.call('GET', path)).status).toBe(404);
    }
    const text = await scrape(fixture);
    expect(
      sample(text, 'memnex_http_requests_total{method="GET",route="unmatched",status="404"}'),
    ).toBe(4);
    expect(text).not.toMatch(/nope|wp-admin/u);
  });

  it('names the route of requests that a middleware refused', async () => {
    const fixture = await createFixture({ maxBodyBytes: 64 });
    await fixture.call('POST', '/v1/memory/read', { key: null, body: { user: 'ana' } });
    await fixture.call('POST', '/v1/memory/read', {
      body: { user: 'ana', query: 'x'.repeat(100) },
    });
    const text = await scrape(fixture);
    for (const status of ['401', '413']) {
      expect(
        sample(
          text,
          `memnex_http_requests_total{method="POST",route="/v1/memory/read",status="${status}"}`,
        ),
        status,
      ).toBe(1);
    }
  });

  it('counts hot-cache hits and misses through observeStore', async () => {
    const metrics = createRestMetrics({ processMetrics: false });
    const fixture = await createFixture({
      metrics,
      stores: instrumentStores(createMemoryStores(), metrics.observeStore),
    });
    expect((await fixture.call('POST', '/v1/memory/write', { body: WRITE })).status).toBe(200);
    const before = await scrape(fixture);
    expect(sample(before, 'memnex_cache_hit_ratio')).toBe(0);
    expect(before).not.toMatch(/^memnex_process_/mu);
    expect(
      sample(
        before,
        'memnex_store_operation_duration_seconds_count{store="warm",operation="commitWrite",outcome="ok"}',
      ),
    ).toBe(1);

    const read = () => fixture.call('POST', '/v1/memory/read', { body: { user: 'ana' } });
    expect((await read()).status).toBe(200);
    const afterMiss = await scrape(fixture);
    expect(sample(afterMiss, 'memnex_cache_lookups_total{result="miss"}')).toBe(1);
    expect(sample(afterMiss, 'memnex_cache_lookups_total{result="hit"}')).toBeUndefined();

    expect((await read()).status).toBe(200);
    const afterHit = await scrape(fixture);
    expect(sample(afterHit, 'memnex_cache_lookups_total{result="miss"}')).toBe(1);
    expect(sample(afterHit, 'memnex_cache_lookups_total{result="hit"}')).toBe(1);
    expect(sample(afterHit, 'memnex_cache_hit_ratio')).toBe(0.5);
  });
});

/** `count` working-set lookups of the hot cache, `hits` of them found. */
function observeLookups(metrics: RestMetrics, count: number, hits: number): void {
  for (let index = 0; index < count; index += 1) {
    const call: StoreCall = {
      store: 'hot',
      operation: 'getWorkingSet',
      ok: true,
      seconds: 0.001,
      result: index < hits ? { memories: [] } : null,
    };
    metrics.observeStore(call);
  }
}

describe('aggregate: one /metrics for several processes', () => {
  it('sums counts and histograms, recomputes the hit ratio and says how many workers serve', async () => {
    const first = createRestMetrics({ processMetrics: false });
    const second = createRestMetrics({ processMetrics: false });
    const request = { method: 'GET', route: '/healthz', status: 200, seconds: 0.002 };
    for (let index = 0; index < 3; index += 1) first.observeRequest(request);
    second.observeRequest(request);
    observeLookups(first, 4, 3);
    observeLookups(second, 1, 0);

    const text = await first.aggregate(
      [await first.registry.getMetricsAsJSON(), await second.registry.getMetricsAsJSON()],
      2,
    );
    const labels = 'method="GET",route="/healthz",status="200"';
    expect(sample(text, `memnex_http_requests_total{${labels}}`)).toBe(4);
    expect(sample(text, `memnex_http_request_duration_seconds_count{${labels}}`)).toBe(4);
    expect(sample(text, `memnex_http_request_duration_seconds_bucket{le="+Inf",${labels}}`)).toBe(
      4,
    );
    expect(sample(text, 'memnex_cache_lookups_total{result="hit"}')).toBe(3);
    // 3 hits of 5 lookups; neither the sum (0.75) nor the mean (0.375) of the two ratios.
    expect(sample(text, 'memnex_cache_hit_ratio')).toBe(0.6);
    expect(text.match(/^# TYPE memnex_cache_hit_ratio gauge$/gmu)).toHaveLength(1);
    expect(sample(text, 'memnex_rest_workers')).toBe(2);
  });

  it("reads the PII analyzer's counts at each scrape: calls and failures summed, the failure streak the longest", async () => {
    const stats = [
      { calls: 5, failures: 2, consecutiveFailures: 2 },
      { calls: 3, failures: 0, consecutiveFailures: 0 },
    ];
    const workers = stats.map((counts) => {
      const metrics = createRestMetrics({ processMetrics: false });
      metrics.watchPiiAnalyzer({ stats: () => counts });
      return metrics;
    });
    const scrape = async () =>
      workers[0]!.aggregate(
        await Promise.all(workers.map((metrics) => metrics.registry.getMetricsAsJSON())),
        2,
      );
    let text = await scrape();
    expect(sample(text, 'memnex_pii_analyzer_calls_total')).toBe(8);
    expect(sample(text, 'memnex_pii_analyzer_failures_total')).toBe(2);
    expect(sample(text, 'memnex_pii_analyzer_consecutive_failures')).toBe(2);
    Object.assign(stats[0]!, { calls: 6, consecutiveFailures: 0 });
    text = await scrape();
    expect(sample(text, 'memnex_pii_analyzer_calls_total')).toBe(9);
    expect(sample(text, 'memnex_pii_analyzer_consecutive_failures')).toBe(0);
    expect(sample(await workers[1]!.registry.metrics(), 'memnex_pii_analyzer_calls_total')).toBe(3);
  });

  it('keeps process metrics, with a ratio of 0 before any lookup', async () => {
    const metrics = createRestMetrics();
    const text = await metrics.aggregate([await metrics.registry.getMetricsAsJSON()], 1);
    expect(text).toMatch(/^memnex_process_cpu_user_seconds_total /mu);
    expect(sample(text, 'memnex_cache_hit_ratio')).toBe(0);
    expect(sample(text, 'memnex_rest_workers')).toBe(1);
  });

  it('is what /metrics answers when the app is given metricsText', async () => {
    const memnex = createMemnex({
      auditKey: 'rest-test-audit-key-0123456789',
      piiKey: 'rest-test-pii-key-0123456789',
      stores: createMemoryStores(),
    });
    await memnex.init();
    const rest = createRestApp({ memnex, metricsText: async () => 'memnex_rest_workers 3\n' });
    const response = await rest.app.request('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/u);
    expect(await response.text()).toBe('memnex_rest_workers 3\n');
    await memnex.close();
  });
});
