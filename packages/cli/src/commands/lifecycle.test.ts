import { RETENTION_LEASE } from '@memnex/core';
import { createStores, loadConfig, planWiring } from '@memnex/runtime';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { useDataDir } from '../test-data-dir.js';
import { captureIo } from '../test-io.js';

const { env, withEngine } = useDataDir('memnex-cli-lifecycle-');

describe('memnex db vacuum', () => {
  it('expires memories past their time to live and reports it', async () => {
    const tenantId = await withEngine(async ({ memnex }) => {
      const tenant = await memnex.tenants.create({ name: 'acme' });
      await memnex.write({
        tenantId: tenant.id,
        user: 'u1',
        facts: [
          { type: 'intent', text: 'Wants a callback in a second', ttl: 1 },
          { type: 'profile', text: 'Lives in Pune' },
        ],
      });
      return tenant.id;
    });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const first = captureIo(env());
    expect(await runCli(['db', 'vacuum'], first.io)).toBe(0);
    expect(first.stdout()).toContain(
      'expired 1 memories, deleted 0 past the grace window (1 people)',
    );
    const again = captureIo(env());
    expect(await runCli(['db', 'vacuum', '--json'], again.io)).toBe(0);
    expect(JSON.parse(again.stdout())).toEqual({
      ran: true,
      expired: 0,
      purged: 0,
      users: 0,
      complete: true,
    });
    await withEngine(async ({ memnex }) => {
      const entries = await memnex.audit.list({ tenantId, op: 'memory.expire' });
      expect(entries).toHaveLength(1);
    });
  });

  it('does nothing, says so and exits 1 while another instance holds the sweep lease', async () => {
    const config = loadConfig(env());
    const { leases } = createStores(config, planWiring(config));
    await leases.init();
    try {
      const lease = { name: RETENTION_LEASE, holder: 'another-instance', ttlMs: 60_000 };
      expect(await leases.acquire(lease)).toBe(true);
    } finally {
      await leases.close();
    }
    const busy = captureIo(env());
    expect(await runCli(['db', 'vacuum'], busy.io)).toBe(1);
    expect(busy.stdout()).toContain('nothing done: another instance is sweeping');
  });
});

describe('memnex db compact', () => {
  it('lists near-duplicates in a dry run, then merges them', async () => {
    const tenantId = await withEngine(async ({ memnex }) => {
      const tenant = await memnex.tenants.create({ name: 'acme' });
      for (const text of ['Prefers email', 'She prefers email', 'Prefers email, really']) {
        await memnex.write({
          tenantId: tenant.id,
          user: 'u1',
          facts: [{ type: 'preference', text }],
        });
      }
      return tenant.id;
    });
    const preview = captureIo(env());
    expect(
      await runCli(
        ['db', 'compact', '--tenant', tenantId, '--user', 'u1', '--dry-run'],
        preview.io,
      ),
    ).toBe(0);
    expect(preview.stdout()).toContain('u1: would merge 2 into "Prefers email, really"');
    expect(preview.stdout()).toContain('dry run: 1 people, 2 facts would merge');

    const applied = captureIo(env());
    expect(await runCli(['db', 'compact', '--tenant', tenantId, '--json'], applied.io)).toBe(0);
    const result = JSON.parse(applied.stdout()) as { merges: Array<{ merged: unknown[] }> };
    expect(result.merges.map((merge) => merge.merged.length)).toEqual([2]);
    await withEngine(async ({ memnex }) => {
      const read = await memnex.read({ tenantId, user: 'u1' });
      expect(read.items.map((item) => item.text)).toEqual(['Prefers email, really']);
    });
  });

  it('refuses a similarity out of range and an unknown tenant', async () => {
    const bad = captureIo(env());
    expect(await runCli(['db', 'compact', '--tenant', 't_1', '--similarity', '2'], bad.io)).toBe(2);
    expect(bad.stderr()).toContain('must be a number from 0.5 to 1');
    const unknown = captureIo(env());
    expect(await runCli(['db', 'compact', '--tenant', 't_0000000000000000'], unknown.io)).toBe(1);
    expect(unknown.stderr()).toContain('NOT_FOUND');
  });
});

describe('memnex tenants update and memnex db retention', () => {
  it('sets a retention policy, then applies it to the memories already stored', async () => {
    const tenantId = await withEngine(async ({ memnex }) => {
      const tenant = await memnex.tenants.create({ name: 'acme' });
      await memnex.write({
        tenantId: tenant.id,
        user: 'u1',
        facts: [
          { type: 'intent', text: 'Wants a quote for fibre' },
          { type: 'profile', text: 'Lives in Pune' },
        ],
      });
      await memnex.tenants.update({
        tenantId: tenant.id,
        set: { settings: { defaultRegion: 'IN' } },
      });
      return tenant.id;
    });
    const none = captureIo(env());
    expect(await runCli(['db', 'retention', '--tenant', tenantId], none.io)).toBe(0);
    expect(none.stdout()).toContain('the tenant has no retention policy');

    const update = captureIo(env());
    const settings = '{"retention":{"intent":3600}}';
    expect(
      await runCli(['tenants', 'update', '--tenant', tenantId, '--settings', settings], update.io),
    ).toBe(0);
    // The section given replaces its own; the others stay.
    const shown = captureIo(env());
    expect(await runCli(['tenants', 'show', '--tenant', tenantId, '--json'], shown.io)).toBe(0);
    expect(JSON.parse(shown.stdout())).toMatchObject({
      id: tenantId,
      name: 'acme',
      settings: { defaultRegion: 'IN', retention: { intent: 3600 } },
    });

    const dry = captureIo(env());
    expect(await runCli(['db', 'retention', '--tenant', tenantId, '--dry-run'], dry.io)).toBe(0);
    expect(dry.stdout()).toContain(
      'dry run: policy intent 3600 s; 1 people, 1 memories would expire sooner (1 intent), 0 of them at once',
    );
    const expiries = () =>
      withEngine(async ({ memnex }) =>
        Object.fromEntries(
          (await memnex.export({ tenantId, user: 'u1' })).memories.map((memory) => [
            memory.type,
            memory.expiresAt === null
              ? null
              : Date.parse(memory.expiresAt) - Date.parse(memory.createdAt),
          ]),
        ),
      );
    expect(await expiries()).toEqual({ intent: null, profile: null });

    const applied = captureIo(env());
    expect(
      await runCli(['db', 'retention', '--tenant', tenantId, '--user', 'u1', '--json'], applied.io),
    ).toBe(0);
    expect(JSON.parse(applied.stdout())).toEqual({
      dryRun: false,
      retention: { intent: 3600 },
      users: 1,
      memories: 1,
      byType: { intent: 1 },
      due: 0,
    });
    expect(await expiries()).toEqual({ intent: 3_600_000, profile: null });

    const cleared = captureIo(env());
    expect(
      await runCli(
        ['tenants', 'update', '--tenant', tenantId, '--settings', '{"retention":null}', '--json'],
        cleared.io,
      ),
    ).toBe(0);
    expect(JSON.parse(cleared.stdout()).settings).toEqual({ defaultRegion: 'IN' });
    await withEngine(async ({ memnex }) => {
      const entries = await memnex.audit.list({ tenantId, op: 'tenant.update' });
      expect(entries).toHaveLength(3);
      expect((await memnex.audit.list({ tenantId, op: 'memory.retention' })).length).toBe(1);
    });
  });

  it('refuses bad settings, nothing to update and an unknown tenant, changing nothing', async () => {
    const tenantId = await withEngine(
      async ({ memnex }) => (await memnex.tenants.create({ name: 'acme' })).id,
    );
    const notJson = captureIo(env());
    expect(
      await runCli(
        ['tenants', 'update', '--tenant', tenantId, '--settings', '{retention'],
        notJson.io,
      ),
    ).toBe(2);
    expect(notJson.stderr()).toContain('must be a JSON object');
    const nothing = captureIo(env());
    expect(await runCli(['tenants', 'update', '--tenant', tenantId], nothing.io)).toBe(2);
    expect(nothing.stderr()).toContain('give --name, --settings or both');
    const invalid = captureIo(env());
    const negative = '{"retention":{"intent":-5}}';
    expect(
      await runCli(['tenants', 'update', '--tenant', tenantId, '--settings', negative], invalid.io),
    ).not.toBe(0);
    expect(invalid.stderr()).toContain('VALIDATION_FAILED');
    const unknown = captureIo(env());
    expect(await runCli(['tenants', 'show', '--tenant', 't_0000000000000000'], unknown.io)).toBe(1);
    expect(unknown.stderr()).toContain('NOT_FOUND');
    const unknownRetention = captureIo(env());
    expect(
      await runCli(['db', 'retention', '--tenant', 't_0000000000000000'], unknownRetention.io),
    ).toBe(1);
    await withEngine(async ({ memnex }) => {
      expect((await memnex.tenants.get({ tenantId }))!.settings).toEqual({});
      expect(await memnex.audit.list({ tenantId, op: 'tenant.update' })).toEqual([]);
    });
  });
});
