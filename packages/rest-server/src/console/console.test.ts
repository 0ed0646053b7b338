import { createHmac } from 'node:crypto';
import { createMemoryRateLimiter } from '@memnex/storage-memory';
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { createConsoleClient, type ConsoleClient } from '../test/console-client.js';
import { createFixture, keyIdOf, type Fixture } from '../test/fixture.js';
import { createRecordingLogger, type RecordingLogger } from '../test/recording-logger.js';
import { hashPassword } from './passwords.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked by value */

const SIGNING_KEY = 'console-test-signing-key-0123456789abcdef';
const PASSWORD = 'correct horse battery staple';
const PHONE = { channel: 'voice', id: '+44 20 7946 0958' } as const;

/** Every console API route that needs a session, with a plausible request. */
const SESSION_ROUTES: Array<[string, string, unknown?]> = [
  ['GET', '/console/api/session'],
  ['POST', '/console/api/sign-out'],
  ['GET', '/console/api/overview'],
  ['GET', '/console/api/state'],
  ['GET', '/console/api/keys'],
  ['POST', '/console/api/keys', { label: 'x', scopes: ['admin'] }],
  ['DELETE', '/console/api/keys/k00000000'],
  ['GET', '/console/api/people?query=u-1'],
  ['GET', '/console/api/person?userId=u-1'],
  ['GET', '/console/api/person/preview?userId=u-1&format=whatsapp'],
  ['POST', '/console/api/person/export', { userId: 'u-1' }],
  ['POST', '/console/api/person/forget', { userId: 'u-1', reason: 'test' }],
  ['POST', '/console/api/person/link', { userId: 'u-1', identifier: { channel: 'web', id: 'w' } }],
  [
    'POST',
    '/console/api/person/unlink',
    { userId: 'u-1', identifier: { channel: 'web', id: 'w' } },
  ],
  ['POST', '/console/api/people/merge', { from: 'u-1', into: 'u-2' }],
  ['GET', '/console/api/audit'],
  ['GET', '/console/api/audit/verify'],
  ['GET', '/console/api/no-such-route'],
];

let clock = Date.now();
let logger: RecordingLogger;
let fixture: Fixture;
let alice: ConsoleClient;
let bob: ConsoleClient;
let aliceTenant: string;

beforeAll(async () => {
  logger = createRecordingLogger();
  fixture = await createFixture({
    logger,
    engine: { logger },
    console: {
      signingKey: SIGNING_KEY,
      rateLimiter: createMemoryRateLimiter({ points: 30, durationSeconds: 300 }),
      now: () => new Date(clock),
    },
  });
  alice = createConsoleClient(fixture.rest);
  bob = createConsoleClient(fixture.rest);
  aliceTenant = (await alice.signUp('Alice@Example.com ', PASSWORD, 'Alice Co')).tenant.id;
  await bob.signUp('bob@example.com', PASSWORD, 'Bob Co');
  await fixture.memnex.write({
    tenantId: aliceTenant,
    user: { identifier: PHONE },
    facts: [{ type: 'profile', text: 'Lives in Leeds', slot: 'profile:city' }],
  });
});

describe('console without a signing key', () => {
  it('loads the page, says how to turn it on, and its API answers 503', async () => {
    const off = await createFixture();
    const client = createConsoleClient(off.rest);
    const page = await client.call('GET', '/console/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/u);
    const status = await client.ok('GET', '/console/api/status');
    expect(status).toMatchObject({ enabled: false, variable: 'MEMNEX_JWT_SIGNING_KEY' });
    expect(status.instructions).toContain('MEMNEX_JWT_SIGNING_KEY');
    for (const [method, path, body] of [
      ['POST', '/console/api/sign-in', { email: 'a@b.co', password: PASSWORD }],
      ['GET', '/console/api/session'],
      ['GET', '/console/api/keys'],
    ] as const) {
      const response = await client.call(method, path, { body });
      expect(response.status, path).toBe(503);
      expect(((await response.json()) as any).error.message).toContain('MEMNEX_JWT_SIGNING_KEY');
    }
  });

  it('refuses a signing key shorter than 32 bytes, or one without a sign-in limiter', async () => {
    await expect(createFixture({ console: { signingKey: 'short' } })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(createFixture({ console: { signingKey: SIGNING_KEY } })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});

describe('sessions', () => {
  it('answers 401 on every console API route without a session, and leaks nothing', async () => {
    const stranger = createConsoleClient(fixture.rest);
    for (const [method, path, body] of SESSION_ROUTES) {
      const response = await stranger.call(method, path, { body, csrf: 'x' });
      expect(response.status, `${method} ${path}`).toBe(401);
      const text = await response.text();
      expect(JSON.parse(text).error.code).toBe('UNAUTHENTICATED');
      expect(text).not.toContain(aliceTenant);
    }
  });

  it('sets an HttpOnly, SameSite=Strict cookie for the whole host; Secure with __Host- over TLS', async () => {
    const client = createConsoleClient(fixture.rest);
    const plain = await client.call('POST', '/console/api/sign-in', {
      body: { email: 'bob@example.com', password: PASSWORD },
    });
    const cookie = plain.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^memnex_console=/u);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
    const tls = await client.call('POST', '/console/api/sign-in', {
      body: { email: 'bob@example.com', password: PASSWORD },
      headers: { 'x-forwarded-proto': 'https' },
    });
    const secure = tls.headers.get('set-cookie')!;
    expect(secure).toMatch(/^__Host-memnex_console=/u);
    expect(secure).toContain('Secure');
    expect(client.cookie).toMatch(/^__Host-memnex_console=/u);
    expect((await client.call('GET', '/console/api/session')).status).toBe(200);
  });

  it('normalises the e-mail, and answers the same to a wrong password and an unknown e-mail', async () => {
    const client = createConsoleClient(fixture.rest);
    expect((await client.signIn('  ALICE@example.COM', PASSWORD)).status).toBe(200);
    const wrong = await client.signIn('alice@example.com', 'not the password');
    const unknown = await client.signIn('nobody@example.com', PASSWORD);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it('refuses a second account with the same e-mail', async () => {
    const client = createConsoleClient(fixture.rest);
    const response = await client.call('POST', '/console/api/sign-up', {
      body: { email: 'alice@example.com', password: PASSWORD, tenantName: 'Again' },
    });
    expect(response.status).toBe(409);
  });

  it('refuses a tampered, foreign, unsigned or expired token', async () => {
    const token = alice.cookie!.split('=')[1]!;
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, tid: fixture.otherTenantId })).toString(
      'base64url',
    );
    const resign = (key: string, head = header, body = forged) =>
      `${head}.${body}.${createHmac('sha256', key).update(`${head}.${body}`).digest('base64url')}`;
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    const tokens = {
      'payload changed': `${header}.${forged}.${signature}`,
      'signature changed': `${header}.${payload}.${flipped}`,
      'signed with another key': resign('another-signing-key-0123456789abcdef'),
      'alg none': `${none}.${forged}.`,
      garbage: 'not-a-token',
    };
    const probe = createConsoleClient(fixture.rest);
    for (const [name, value] of Object.entries(tokens)) {
      const response = await probe.call('GET', '/console/api/session', {
        cookie: `memnex_console=${value}`,
      });
      expect(response.status, name).toBe(401);
      // A bad cookie is cleared.
      expect(response.headers.get('set-cookie'), name).toMatch(/memnex_console=;/u);
    }
    const client = createConsoleClient(fixture.rest);
    await client.signIn('bob@example.com', PASSWORD);
    expect((await client.call('GET', '/console/api/session')).status).toBe(200);
    clock += 9 * 3600 * 1000;
    try {
      expect((await client.call('GET', '/console/api/session')).status).toBe(401);
    } finally {
      clock -= 9 * 3600 * 1000;
    }
  });

  it("ends every session of a disabled tenant at once, and refuses its accounts' sign-ins", async () => {
    const client = createConsoleClient(fixture.rest);
    const { tenant } = await client.signUp('dora@example.com', PASSWORD, 'Dora Co');
    expect((await client.call('GET', '/console/api/session')).status).toBe(200);
    await fixture.memnex.tenants.update({ tenantId: tenant.id, set: { disabled: true } });
    const ended = await client.call('GET', '/console/api/session');
    expect(ended.status).toBe(401);
    expect(ended.headers.get('set-cookie')).toMatch(/memnex_console=;/u);
    expect((await client.signIn('dora@example.com', PASSWORD)).status).toBe(403);
  });

  it('signs out by clearing the cookie', async () => {
    const client = createConsoleClient(fixture.rest);
    await client.signIn('bob@example.com', PASSWORD);
    await client.ok('POST', '/console/api/sign-out');
    expect(client.cookie).toBeNull();
    expect((await client.call('GET', '/console/api/session')).status).toBe(401);
  });
});

describe('cross-site request forgery', () => {
  it('refuses a changing request from another origin, even with a valid session and token', async () => {
    const evil = { origin: 'https://evil.example' };
    for (const [method, path, body] of [
      ['POST', '/console/api/keys', { label: 'stolen', scopes: ['admin'] }],
      ['POST', '/console/api/person/forget', { userId: 'anyone', reason: 'x' }],
      ['POST', '/console/api/sign-out', undefined],
      ['POST', '/console/api/sign-in', { email: 'alice@example.com', password: PASSWORD }],
    ] as const) {
      const response = await alice.call(method, path, { body, headers: evil });
      expect(response.status, path).toBe(403);
      expect(((await response.json()) as any).error.details.reason).toBe('cross_origin');
    }
    const site = await alice.call('POST', '/console/api/keys', {
      body: { label: 'stolen', scopes: ['admin'] },
      headers: { origin: '', 'sec-fetch-site': 'cross-site' },
    });
    expect(site.status).toBe(403);
    expect((await alice.ok('GET', '/console/api/keys')).keys).toEqual([]);
  });

  it('refuses a changing request without the session CSRF token', async () => {
    for (const csrf of [null, 'wrong-token']) {
      const response = await alice.call('POST', '/console/api/keys', {
        body: { label: 'no token', scopes: ['memory:read'] },
        csrf,
      });
      expect(response.status).toBe(403);
      expect(((await response.json()) as any).error.details.reason).toBe('csrf');
    }
  });

  it('keeps the console out of CORS, which stays on for the API', async () => {
    const open = await createFixture({
      corsOrigins: ['*'],
      console: {
        signingKey: SIGNING_KEY,
        rateLimiter: createMemoryRateLimiter({ points: 30, durationSeconds: 300 }),
      },
    });
    const preflight = (path: string) =>
      open.rest.app.request(path, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
    expect((await preflight('/v1/memory/read')).headers.get('access-control-allow-origin')).toBe(
      '*',
    );
    expect(
      (await preflight('/console/api/keys')).headers.get('access-control-allow-origin'),
    ).toBeNull();
    // Under a path prefix too.
    const host = new Hono().route('/memnex', open.rest.app);
    for (const [path, method] of [
      ['/memnex/console/api/keys', 'OPTIONS'],
      ['/memnex/console/api/status', 'GET'],
      ['/memnex/console/', 'GET'],
    ] as const) {
      const response = await host.request(`http://localhost${path}`, {
        method,
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(response.headers.get('access-control-allow-origin'), path).toBeNull();
    }
    const api = await host.request('http://localhost/memnex/v1/memory/read', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(api.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('tenant isolation', () => {
  it("never shows one tenant's people, keys, ledger or counts to another's session", async () => {
    const aliceKey = await alice.ok('POST', '/console/api/keys', {
      label: 'voice agent',
      scopes: ['memory:read', 'memory:write'],
    });
    const found = await alice.ok('GET', '/console/api/people?query=wa:442079460958');
    expect(found.matches).toHaveLength(1);
    const userId = found.matches[0].userId as string;
    expect(
      (await alice.ok('GET', `/console/api/person?userId=${encodeURIComponent(userId)}`)).current,
    ).toHaveLength(1);

    expect((await bob.ok('GET', '/console/api/people?query=wa:442079460958')).matches).toEqual([]);
    expect(
      (await bob.ok('GET', `/console/api/people?query=${encodeURIComponent(userId)}`)).matches,
    ).toEqual([]);
    for (const [method, path, body] of [
      ['GET', `/console/api/person?userId=${encodeURIComponent(userId)}`],
      ['GET', `/console/api/person/preview?userId=${encodeURIComponent(userId)}&format=sms`],
      ['POST', '/console/api/person/export', { userId }],
      ['POST', '/console/api/person/forget', { userId, reason: 'x' }],
      ['POST', '/console/api/person/link', { userId, identifier: { channel: 'web', id: 'x' } }],
      ['POST', '/console/api/person/unlink', { userId, identifier: PHONE }],
      ['POST', '/console/api/people/merge', { from: userId, into: userId }],
      ['DELETE', `/console/api/keys/${aliceKey.record.id}`],
    ] as const) {
      const response = await bob.call(method, path, { body });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(await response.text()).not.toContain('Leeds');
    }
    // A key id that cannot be one is refused as such, not looked up.
    const malformed = await bob.call('DELETE', '/console/api/keys/not-a-key');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as any).error.code).toBe('VALIDATION_FAILED');
    // A tenant id in the URL or the body changes nothing: the session's tenant is the only one.
    const query = await bob.call('GET', `/console/api/keys?tenantId=${aliceTenant}`);
    expect(((await query.json()) as any).keys).toEqual([]);
    const body = await bob.call('POST', '/console/api/keys', {
      body: { label: 'x', scopes: ['admin'], tenantId: aliceTenant },
    });
    expect(body.status).toBe(400);
    const overview = await bob.ok('GET', '/console/api/overview');
    expect(overview.stats).toMatchObject({
      tenantId: expect.not.stringMatching(aliceTenant),
      users: 0,
    });
    const ledger = await bob.ok('GET', '/console/api/audit?limit=200');
    expect(ledger.entries.every((entry: any) => entry.tenantId !== aliceTenant)).toBe(true);
    // Alice's key still works, and Alice's person is still there.
    expect((await alice.ok('GET', '/console/api/keys')).keys[0].revokedAt).toBeNull();
    expect(keyIdOf(aliceKey.key)).toBe(aliceKey.record.id);
  });

  it('lets a viewer look but not change anything', async () => {
    await fixture.memnex.accounts.create({
      tenantId: aliceTenant,
      email: 'viewer@example.com',
      passwordHash: await hashPassword(PASSWORD),
      role: 'viewer',
    });
    const client = createConsoleClient(fixture.rest);
    expect((await client.signIn('viewer@example.com', PASSWORD)).status).toBe(200);
    expect((await client.call('GET', '/console/api/keys')).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', '/console/api/keys', { label: 'x', scopes: ['admin'] }],
      ['DELETE', '/console/api/keys/k00000000', undefined],
      ['POST', '/console/api/person/forget', { userId: 'anyone', reason: 'x' }],
      ['POST', '/console/api/person/link', { userId: 'anyone', identifier: PHONE }],
      ['POST', '/console/api/person/unlink', { userId: 'anyone', identifier: PHONE }],
      ['POST', '/console/api/people/merge', { from: 'anyone', into: 'someone' }],
    ] as const) {
      const response = await client.call(method, path, { body });
      expect(response.status, path).toBe(403);
    }
  });
});

describe('people', () => {
  it('shows as current only what an agent still reads: not a memory whose time to live passed', async () => {
    // Time passes by the engine's clock: two hours after the writes, one of them was to live an
    // hour. The person page judges by that clock too, as reads do, not by the system's.
    let clock = Date.now();
    const past = await createFixture({
      engine: { now: () => new Date(clock) },
      console: {
        signingKey: SIGNING_KEY,
        rateLimiter: createMemoryRateLimiter({ points: 30, durationSeconds: 300 }),
      },
    });
    const client = createConsoleClient(past.rest);
    const { tenant } = await client.signUp('erin@example.com', PASSWORD, 'Erin Co');
    await past.memnex.write({
      tenantId: tenant.id,
      user: 'u-erin',
      facts: [
        { type: 'profile', text: 'Lives in York', slot: 'profile:city' },
        { type: 'intent', text: 'Wants a callback today', ttl: 3600 },
      ],
    });
    const texts = async () =>
      (await client.ok('GET', '/console/api/person?userId=u-erin')).current
        .map((memory: any) => memory.text)
        .sort();
    expect(await texts()).toEqual(['Lives in York', 'Wants a callback today']);
    clock += 2 * 3600 * 1000;
    expect(await texts()).toEqual(['Lives in York']);
    const read = await past.memnex.read({ tenantId: tenant.id, user: 'u-erin' });
    expect(read.items.map((item) => item.text)).toEqual(['Lives in York']);
  });
});

describe('audit, accounts and passwords', () => {
  it('audits console actions as account:<id>, and never records or logs a password', async () => {
    const carol = createConsoleClient(fixture.rest);
    const secret = 'carol-unique-password-4242';
    const session = await carol.signUp('carol@example.com', secret, 'Carol Co');
    await carol.signIn('carol@example.com', 'carol-wrong-password-4242');
    await carol.call('POST', '/console/api/sign-up', {
      body: { email: 'carol@example.com', password: 'short', tenantName: 'X' },
    });
    await carol.ok('POST', '/console/api/keys', { label: 'agent', scopes: ['memory:read'] });
    const { entries } = await carol.ok('GET', '/console/api/audit?limit=50');
    const actor = `account:${session.account.id}`;
    expect(entries.map((entry: any) => [entry.op, entry.actor])).toEqual(
      expect.arrayContaining([
        ['account.create', actor],
        ['account.login', actor],
        ['key.create', actor],
      ]),
    );
    const everything = JSON.stringify([entries, logger.lines]);
    for (const password of [secret, 'carol-wrong-password-4242', 'short', PASSWORD]) {
      expect(everything).not.toContain(password);
    }
    expect(JSON.stringify(entries)).not.toContain('carol@example.com');
    const verified = await carol.ok('GET', '/console/api/audit/verify');
    expect(verified).toMatchObject({ ok: true });
  });

  it('filters the ledger by op, actor, subject and time, newest first, in pages', async () => {
    const { entries } = await alice.ok('GET', '/console/api/audit?op=account.login');
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((entry: any) => entry.op === 'account.login')).toBe(true);
    const { account } = await alice.ok('GET', '/console/api/session');
    const actor = `account:${account.id}`;
    const byActor = await alice.ok('GET', `/console/api/audit?actor=${actor}&limit=200`);
    expect(byActor.entries.length).toBeGreaterThan(1);
    expect(byActor.entries.every((entry: any) => entry.actor === actor)).toBe(true);
    const all = await alice.ok('GET', '/console/api/audit?limit=200');
    expect(byActor.entries.length).toBeLessThan(all.entries.length);
    const bySubject = await alice.ok('GET', `/console/api/audit?subject=${account.id}`);
    expect(bySubject.entries.map((entry: any) => entry.op)).toContain('account.create');
    expect(bySubject.entries.every((entry: any) => entry.subject === account.id)).toBe(true);
    const page = await alice.ok('GET', '/console/api/audit?limit=1');
    expect(page.entries).toHaveLength(1);
    expect(page.nextBeforeSeq).toBe(page.entries[0].seq);
    const older = await alice.ok(
      'GET',
      `/console/api/audit?limit=1&beforeSeq=${page.nextBeforeSeq}`,
    );
    expect(older.entries[0].seq).toBeLessThan(page.entries[0].seq);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await alice.ok('GET', `/console/api/audit?since=${future}`)).entries).toEqual([]);
    expect((await alice.call('GET', '/console/api/audit?since=yesterday')).status).toBe(400);
  });
});

describe('sign-in limits', () => {
  it('limits attempts per e-mail, then per client address, with Retry-After', async () => {
    const limited = await createFixture({
      console: {
        signingKey: SIGNING_KEY,
        rateLimiter: createMemoryRateLimiter({ points: 30, durationSeconds: 300 }),
      },
    });
    const client = createConsoleClient(limited.rest);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt += 1) {
      statuses.push((await client.signIn('target@example.com', `guess-${attempt}-xxxx`)).status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    const refused = await client.signIn('target@example.com', 'guess');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/u);
    // The address has spent 12 of its 30 points; other e-mails run it out.
    const others: number[] = [];
    for (let attempt = 0; attempt < 19; attempt += 1) {
      others.push((await client.signIn(`other-${attempt}@example.com`, 'guess-xxxxxx')).status);
    }
    expect(others.at(-1)).toBe(429);
  });
});
