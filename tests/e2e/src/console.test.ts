import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createMemnexClient, type MemnexClient, type StateEvent } from '@memnex/client';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Page,
  type WebSocketRoute,
} from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startRestWorld, type RestWorld } from './rest-setup.js';

const CHROMIUM = process.env.MEMNEX_CHROMIUM_PATH ?? '/usr/bin/chromium';
const MISSING = existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM}`;
/** Screenshots of the main pages, for people (and the docs) to look at; not compared. */
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const PHONE = { channel: 'voice', id: '+44 20 7946 0958' } as const;
const WHATSAPP_ID = 'wa:442079460958';
const PASSWORD = 'a long enough console password';

let world: RestWorld;
let browser: Browser;

/** A fresh browser profile that may reach only the server under test. */
async function newContext(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const errors: string[] = [];
  await context.route('**/*', (route) =>
    new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort(),
  );
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  page.setDefaultTimeout(10_000);
  return { context, page, errors };
}

async function signUp(
  page: Page,
  organisation: string,
  email: string,
  screenshot = false,
): Promise<void> {
  await page.goto(`${world.server.url}/console`);
  await page.getByRole('button', { name: 'Create an organisation' }).click();
  await page.getByLabel('Organisation name').fill(organisation);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  if (screenshot) await shot(page, 'sign-up');
  await page.getByRole('button', { name: 'Create organisation' }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
}

/** A full-page screenshot, without the passing notification that would cover part of it. */
async function shot(page: Page, name: string): Promise<void> {
  const toast = page.locator('.toast');
  const hide = (visibility: string) =>
    toast.evaluate(
      (element, value) =>
        void ((element as unknown as { style: { visibility: string } }).style.visibility = value),
      visibility,
    );
  await hide('hidden');
  await page.screenshot({ path: join(ARTIFACTS, `console-${name}.png`), fullPage: true });
  await hide('');
}

beforeAll(async () => {
  if (MISSING) return;
  await mkdir(ARTIFACTS, { recursive: true });
  [world, browser] = await Promise.all([
    startRestWorld({ env: { MEMNEX_JWT_SIGNING_KEY: 'e2e-console-signing-key-0123456789abcdef' } }),
    chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    }),
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await world?.stop();
});

describe('the web console in a browser, on Postgres + Redis', () => {
  it.runIf(MISSING !== null && process.env.CI === 'true')('has Chromium under CI', () => {
    throw new Error(`the console cannot be checked: ${MISSING}`);
  });

  it.skipIf(MISSING !== null)(
    'signs up, makes a key, finds a person by WhatsApp id, previews, verifies, forgets; another tenant sees none of it',
    { timeout: 90_000 },
    async () => {
      const { context, page, errors } = await newContext();
      await signUp(page, 'Acme Support', 'ops@acme.example', true);

      // A key, created in the console and shown once.
      await page.getByRole('link', { name: 'API keys' }).click();
      await page.getByLabel('Label').fill('support agents');
      await page.getByRole('checkbox', { name: /memory:write/u }).check();
      await page
        .getByLabel('State scopes (optional)')
        .fill('state:read:* state:write:* state:schema:*');
      await page.getByRole('button', { name: 'Create key' }).click();
      const key = await page.getByLabel('New API key').inputValue();
      expect(key).toMatch(/^mx_live_k[0-9a-f]{8}_/u);
      await expect.poll(() => page.getByRole('row', { name: /support agents/u }).count()).toBe(1);
      await shot(page, 'keys');

      // Agents write through the SDK: a voice agent by phone, later a correction.
      const client: MemnexClient = createMemnexClient({
        url: world.server.url,
        apiKey: key,
        channel: 'voice',
        maxRetries: 0,
        WebSocket: WebSocket as never,
      });
      await client.memory.write({
        user: { identifier: PHONE },
        facts: [
          { type: 'profile', text: 'Lives in Leeds', slot: 'profile:city' },
          { type: 'issue', text: 'Order #4521 arrived damaged', entities: ['order:4521'] },
          { type: 'preference', text: 'Prefers WhatsApp over phone calls' },
        ],
      });
      const moved = await client.memory.write({
        user: { identifier: PHONE },
        facts: [{ type: 'profile', text: 'Moved to Manchester', slot: 'profile:city' }],
      });
      expect(moved.superseded).toHaveLength(1);

      // Found by the WhatsApp id, through the identity graph.
      await page.getByRole('link', { name: 'People' }).click();
      await page.getByLabel('User id or identifier').fill(WHATSAPP_ID);
      await page.getByRole('button', { name: 'Search' }).click();
      const match = page.locator('.match-link').first();
      await match.waitFor();
      const userId = (await match.innerText()).trim();
      await match.click();
      const memories = page.locator('#memories-title').locator('xpath=..').locator('..');
      await expect.poll(() => memories.innerText()).toContain('Moved to Manchester');
      expect(await memories.innerText()).toContain('Order #4521 arrived damaged');
      expect(await memories.innerText()).not.toContain('Lives in Leeds');
      const history = page.locator('.timeline');
      await expect.poll(() => history.innerText()).toContain('Lives in Leeds');
      expect(await history.innerText()).toContain('superseded');

      // What a WhatsApp agent would read, with its token count.
      await page.getByRole('tab', { name: 'whatsapp' }).click();
      const preview = page.locator('pre.preview[data-format="whatsapp"]');
      await expect.poll(() => preview.innerText()).toContain('Manchester');
      expect(await page.locator('#preview-tokens').innerText()).toMatch(
        /^\d+ tokens of a 500-token/u,
      );
      await shot(page, 'person');

      // The ledger verifies.
      await page.getByRole('link', { name: 'Audit' }).click();
      await page.getByRole('button', { name: 'Verify chain' }).click();
      await expect.poll(() => page.locator('#verify-result').innerText()).toContain('Chain intact');
      await expect.poll(() => page.locator('#entries-title').count()).toBe(1);
      await shot(page, 'audit');

      // Two more reads by an agent: the overview counts them, the second from the hot cache.
      await client.memory.read({ user: { identifier: PHONE } });
      await client.memory.read({ user: { identifier: PHONE } });
      await page.getByRole('link', { name: 'Overview' }).click();
      await expect.poll(() => page.locator('.stat-value').first().innerText()).toBe('1');
      const stats = await page.locator('.stat').allInnerTexts();
      expect(stats.find((stat) => stat.includes('Reads'))).toMatch(/^3\s/u);
      await shot(page, 'overview');

      // Live state: a value set through the SDK changes on screen. The page's socket goes
      // through a route, so that the test can drop it and read what crosses it.
      const sockets: Array<{ route: WebSocketRoute; sent: string[]; received: string[] }> = [];
      await page.routeWebSocket(/\/v1\/state\/ws$/u, (route) => {
        const socket = { route, sent: [] as string[], received: [] as string[] };
        sockets.push(socket);
        const server = route.connectToServer();
        route.onMessage((message) => {
          socket.sent.push(String(message));
          server.send(message);
        });
        server.onMessage((message) => {
          socket.received.push(String(message));
          route.send(message);
        });
      });
      await page.getByRole('link', { name: 'Live state' }).click();
      await expect.poll(() => page.locator('.connection').innerText()).toContain('Live');
      await client.state.setSchema('team:*', {
        type: 'object',
        properties: { goal: { type: 'string' }, step: { type: 'integer', minimum: 1 } },
        required: ['goal'],
      });
      await expect.poll(() => page.locator('.schemas').innerText()).toContain('team:*');
      await client.state.set('team:plan', { goal: 'refund order 4521', step: 1 });
      const row = page.locator('tr[data-key="team:plan"]');
      await expect.poll(() => row.locator('[data-testid="version"]').innerText()).toBe('1');
      await client.state.set('team:plan', { goal: 'refund order 4521', step: 2 });
      await expect.poll(() => row.locator('[data-testid="version"]').innerText()).toBe('2');
      expect(await row.innerText()).toContain('"step":2');
      await client.state.set('notes:alpha', { text: 'call back on Monday' });
      await expect.poll(() => page.locator('tr[data-key="notes:alpha"]').count()).toBe(1);
      await shot(page, 'live-state');

      // A dropped connection: the page reconnects and catches up with what changed meanwhile,
      // and only with that: what it shows is not sent again.
      await sockets.at(-1)!.route.close({ code: 4000, reason: 'dropped' });
      await expect.poll(() => page.locator('.connection').innerText()).toContain('Reconnecting');
      await client.state.set('team:plan', { goal: 'refund order 4521', step: 3 });
      await expect
        .poll(() => row.locator('[data-testid="version"]').innerText(), { timeout: 10_000 })
        .toBe('3');
      await expect.poll(() => page.locator('.connection').innerText()).toContain('Live');
      expect(sockets).toHaveLength(2);
      const resumed = sockets[1]!;
      const subscribe = resumed.sent
        .map((text) => JSON.parse(text) as { type: string })
        .find((message) => message.type === 'subscribe');
      expect(subscribe).toMatchObject({ since: { 'team:plan': 2, 'notes:alpha': 1 } });
      const replayed = resumed.received
        .map((text) => JSON.parse(text) as { type: string; event?: StateEvent })
        .flatMap((message) => (message.event ? [[message.event.key, message.event.version]] : []));
      expect(replayed).toEqual([['team:plan', 3]]);

      // Forget, after a confirmation: the signed receipt is shown.
      await page.goto(`${world.server.url}/console/people/${encodeURIComponent(userId)}`);
      await page.getByRole('button', { name: 'Forget this person…' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Forget for ever' }).click();
      const receipt = page.locator('#receipt-json');
      await expect.poll(() => receipt.innerText()).toContain('"receiptId"');
      const signed = JSON.parse(await receipt.innerText()) as Record<string, unknown>;
      expect(signed).toMatchObject({ scope: 'user', deleted: { memories: 4 } });
      expect(typeof signed.mac).toBe('string');
      await shot(page, 'forget-receipt');
      const after = await client.memory.read({ user: { identifier: PHONE } });
      expect(after.items).toEqual([]);

      // Another tenant's session sees none of it, even at the first tenant's URLs.
      const other = await newContext();
      await signUp(other.page, 'Other Org', 'ops@other.example');
      await client.memory.write({
        user: { identifier: PHONE },
        facts: [{ type: 'profile', text: 'Back in Leeds', slot: 'profile:city' }],
      });
      await other.page.goto(
        `${world.server.url}/console/people?query=${encodeURIComponent(WHATSAPP_ID)}`,
      );
      await expect
        .poll(() => other.page.locator('main').innerText())
        .toContain('No one in this tenant');
      await other.page.goto(`${world.server.url}/console/people/${encodeURIComponent(userId)}`);
      await expect.poll(() => other.page.getByRole('alert').innerText()).toContain('not found');
      await other.page.getByRole('link', { name: 'API keys' }).click();
      await expect.poll(() => other.page.locator('main').innerText()).toContain('No keys yet');
      await other.page.getByRole('link', { name: 'Live state' }).click();
      await expect
        .poll(() => other.page.locator('main').innerText())
        .toContain('No state values yet');
      expect(await other.page.locator('main').innerText()).not.toContain('team:plan');

      expect(errors).toEqual([]);
      expect(other.errors).toEqual([]);
      await other.context.close();
      await context.close();
    },
  );
});
