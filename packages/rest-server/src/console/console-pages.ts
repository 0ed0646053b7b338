import { extname } from 'node:path';
import { MemnexError } from '@memnex/core';
import type { Hono } from 'hono';
import type { RestEnv } from '../caller.js';
import { consoleAsset, consolePage } from './console-assets.js';

/**
 * What the console's page may load and talk to: its own files and API, and the state socket of
 * its own host; nothing from elsewhere, and no page may frame it.
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; " +
    "form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  // The page holds no data, but a stale one could load assets that a new build removed.
  'cache-control': 'no-cache',
};

/**
 * Serve the console's single-page app under `/console/`: its hashed assets cached for a year,
 * any other file of the build for an hour, and the page itself for every other path (the app
 * routes in the browser). `/console` redirects to `/console/`, relatively, so a path prefix in
 * front of the app is kept.
 */
export function mountConsolePages(app: Hono<RestEnv>): void {
  app.get('/console', (context) => context.redirect('console/', 301));
  app.get('/console/*', async (context) => {
    const path = context.req.path;
    const at = path.indexOf('/console/');
    let rest: string;
    try {
      rest = decodeURIComponent(path.slice(at + '/console/'.length));
    } catch {
      throw MemnexError.notFound('console file');
    }
    if (rest !== '' && rest !== 'index.html') {
      const asset = await consoleAsset(rest);
      if (asset) {
        return context.body(asset.body as unknown as string, 200, {
          'content-type': asset.type,
          'cache-control': asset.immutable
            ? 'public, max-age=31536000, immutable'
            : 'public, max-age=3600',
          'x-content-type-options': 'nosniff',
        });
      }
      // A missing file is a 404, not the page: a broken asset link must not load HTML.
      if (extname(rest) !== '') throw MemnexError.notFound('console file');
    }
    return context.html(
      await consolePage(path.slice(0, at + '/console/'.length)),
      200,
      PAGE_HEADERS,
    );
  });
}
