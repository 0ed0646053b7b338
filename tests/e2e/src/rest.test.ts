import type { MemnexClient } from '@memnex/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFailure, startRestWorld, type RestWorld } from './rest-setup.js';

const PHONE = { channel: 'voice', id: '+44 20 7946 0958' } as const;
const WHATSAPP = { channel: 'whatsapp', id: 'wa:442079460958' } as const;

let world: RestWorld;
/** Tenant A clients by what their keys hold. */
let reader: MemnexClient;
let writer: MemnexClient;
let forgetter: MemnexClient;
let auditor: MemnexClient;
let revealer: MemnexClient;
let voiceAgent: MemnexClient;
let whatsappAgent: MemnexClient;

beforeAll(async () => {
  world = await startRestWorld();
  reader = await world.clientWith(['memory:read']);
  writer = await world.clientWith(['memory:write']);
  forgetter = await world.clientWith(['memory:forget']);
  auditor = await world.clientWith(['audit:read']);
  revealer = await world.clientWith(['pii:reveal']);
  voiceAgent = await world.clientWith(['memory:read', 'memory:write'], { channel: 'voice' });
  whatsappAgent = await world.clientWith(['memory:read', 'memory:write'], { channel: 'whatsapp' });
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

/** Seed a user of tenant A with facts; returns the memory ids. */
async function seed(userId: string, texts: string[] = ['Order #4521 arrived damaged']) {
  const result = await world.adminA.memory.write({
    user: userId,
    facts: texts.map((text, index) => ({
      text,
      type: 'issue',
      entities: [`order:${userId}-${index}`],
    })),
  });
  return result.written.map((item) => item.id);
}

describe('memory over REST, SDK against a spawned server on Postgres + Redis', () => {
  it('write: by phone on voice, read back by WhatsApp id; bad input, scope, cross-tenant', async () => {
    const written = await voiceAgent.memory.write({
      user: { identifier: PHONE },
      facts: [
        { text: 'Prefers WhatsApp over phone calls', type: 'preference' },
        { text: 'Order #4521 arrived damaged', type: 'issue', entities: ['order:4521'] },
      ],
    });
    expect(written.written).toHaveLength(2);
    const read = await whatsappAgent.memory.read({ user: { identifier: WHATSAPP } });
    expect(read.format).toBe('whatsapp');
    expect(read.context).toContain('Order #4521 arrived damaged');
    expect(read.items.every((item) => item.source.channel === 'voice')).toBe(true);

    await expectFailure(
      voiceAgent.memory.write({ user: 'u', facts: [{ text: '', type: 'issue' }] }),
      400,
      'VALIDATION_FAILED',
    );
    await expectFailure(
      reader.memory.write({ user: 'u', facts: [{ text: 'x', type: 'issue' }] }),
      403,
      'FORBIDDEN',
    );
    // Tenant B writing to "the same" person creates its own person; A's memories are untouched.
    await world.adminB.memory.write({
      user: { identifier: PHONE },
      facts: [{ text: 'Tenant B secret', type: 'profile' }],
    });
    const again = await whatsappAgent.memory.read({ user: { identifier: WHATSAPP } });
    expect(again.items.map((item) => item.text)).not.toContain('Tenant B secret');
    expect(again.items).toHaveLength(2);
  });

  it('write replays an idempotent request and refuses a key reused with another body', async () => {
    const input = {
      user: 'idem-user',
      facts: [{ text: 'Wants a refund', type: 'intent' as const }],
      idempotencyKey: 'idem-1',
    };
    const first = await writer.memory.write(input);
    const second = await writer.memory.write(input);
    expect(second.receipt).toEqual(first.receipt);
    await expectFailure(
      writer.memory.write({ ...input, facts: [{ text: 'Something else', type: 'intent' }] }),
      409,
      'CONFLICT',
    );
  });

  it('read: bad budget, missing scope, cross-tenant reads nothing', async () => {
    await seed('read-user');
    expect((await reader.memory.read({ user: 'read-user' })).items).toHaveLength(1);
    await expectFailure(
      reader.memory.read({ user: 'read-user', tokenBudget: 0 }),
      400,
      'VALIDATION_FAILED',
    );
    await expectFailure(writer.memory.read({ user: 'read-user' }), 403, 'FORBIDDEN');
    const other = await world.adminB.memory.read({ user: 'read-user' });
    expect(other.items).toEqual([]);
    expect(other.context).toBe('');
  });

  it('search: hits, empty query, missing scope, cross-tenant finds nothing', async () => {
    await seed('search-user', ['The blender motor burns out after a minute']);
    const { hits } = await reader.memory.search({ user: 'search-user', query: 'blender motor' });
    expect(hits[0]?.text).toContain('blender');
    await expectFailure(
      reader.memory.search({ user: 'search-user', query: ' ' }),
      400,
      'VALIDATION_FAILED',
    );
    await expectFailure(
      auditor.memory.search({ user: 'search-user', query: 'x' }),
      403,
      'FORBIDDEN',
    );
    expect(
      (await world.adminB.memory.search({ user: 'search-user', query: 'blender' })).hits,
    ).toEqual([]);
  });

  it('trace: supported claims, empty draft, missing scope, cross-tenant supports nothing', async () => {
    await seed('trace-user', ['Order #4521 arrived damaged']);
    const draft = 'Your order 4521 arrived damaged.';
    const traced = await reader.memory.trace({ user: 'trace-user', draft });
    expect(traced.supported.length).toBeGreaterThan(0);
    await expectFailure(
      reader.memory.trace({ user: 'trace-user', draft: '' }),
      400,
      'VALIDATION_FAILED',
    );
    await expectFailure(auditor.memory.trace({ user: 'trace-user', draft }), 403, 'FORBIDDEN');
    expect((await world.adminB.memory.trace({ user: 'trace-user', draft })).supported).toEqual([]);
  });

  it('forget: some memories with a verifiable receipt; bad ids, missing scope, cross-tenant deletes nothing', async () => {
    const [first, second] = await seed('forget-user', ['Lives in Leeds', 'Has a cat named Miso']);
    await expectFailure(
      forgetter.memory.forget({ user: 'forget-user', memoryIds: ['not-a-uuid'] }),
      400,
      'VALIDATION_FAILED',
    );
    await expectFailure(writer.memory.forget({ user: 'forget-user' }), 403, 'FORBIDDEN');
    const elsewhere = await world.adminB.memory.forget({
      user: 'forget-user',
      memoryIds: [first!],
    });
    expect(elsewhere.deleted.memories).toBe(0);
    const receipt = await forgetter.memory.forget({ user: 'forget-user', memoryIds: [first!] });
    expect(receipt.deleted.memories).toBe(1);
    expect(await auditor.audit.verifyReceipt(receipt)).toEqual({ ok: true, keyId: receipt.keyId });
    const left = await reader.memory.read({ user: 'forget-user' });
    expect(left.items.map((item) => item.id)).toEqual([second]);
  });

  it('export: the document, bad user, missing scope, cross-tenant exports no one', async () => {
    await seed('export-user');
    const document = await reader.memory.export({ user: 'export-user' });
    expect(document.format).toBe('memnex.export.v1');
    expect(document.memories).toHaveLength(1);
    await expectFailure(reader.memory.export({ user: '' }), 400, 'VALIDATION_FAILED');
    await expectFailure(writer.memory.export({ user: 'export-user' }), 403, 'FORBIDDEN');
    const other = await world.adminB.memory.export({ user: 'export-user' });
    expect(other.user).toBeNull();
    expect(other.memories).toEqual([]);
  });

  it('timeline: entries, bad limit, missing scope, cross-tenant is empty', async () => {
    await seed('timeline-user');
    expect(
      (await reader.memory.timeline({ user: 'timeline-user' })).entries.length,
    ).toBeGreaterThan(0);
    await expectFailure(
      reader.memory.timeline({ user: 'timeline-user', limit: 0 }),
      400,
      'VALIDATION_FAILED',
    );
    await expectFailure(writer.memory.timeline({ user: 'timeline-user' }), 403, 'FORBIDDEN');
    expect((await world.adminB.memory.timeline({ user: 'timeline-user' })).entries).toEqual([]);
  });

  it('reveal: encrypted PII comes back; bad ids, missing scope, cross-tenant finds no user', async () => {
    const [id] = await seed('reveal-user', ['Call back on +44 20 7946 0123 after 5pm']);
    const stored = await reader.memory.read({ user: 'reveal-user' });
    expect(stored.context).not.toContain('7946 0123');
    const revealed = await revealer.memory.reveal({
      user: 'reveal-user',
      memoryIds: [id!],
      reason: 'callback',
    });
    expect(revealed.memories[0]?.text).toMatch(/\+?44\s?20\s?7946\s?0123|\+442079460123/u);
    await expectFailure(
      revealer.memory.reveal({ user: 'reveal-user', memoryIds: [], reason: 'x' }),
      400,
      'VALIDATION_FAILED',
    );
    await expectFailure(
      reader.memory.reveal({ user: 'reveal-user', memoryIds: [id!], reason: 'x' }),
      403,
      'FORBIDDEN',
    );
    await expectFailure(
      world.adminB.memory.reveal({ user: 'reveal-user', memoryIds: [id!], reason: 'x' }),
      404,
      'NOT_FOUND',
    );
  });
});

describe('identity over REST', () => {
  const phone = { channel: 'voice', id: '+44 20 7946 0999' } as const;

  it('resolve and link: bad channel, missing scope, cross-tenant resolves no one', async () => {
    const linked = await writer.users.link({ identifier: phone, user: 'link-user' });
    expect(linked).toMatchObject({ userId: 'link-user', channel: 'voice', id: '+442079460999' });
    expect(await reader.users.resolve({ identifier: phone })).toEqual({ userId: 'link-user' });
    await expectFailure(
      reader.users.resolve({ identifier: { channel: 'fax', id: '1' } as never }),
      400,
      'VALIDATION_FAILED',
    );
    await expectFailure(
      writer.users.link({ identifier: { channel: 'voice', id: '' }, user: 'x' }),
      400,
      'VALIDATION_FAILED',
    );
    await expectFailure(auditor.users.resolve({ identifier: phone }), 403, 'FORBIDDEN');
    await expectFailure(reader.users.link({ identifier: phone, user: 'x' }), 403, 'FORBIDDEN');
    // B sees no owner (the server answers 404 NOT_FOUND, which the client turns into null) and its
    // own link of the same number is its own.
    expect(await world.adminB.users.resolve({ identifier: phone })).toBeNull();
    await world.adminB.users.link({ identifier: phone, user: 'b-user' });
    expect(await reader.users.resolve({ identifier: phone })).toEqual({ userId: 'link-user' });
    await expectFailure(
      world.adminA.users.link({ identifier: phone, user: 'someone-else' }),
      409,
      'CONFLICT',
    );
  });

  it('unlink: bad identifier, missing scope, cross-tenant removes nothing', async () => {
    const identifier = { channel: 'whatsapp', id: 'wa:447700900111' } as const;
    await writer.users.link({ identifier, user: 'unlink-user' });
    expect(await world.adminB.users.unlink({ identifier })).toEqual({ removed: false });
    expect(await reader.users.resolve({ identifier })).toEqual({ userId: 'unlink-user' });
    await expectFailure(
      writer.users.unlink({ identifier: { channel: 'voice' } as never }),
      400,
      'VALIDATION_FAILED',
    );
    await expectFailure(reader.users.unlink({ identifier }), 403, 'FORBIDDEN');
    expect(await writer.users.unlink({ identifier })).toEqual({ removed: true });
    expect(await reader.users.resolve({ identifier })).toBeNull();
  });

  it('merge and unmerge: receipts, bad input, missing scope, cross-tenant finds no users', async () => {
    await seed('merge-from', ['Asked about the warranty']);
    await seed('merge-into', ['Lives in Leeds']);
    await expectFailure(
      world.adminA.users.merge({ from: 'merge-from' } as never),
      400,
      'VALIDATION_FAILED',
    );
    await expectFailure(
      reader.users.merge({ from: 'merge-from', into: 'merge-into' }),
      403,
      'FORBIDDEN',
    );
    await expectFailure(
      world.adminB.users.merge({ from: 'merge-from', into: 'merge-into' }),
      404,
      'NOT_FOUND',
    );
    const merged = await writer.users.merge({ from: 'merge-from', into: 'merge-into' });
    expect(merged.moved.memories).toBe(1);
    expect((await reader.memory.read({ user: 'merge-into' })).items).toHaveLength(2);

    await expectFailure(writer.users.unmerge({} as never), 400, 'VALIDATION_FAILED');
    await expectFailure(reader.users.unmerge({ user: 'merge-from' }), 403, 'FORBIDDEN');
    await expectFailure(world.adminB.users.unmerge({ user: 'merge-from' }), 404, 'NOT_FOUND');
    const unmerged = await writer.users.unmerge({ user: 'merge-from' });
    expect(unmerged.restored.memories).toBe(1);
    expect(await auditor.audit.verifyReceipt(unmerged)).toMatchObject({ ok: true });
  });
});

describe('keys, tenant and audit over REST', () => {
  it('keys: create (201), list, revoke; bad scopes, missing admin, cross-tenant', async () => {
    const created = await world.adminA.keys.create({ label: 'bot', scopes: ['memory:read'] });
    expect(created.key).toMatch(/^mx_live_k[0-9a-f]{8}_/u);
    const raw = await fetch(`${world.server.url}/v1/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${created.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'x', scopes: ['memory:read'] }),
    });
    expect(raw.status).toBe(403);
    const status = await fetch(`${world.server.url}/v1/keys`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${(await world.adminA.keys.create({ label: 'admin2', scopes: ['admin'] })).key}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ label: 'x', scopes: ['memory:read'] }),
    });
    expect(status.status).toBe(201);

    await expectFailure(
      world.adminA.keys.create({ label: 'x', scopes: ['nope'] }),
      400,
      'VALIDATION_FAILED',
    );
    await expectFailure(
      writer.keys.create({ label: 'x', scopes: ['memory:read'] }),
      403,
      'FORBIDDEN',
    );
    await expectFailure(writer.keys.list(), 403, 'FORBIDDEN');
    await expectFailure(writer.keys.revoke(created.record.id), 403, 'FORBIDDEN');

    const listed = await world.adminA.keys.list();
    expect(listed.map((key) => key.id)).toContain(created.record.id);
    expect((await world.adminB.keys.list()).map((key) => key.id)).not.toContain(created.record.id);

    await expectFailure(world.adminA.keys.revoke('xyz'), 400, 'VALIDATION_FAILED');
    await expectFailure(world.adminB.keys.revoke(created.record.id), 404, 'NOT_FOUND');
    const bot = world.clientOf(created.key);
    expect((await bot.memory.read({ user: 'nobody' })).items).toEqual([]);
    const revoked = await world.adminA.keys.revoke(created.record.id);
    expect(revoked.record.revokedAt).not.toBeNull();
    await expectFailure(bot.memory.read({ user: 'nobody' }), 401, 'UNAUTHENTICATED');
  });

  it('tenant stats: counts, bad channel header, missing scope, cross-tenant counts its own', async () => {
    await seed('stats-user');
    const stats = await reader.tenant.stats();
    expect(stats.tenantId).toBe(world.tenantA);
    expect(stats.memories.current).toBeGreaterThan(0);
    const badHeader = await fetch(`${world.server.url}/v1/tenant/stats`, {
      headers: {
        authorization: `Bearer ${(await world.adminA.keys.create({ label: 'r', scopes: ['memory:read'] })).key}`,
        'x-memnex-channel': 'fax',
      },
    });
    expect(badHeader.status).toBe(400);
    expect(((await badHeader.json()) as { error: { code: string } }).error.code).toBe(
      'VALIDATION_FAILED',
    );
    await expectFailure(auditor.tenant.stats(), 403, 'FORBIDDEN');
    const other = await world.adminB.tenant.stats();
    expect(other.tenantId).toBe(world.tenantB);
    expect(other.memories.current).toBeLessThan(stats.memories.current);
  });

  it('audit: entries, verify, receipts; bad limit, missing scope, cross-tenant sees its own ledger', async () => {
    const entries = await auditor.audit.entries({ limit: 5 });
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((entry) => entry.tenantId === world.tenantA)).toBe(true);
    const next = await auditor.audit.entries({ afterSeq: entries[0]!.seq, limit: 1 });
    expect(next[0]?.seq).toBe(entries[0]!.seq + 1);
    expect(await auditor.audit.verify()).toMatchObject({ ok: true });

    await expectFailure(auditor.audit.entries({ limit: 0 }), 400, 'VALIDATION_FAILED');
    await expectFailure(auditor.audit.verifyReceipt([] as never), 400, 'VALIDATION_FAILED');
    await expectFailure(reader.audit.entries(), 403, 'FORBIDDEN');
    await expectFailure(reader.audit.verify(), 403, 'FORBIDDEN');
    await expectFailure(reader.audit.verifyReceipt({}), 403, 'FORBIDDEN');

    const theirs = await world.adminB.audit.entries({ limit: 1000 });
    expect(theirs.every((entry) => entry.tenantId === world.tenantB)).toBe(true);
    const verdict = await world.adminB.audit.verify();
    expect(verdict).toMatchObject({ ok: true });
    expect(verdict.count).toBe(theirs.length);
    // A receipt of tenant A is not tenant B's to check.
    const receipt = await world.adminA.memory.forget({ user: 'nobody-at-all' });
    await expectFailure(world.adminB.audit.verifyReceipt(receipt), 403, 'FORBIDDEN');
  });

  it('every /v1 route refuses a request without a key with 401 UNAUTHENTICATED', async () => {
    const document = (await (await fetch(`${world.server.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => [method, path] as const));
    expect(routes.length).toBeGreaterThanOrEqual(20);
    for (const [method, path] of routes) {
      const response = await fetch(`${world.server.url}${path.replace('{keyId}', 'k00000000')}`, {
        method: method.toUpperCase(),
        ...(method === 'post'
          ? { body: '{}', headers: { 'content-type': 'application/json' } }
          : {}),
      });
      const body = (await response.json()) as { error: { code: string } };
      expect({
        route: `${method} ${path}`,
        status: response.status,
        code: body.error.code,
      }).toEqual({
        route: `${method} ${path}`,
        status: 401,
        code: 'UNAUTHENTICATED',
      });
    }
  });
});
