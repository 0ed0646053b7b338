import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, serverEnv, startRestServer, tempDir } from './memnex-process.js';

const CHROMIUM = process.env.MEMNEX_CHROMIUM_PATH ?? '/usr/bin/chromium';
const MISSING = existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM}`;
const pages: Server[] = [];

afterEach(async () => {
  await Promise.all(pages.splice(0).map((page) => new Promise((done) => page.close(done))));
  await cleanUp();
});

/** @memnex/client bundled for the browser, as an app's bundler would. */
async function clientBundle(): Promise<string> {
  const result = await build({
    stdin: { contents: "export * from '@memnex/client';", resolveDir: import.meta.dirname },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
  });
  return result.outputFiles[0]!.text;
}

/** A page on its own origin that loads the bundle as a module. */
async function servePage(bundle: string): Promise<string> {
  const page = createServer((request, response) => {
    if (request.url === '/client.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    } else {
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          '<!doctype html><script type="module">' +
            "import * as client from '/client.js'; globalThis.memnexClient = client;</script>",
        );
    }
  });
  pages.push(page);
  await new Promise<void>((done) => page.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
}

describe('@memnex/client in a browser', () => {
  it.runIf(MISSING !== null && process.env.CI === 'true')('has Chromium under CI', () => {
    throw new Error(`the browser client cannot be checked: ${MISSING}`);
  });

  it.skipIf(MISSING !== null)(
    'writes and reads across origins with CORS, and gets MemnexError codes',
    { timeout: 90_000 },
    async () => {
      const origin = await servePage(await clientBundle());
      const server = await startRestServer(
        serverEnv(await tempDir(), { MEMNEX_DEV_KEY: '1', MEMNEX_CORS_ORIGINS: origin }),
      );
      const key = /memnex dev key: (\S+)/u.exec(server.stderr())![1]!;
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--no-first-run',
        ],
      });
      try {
        const page = await browser.newPage();
        await page.goto(origin);
        await page.waitForFunction(() => 'memnexClient' in globalThis);
        const outcome = await page.evaluate(
          async ([url, apiKey]) => {
            const { createMemnexClient, MemnexError } = (
              globalThis as unknown as { memnexClient: unknown }
            ).memnexClient as {
              createMemnexClient: (options: object) => {
                memory: {
                  write(input: object): Promise<{ written: unknown[] }>;
                  read(input: object): Promise<{ format: string; context: string }>;
                };
              };
              MemnexError: {
                isInstance(value: unknown): value is { code: string; status: number };
              };
            };
            const client = createMemnexClient({ url, apiKey, channel: 'whatsapp' });
            const written = await client.memory.write({
              user: 'browser-user',
              facts: [{ type: 'preference', text: 'Prefers WhatsApp over phone calls' }],
            });
            const read = await client.memory.read({ user: 'browser-user' });
            const failure = await client.memory
              .read({ user: '' })
              .catch((error: unknown) =>
                MemnexError.isInstance(error) ? `${error.status} ${error.code}` : String(error),
              );
            return {
              written: written.written.length,
              format: read.format,
              context: read.context,
              failure,
            };
          },
          [server.url, key] as const,
        );
        expect(outcome).toEqual({
          written: 1,
          format: 'whatsapp',
          context: expect.stringContaining('Prefers WhatsApp'),
          failure: '400 VALIDATION_FAILED',
        });
      } finally {
        await browser.close();
      }
    },
  );
});
