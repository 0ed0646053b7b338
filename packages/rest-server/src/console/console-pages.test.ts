import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../test/fixture.js';

let fixture: Fixture;
beforeAll(async () => {
  fixture = await createFixture();
});

const get = (path: string) => fixture.rest.app.request(path);

describe('/console pages', () => {
  it('redirects /console to /console/ relatively, keeping a path prefix', async () => {
    const response = await get('/console');
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('console/');
  });

  it('serves the app with its base, a strict CSP and no caching, on every app path', async () => {
    for (const path of ['/console/', '/console/people/u-1', '/console/keys']) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control'), path).toBe('no-cache');
      expect(response.headers.get('content-security-policy'), path).toContain("default-src 'self'");
      expect(response.headers.get('content-security-policy'), path).toContain(
        "frame-ancestors 'none'",
      );
      const html = await response.text();
      expect(html, path).toContain('<base href="/console/" />');
      // Only files of this server: nothing from a CDN, no external fonts.
      const references = [...html.matchAll(/(?:src|href)="([^"]+)"/gu)].map((match) => match[1]!);
      expect(references.every((reference) => !/^(?:https?:)?\/\//u.test(reference))).toBe(true);
    }
  });

  it('serves hashed assets for a year, and answers 404 to missing or outside files', async () => {
    const html = await (await get('/console/')).text();
    const script = /src="\.\/(assets\/[^"]+\.js)"/u.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await get(`/console/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    for (const path of [
      '/console/assets/missing.js',
      '/console/..%2Fpackage.json',
      '/console/%2e%2e/%2e%2e/package.json',
      '/console/%E0%A4%A',
    ]) {
      expect((await get(path)).status, path).toBe(404);
    }
  });

  it('works behind a path prefix', async () => {
    const host = new Hono().route('/memnex', fixture.rest.app);
    const html = await (await host.request('http://localhost/memnex/console/people/u-1')).text();
    expect(html).toContain('<base href="/memnex/console/" />');
  });
});
