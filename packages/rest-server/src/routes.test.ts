import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from './routes/index.js';
import { createFixture, keyIdOf, type Fixture } from './test/fixture.js';
import { routeCalls } from './test/route-calls.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked by schema */

let fixture: Fixture;
beforeAll(async () => {
  fixture = await createFixture({ engine: { piiStrategy: 'encrypt' } });
});

const { ok, failed } = routeCalls(() => fixture, ROUTES);

const fact = (text: string, type = 'preference', entities: string[] = []) => ({
  text,
  type,
  entities,
});

describe('memory routes', () => {
  it('writes facts stamped with the channel of the request, and reads them back', async () => {
    const written = await ok('POST', '/v1/memory/write', {
      key: fixture.keys.writer,
      body: { user: 'ana', facts: [fact('Prefers email over phone calls')] },
      headers: { 'x-memnex-channel': 'sms' },
    });
    expect(written.written).toHaveLength(1);
    expect(written.receipt).toMatchObject({ op: 'memory.write', userId: 'ana' });
    expect(written.ledgerSeq).toBeGreaterThan(0);

    const read = await ok('POST', '/v1/memory/read', {
      key: fixture.keys.reader,
      body: { user: 'ana' },
    });
    expect(read.format).toBe('app');
    expect(read.items).toHaveLength(1);
    expect(read.items[0]).toMatchObject({
      id: written.written[0].id,
      text: 'Prefers email over phone calls',
      source: { channel: 'sms' },
    });
    expect(read.context).toContain('Prefers email over phone calls');
  });

  it('writes raw text: cleaned messages, extracted facts, and how they were found', async () => {
    const written = await ok('POST', '/v1/memory/write', {
      key: fixture.keys.writer,
      body: {
        user: 'raj',
        rawText:
          'Caller: um my my order 4521 arrived damaged\nAgent: I have refunded ₹499 for order 4521',
      },
      headers: { 'x-memnex-channel': 'voice' },
    });
    expect(written.extraction).toEqual({
      extractor: 'rules',
      facts: 2,
      messages: 2,
      firstFactIndex: 0,
      firstMessageIndex: 0,
      fallback: null,
    });
    expect(written.written.map((item: any) => [item.kind, item.type])).toEqual([
      ['fact', 'issue'],
      ['fact', 'resolution'],
      ['message', 'event'],
      ['message', 'event'],
    ]);
    const read = await ok('POST', '/v1/memory/read', {
      key: fixture.keys.reader,
      body: { user: 'raj' },
    });
    expect(read.items.map((item: any) => [item.text, item.entities, item.source.channel])).toEqual([
      ['Refunded ₹499 for order 4521', ['order:4521', 'amount:INR499'], 'voice'],
    ]);
    const invalid = await failed('POST', '/v1/memory/write', {
      body: { user: 'raj', rawText: [] },
    });
    expect(invalid).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('formats the context for the channel of the request', async () => {
    for (const [channel, format] of [
      ['voice', 'voice'],
      ['whatsapp', 'whatsapp'],
      ['sms', 'sms'],
      ['email', 'web'],
    ]) {
      const read = await ok('POST', '/v1/memory/read', {
        key: fixture.keys.reader,
        body: { user: 'ana' },
        headers: { 'X-Memnex-Channel': channel! },
      });
      expect(read.format, channel).toBe(format);
      expect(read.items, channel).toHaveLength(1);
    }
    const explicit = await ok('POST', '/v1/memory/read', {
      body: { user: 'ana', format: 'web' },
      headers: { 'x-memnex-channel': 'voice' },
    });
    expect(explicit.format).toBe('web');
  });

  it('searches, traces and lists the timeline of a user', async () => {
    await ok('POST', '/v1/memory/write', {
      body: {
        user: 'ben',
        facts: [
          fact('Order 4521 arrived damaged', 'issue', ['order:4521']),
          fact('Lives in Lisbon', 'profile'),
        ],
      },
    });
    const search = await ok('POST', '/v1/memory/search', {
      key: fixture.keys.reader,
      body: { user: 'ben', query: 'damaged order' },
    });
    expect(search.hits[0].text).toBe('Order 4521 arrived damaged');
    expect(search.hits[0].lexicalRank).toBe(1);

    const trace = await ok('POST', '/v1/memory/trace', {
      key: fixture.keys.reader,
      body: { user: 'ben', draft: 'Your order 4521 arrived damaged.' },
    });
    expect(trace.claims.length).toBeGreaterThan(0);
    expect(trace.coverage).toBeGreaterThanOrEqual(0);

    const timeline = await ok('POST', '/v1/memory/timeline', {
      key: fixture.keys.reader,
      body: { user: 'ben' },
    });
    expect(timeline.entries.map((entry: any) => entry.event)).toEqual(['created', 'created']);
  });

  it('exports a user with memories and identifiers', async () => {
    await ok('POST', '/v1/identifiers/link', {
      body: { user: 'ben', identifier: { channel: 'email', id: 'Ben@Example.com' } },
    });
    const exported = await ok('POST', '/v1/memory/export', {
      key: fixture.keys.reader,
      body: { user: 'ben' },
    });
    expect(exported).toMatchObject({
      format: 'memnex.export.v1',
      tenantId: fixture.tenantId,
      user: { userId: 'ben' },
    });
    expect(exported.memories).toHaveLength(2);
    expect(exported.identifiers).toEqual([
      expect.objectContaining({ channel: 'email', id: 'ben@example.com' }),
    ]);
  });

  it('forgets a user with a receipt that /v1/audit/receipts/verify accepts', async () => {
    await ok('POST', '/v1/memory/write', { body: { user: 'cara', facts: [fact('Likes tea')] } });
    const forbidden = await failed('POST', '/v1/memory/forget', {
      key: fixture.keys.writer,
      body: { user: 'cara' },
    });
    expect(forbidden).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
      details: { needed: 'memory:forget' },
    });

    const receipt = await ok('POST', '/v1/memory/forget', {
      body: { user: 'cara', reason: 'gdpr_request' },
    });
    expect(receipt).toMatchObject({ user: 'cara', scope: 'user', deleted: { memories: 1 } });

    const verified = await ok('POST', '/v1/audit/receipts/verify', {
      key: fixture.keys.pinned,
      body: receipt,
    });
    expect(verified).toEqual({ ok: true, keyId: receipt.keyId });
    const tampered = await ok('POST', '/v1/audit/receipts/verify', {
      body: { ...receipt, deleted: { ...receipt.deleted, memories: 0 } },
    });
    expect(tampered).toEqual({ ok: false, reason: 'hash_mismatch' });

    const read = await ok('POST', '/v1/memory/read', { body: { user: 'cara' } });
    expect(read.items).toEqual([]);
  });

  it('reveals encrypted PII only to a key with pii:reveal', async () => {
    const written = await ok('POST', '/v1/memory/write', {
      body: { user: 'dan', facts: [fact('Send invoices to dan.smith@example.org', 'profile')] },
    });
    const id = written.written[0].id;
    const read = await ok('POST', '/v1/memory/read', { body: { user: 'dan' } });
    expect(read.items[0].text).not.toContain('dan.smith@example.org');
    expect(read.items[0].piiFields).toContain('email');

    const body = { user: 'dan', memoryIds: [id], reason: 'customer asked for their invoice' };
    const forbidden = await failed('POST', '/v1/memory/reveal', { key: fixture.keys.writer, body });
    expect(forbidden).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
      details: { needed: 'pii:reveal' },
    });

    const created = await ok('POST', '/v1/keys', {
      body: { label: 'privacy officer', scopes: ['pii:reveal'] },
    });
    const revealed = await ok('POST', '/v1/memory/reveal', { key: created.key, body });
    expect(revealed.revealed).toBe(1);
    expect(revealed.memories).toEqual([
      { id, text: 'Send invoices to dan.smith@example.org', revealed: 1 },
    ]);

    const entries = await ok('GET', '/v1/audit/entries?op=pii.reveal');
    expect(entries.entries).toHaveLength(1);
    expect(entries.entries[0].actor).toBe(`key:${keyIdOf(created.key)}`);
    expect(JSON.stringify(entries.entries[0])).not.toContain('dan.smith');
  });
});

describe('identity routes', () => {
  const identifier = { channel: 'whatsapp', id: 'wa:+44 20 7946 0958' };

  it('links, resolves and unlinks a channel identifier', async () => {
    const link = await ok('POST', '/v1/identifiers/link', {
      key: fixture.keys.writer,
      body: { user: 'eve', identifier },
    });
    expect(link).toMatchObject({ userId: 'eve', channel: 'whatsapp' });
    const resolved = await ok('POST', '/v1/identifiers/resolve', {
      key: fixture.keys.reader,
      body: { identifier },
    });
    expect(resolved).toEqual({ userId: 'eve' });

    const conflict = await failed('POST', '/v1/identifiers/link', {
      body: { user: 'someone-else', identifier },
    });
    expect(conflict).toMatchObject({ status: 409, code: 'CONFLICT' });

    const unlinked = await ok('POST', '/v1/identifiers/unlink', { body: { identifier } });
    expect(unlinked).toEqual({ removed: true });
    expect(await ok('POST', '/v1/identifiers/unlink', { body: { identifier } })).toEqual({
      removed: false,
    });
    const gone = await failed('POST', '/v1/identifiers/resolve', { body: { identifier } });
    expect(gone).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('answers 404 NOT_FOUND to an identifier no one has', async () => {
    const reply = await failed('POST', '/v1/identifiers/resolve', {
      body: { identifier: { channel: 'sms', id: '+15550000000' } },
    });
    expect(reply).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('addresses a memory operation by identifier', async () => {
    const phone = { channel: 'voice', id: '+1 415 555 0101' };
    await ok('POST', '/v1/memory/write', {
      body: { user: { identifier: phone }, facts: [fact('Calls after 6pm', 'preference')] },
    });
    const owner = await ok('POST', '/v1/identifiers/resolve', { body: { identifier: phone } });
    const read = await ok('POST', '/v1/memory/read', { body: { user: owner.userId } });
    expect(read.items.map((item: any) => item.text)).toEqual(['Calls after 6pm']);
  });

  it('merges two users and undoes the merge', async () => {
    await ok('POST', '/v1/memory/write', {
      body: { user: 'fay-web', facts: [fact('Likes jazz')] },
    });
    await ok('POST', '/v1/memory/write', {
      body: { user: 'fay-phone', facts: [fact('Drives a blue car', 'profile')] },
    });
    const merge = await ok('POST', '/v1/users/merge', {
      key: fixture.keys.writer,
      body: { from: 'fay-web', into: 'fay-phone' },
    });
    expect(merge).toMatchObject({ op: 'user.merge', from: 'fay-web', into: 'fay-phone' });
    expect(merge.moved.memories).toBe(1);
    const merged = await ok('POST', '/v1/memory/read', { body: { user: 'fay-phone' } });
    expect(merged.items.map((item: any) => item.text).sort()).toEqual([
      'Drives a blue car',
      'Likes jazz',
    ]);
    expect(await ok('POST', '/v1/audit/receipts/verify', { body: merge })).toMatchObject({
      ok: true,
    });

    const unmerge = await ok('POST', '/v1/users/unmerge', {
      key: fixture.keys.writer,
      body: { user: 'fay-web' },
    });
    expect(unmerge).toMatchObject({ op: 'user.unmerge', user: 'fay-web', from: 'fay-phone' });
    expect(unmerge.restored.memories).toBe(1);
    const restored = await ok('POST', '/v1/memory/read', { body: { user: 'fay-web' } });
    expect(restored.items.map((item: any) => item.text)).toEqual(['Likes jazz']);
  });
});

describe('key routes', () => {
  it('creates a key that works at once, lists it and revokes it', async () => {
    const created = await ok('POST', '/v1/keys', {
      body: { label: 'voice agent', scopes: ['memory:read'], defaultChannel: 'voice' },
    });
    expect(created.key).toMatch(/^mx_live_k[0-9a-f]{8}_/u);
    expect(created.record).toMatchObject({ label: 'voice agent', revokedAt: null });
    expect(created.receipt).toMatchObject({
      op: 'key.create',
      apiKeyId: created.record.id,
      scopes: ['memory:read'],
    });
    expect(await ok('POST', '/v1/audit/receipts/verify', { body: created.receipt })).toMatchObject({
      ok: true,
    });

    const read = await ok('POST', '/v1/memory/read', { key: created.key, body: { user: 'ana' } });
    expect(read.format).toBe('voice');

    const listed = await ok('GET', '/v1/keys');
    const view = listed.keys.find((key: any) => key.id === created.record.id);
    expect(view).toMatchObject({ label: 'voice agent', scopes: ['memory:read'] });
    // The secret is everything after the third underscore (base64url may hold more of them).
    expect(JSON.stringify(listed)).not.toContain(created.key.split('_').slice(3).join('_'));

    const revoked = await ok('DELETE', `/v1/keys/${created.record.id}`);
    expect(revoked.record.revokedAt).not.toBeNull();
    expect(revoked.receipt).toMatchObject({ op: 'key.revoke', apiKeyId: revoked.record.id });

    const refused = await failed('POST', '/v1/memory/read', {
      key: created.key,
      body: { user: 'ana' },
    });
    expect(refused).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('answers 404 to revoking an unknown key and 400 to a malformed key id', async () => {
    expect(await failed('DELETE', '/v1/keys/k00000000')).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
    expect(await failed('DELETE', '/v1/keys/nope')).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  });

  it('refuses a scope that does not exist', async () => {
    const reply = await failed('POST', '/v1/keys', {
      body: { label: 'bad', scopes: ['root'] },
    });
    expect(reply).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });
});

describe('tenant and audit routes', () => {
  it('counts what the tenant holds', async () => {
    const stats = await ok('GET', '/v1/tenant/stats', { key: fixture.keys.reader });
    expect(stats.tenantId).toBe(fixture.tenantId);
    expect(stats.users).toBeGreaterThan(0);
    expect(stats.memories.current).toBeGreaterThan(0);
    expect(stats.memories.byChannel.sms).toBeGreaterThanOrEqual(1);
  });

  it('pages through the ledger with afterSeq and limit', async () => {
    const first = await ok('GET', '/v1/audit/entries?limit=3');
    expect(first.entries.map((entry: any) => entry.seq)).toEqual([1, 2, 3]);
    const next = await ok('GET', '/v1/audit/entries?afterSeq=3&limit=2');
    expect(next.entries.map((entry: any) => entry.seq)).toEqual([4, 5]);
    const writes = await ok('GET', '/v1/audit/entries?op=memory.write&limit=1000');
    expect(writes.entries.length).toBeGreaterThan(0);
    for (const entry of writes.entries) {
      expect(entry.op).toBe('memory.write');
      expect(entry.tenantId).toBe(fixture.tenantId);
    }
    expect(await failed('GET', '/v1/audit/entries?limit=1001')).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect(await failed('GET', '/v1/audit/entries?color=red')).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  });

  it('verifies the whole ledger', async () => {
    const verdict = await ok('GET', '/v1/audit/verify', { key: fixture.keys.admin });
    expect(verdict.ok).toBe(true);
    expect(verdict.count).toBeGreaterThan(5);
  });
});

describe('idempotency', () => {
  it('answers a replayed Idempotency-Key with the first result and writes once', async () => {
    const request = {
      body: { user: 'gus', facts: [fact('Allergic to peanuts', 'profile')] },
      headers: { 'idempotency-key': 'write-gus-1' },
    };
    const first = await ok('POST', '/v1/memory/write', request);
    const second = await ok('POST', '/v1/memory/write', request);
    const inBody = await ok('POST', '/v1/memory/write', {
      body: { ...request.body, idempotencyKey: 'write-gus-1' },
    });
    expect(first.written).toHaveLength(1);
    expect(first.ledgerSeq).toBeGreaterThan(0);
    // The replay is the first result, receipt included; only `ledgerSeq` is null, as documented.
    for (const replay of [second, inBody]) expect(replay).toEqual({ ...first, ledgerSeq: null });
    const exported = await ok('POST', '/v1/memory/export', { body: { user: 'gus' } });
    expect(exported.memories).toHaveLength(1);
  });

  it('answers 400 when the header and the body name different keys', async () => {
    const reply = await failed('POST', '/v1/memory/write', {
      body: { user: 'gus', facts: [fact('Likes cats')], idempotencyKey: 'a' },
      headers: { 'idempotency-key': 'b' },
    });
    expect(reply).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('answers 409 when a key is reused for another request', async () => {
    const headers = { 'idempotency-key': 'write-gus-2' };
    await ok('POST', '/v1/memory/write', {
      body: { user: 'gus', facts: [fact('Likes dogs')] },
      headers,
    });
    const reply = await failed('POST', '/v1/memory/write', {
      body: { user: 'gus', facts: [fact('Likes birds')] },
      headers,
    });
    expect(reply).toMatchObject({ status: 409, code: 'CONFLICT' });
  });
});

describe('tenant isolation', () => {
  it("keeps another tenant's admin key away from this tenant's data", async () => {
    const identifier = { channel: 'sms', id: '+14155550199' };
    const written = await ok('POST', '/v1/memory/write', {
      body: { user: 'hal', facts: [fact('VIP customer', 'profile')] },
    });
    await ok('POST', '/v1/identifiers/link', { body: { user: 'hal', identifier } });
    const other = { key: fixture.keys.other };

    const read = await ok('POST', '/v1/memory/read', { ...other, body: { user: 'hal' } });
    expect(read.items).toEqual([]);
    const search = await ok('POST', '/v1/memory/search', {
      ...other,
      body: { user: 'hal', query: 'VIP' },
    });
    expect(search.hits).toEqual([]);
    const exported = await ok('POST', '/v1/memory/export', { ...other, body: { user: 'hal' } });
    expect(exported).toMatchObject({ user: null, memories: [], identifiers: [] });
    expect(exported.tenantId).not.toBe(fixture.tenantId);

    const resolve = await failed('POST', '/v1/identifiers/resolve', {
      ...other,
      body: { identifier },
    });
    expect(resolve).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const revoke = await failed('DELETE', `/v1/keys/${keyIdOf(fixture.keys.reader)}`, other);
    expect(revoke).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const reveal = await failed('POST', '/v1/memory/reveal', {
      ...other,
      body: { user: 'hal', memoryIds: [written.written[0].id], reason: 'probe' },
    });
    expect(reveal).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const forget = await ok('POST', '/v1/memory/forget', { ...other, body: { user: 'hal' } });
    expect(forget.deleted.memories).toBe(0);
    const keys = await ok('GET', '/v1/keys', other);
    expect(keys.keys.map((key: any) => key.id)).toEqual([keyIdOf(fixture.keys.other)]);
    const entries = await ok('GET', '/v1/audit/entries?limit=1000', other);
    for (const entry of entries.entries) expect(entry.tenantId).toBe(fixture.otherTenantId);

    // Everything of the first tenant is still there, and its reader key still works.
    const still = await ok('POST', '/v1/memory/read', {
      key: fixture.keys.reader,
      body: { user: 'hal' },
    });
    expect(still.items.map((item: any) => item.text)).toEqual(['VIP customer']);
    expect(await ok('POST', '/v1/identifiers/resolve', { body: { identifier } })).toEqual({
      userId: 'hal',
    });
  });
});
