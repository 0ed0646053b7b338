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
