import { existsSync } from 'node:fs';
import { Hono } from 'hono';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { serveRest } from './serve-rest.js';
import { createFixture, type Fixture } from './test/fixture.js';

const CHROMIUM = process.env.MEMNEX_CHROMIUM_PATH ?? '/usr/bin/chromium';
const MISSING_CHROMIUM = existsSync(CHROMIUM)
  ? null
  : `no Chromium at ${CHROMIUM}; install it or point MEMNEX_CHROMIUM_PATH at one`;
const IN_CI = process.env.CI === 'true';

let fixture: Fixture;
beforeAll(async () => {
  fixture = await createFixture();
});

describe('/docs', () => {
  it('serves the page, which loads only local assets', async () => {
    const response = await fixture.call('GET', '/docs', { key: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/u);
    const html = await response.text();
    expect(html).toContain('<title>Memnex API</title>');
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/gu)].map((match) => match[1]);
    expect(references).toEqual([
      'docs/assets/favicon-32x32.png',
      'docs/assets/swagger-ui.css',
      'docs/assets/swagger-ui-bundle.js',
      'docs/assets/init.js',
    ]);
  });

  it('serves every asset with its content type', async () => {
    const assets = {
      'swagger-ui.css': 'text/css; charset=utf-8',
      'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
      'favicon-32x32.png': 'image/png',
      'init.js': 'text/javascript; charset=utf-8',
    };
    for (const [name, type] of Object.entries(assets)) {
      const response = await fixture.call('GET', `/docs/assets/${name}`, { key: null });
      expect(response.status, name).toBe(200);
      expect(response.headers.get('content-type'), name).toBe(type);
      expect(response.headers.get('cache-control'), name).toContain('max-age');
      expect((await response.arrayBuffer()).byteLength, name).toBeGreaterThan(100);
    }
    const init = await (await fixture.call('GET', '/docs/assets/init.js', { key: null })).text();
    expect(init).toContain("new URL('openapi.json', window.location.href)");
  });

  it('redirects /docs/ to /docs with a relative location, which keeps a path prefix', async () => {
    for (const method of ['GET', 'HEAD']) {
      const response = await fixture.call(method, '/docs/', { key: null });
      expect(response.status, method).toBe(301);
      expect(response.headers.get('location'), method).toBe('../docs');
    }
    expect(new URL('../docs', 'https://example.com/memnex/docs/').pathname).toBe('/memnex/docs');
    expect((await fixture.call('POST', '/docs/', { key: null })).status).toBe(404);
  });

  it('works behind a path prefix: every URL the page loads resolves under it', async () => {
    const host = new Hono().route('/memnex', fixture.rest.app);
    const page = 'http://localhost/memnex/docs';
    const html = await (await host.request(page)).text();
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/gu)].map((match) => match[1]!);
    expect(references).toHaveLength(4);
    // init.js fetches `openapi.json` relative to the page, as the links are.
    for (const reference of [...references, 'openapi.json']) {
      const url = new URL(reference, page);
      expect(url.pathname, reference).toMatch(/^\/memnex\//u);
      expect((await host.request(url.href)).status, reference).toBe(200);
    }
    const redirect = await host.request(`${page}/`);
    expect(new URL(redirect.headers.get('location')!, `${page}/`).href).toBe(page);
  });

  it('answers 404 to an unknown asset and to paths outside the asset list', async () => {
    for (const name of ['nope.js', 'package.json', 'index.html', '..%2Fpackage.json', 'toString']) {
      const response = await fixture.call('GET', `/docs/assets/${name}`, { key: null });
      expect(response.status, name).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
  });
});

describe('/docs in a browser', () => {
  it.runIf(MISSING_CHROMIUM !== null && IN_CI)('has Chromium to render with under CI', () => {
    throw new Error(`the docs page cannot be checked: ${MISSING_CHROMIUM}`);
  });

  it.skipIf(MISSING_CHROMIUM !== null)(
    `renders the operations offline${MISSING_CHROMIUM ? ` (skipped: ${MISSING_CHROMIUM})` : ''}`,
    async () => {
      const server = await serveRest({ rest: fixture.rest, port: 0 });
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      try {
        const page = await browser.newPage();
        const nonLocal: string[] = [];
        const failures: string[] = [];
        const errors: string[] = [];
        await page.route('**/*', async (route) => {
          const url = new URL(route.request().url());
          if (url.hostname === '127.0.0.1') return route.continue();
          nonLocal.push(url.href);
          return route.abort();
        });
        page.on('pageerror', (error) => errors.push(error.message));
        page.on('response', (response) => {
          if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
        });

        const loaded = await page.goto(`${server.url}/docs`);
        expect(loaded?.status()).toBe(200);
        for (const path of ['/v1/memory/write', '/v1/memory/read', '/v1/memory/search']) {
          await expect
            .poll(() => page.locator(`.opblock-summary-path[data-path="${path}"]`).isVisible(), {
              timeout: 30_000,
            })
            .toBe(true);
        }
        const write = page.locator('.opblock-summary-path[data-path="/v1/memory/write"]');
        expect(await write.innerText()).toContain('memory');
        expect(await page.locator('.opblock-tag-section').count()).toBeGreaterThanOrEqual(5);
        expect(await page.title()).toBe('Memnex API');

        expect(nonLocal).toEqual([]);
        expect(failures).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
        await server.close();
      }
    },
    60_000,
  );
});
