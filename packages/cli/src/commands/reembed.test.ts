import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { progressLine } from '../progress.js';
import { useDataDir } from '../test-data-dir.js';
import { captureIo } from '../test-io.js';

const { env, withEngine } = useDataDir('memnex-cli-reembed-');

/** A capture whose stderr says it is a terminal, so that the progress bar draws. */
function terminalIo() {
  const captured = captureIo(env());
  captured.io.stderr = { write: captured.io.stderr.write, isTTY: true };
  return captured;
}

const FACTS = ['Wants a refund of order 4521', 'Prefers calls in the morning', 'Lives in Pune'];

describe('memnex db reembed', () => {
  it('re-embeds every memory with another model, shows progress, switches and prunes', async () => {
    const tenantId = await withEngine(async ({ memnex }) => {
      const tenant = await memnex.tenants.create({ name: 'acme' });
      for (const user of ['u1', 'u2']) {
        await memnex.write({
          tenantId: tenant.id,
          user,
          facts: FACTS.map((text) => ({ type: 'issue' as const, text: `${text} (${user})` })),
        });
      }
      return tenant.id;
    });

    const run = terminalIo();
    const args = ['db', 'reembed', '--model', 'hash:64', '--batch-size', '2', '--grace', '0'];
    expect(await runCli([...args, '--prune'], run.io)).toBe(0);
    expect(run.stdout()).toBe(
      're-embedded 6 memories with hash:64; searches switched from hash:256 to hash:64 on every instance\n' +
        'deleted 6 vectors of models other than hash:64\n',
    );
    expect(run.stderr()).toMatch(/re-embedding with hash:64 [246]\/6 \(\d+%\)/u);
    // The line is cleared at the end, so that nothing of the bar stays on the terminal.
    expect(run.stderr().endsWith('\r\u001b[2K')).toBe(true);

    await withEngine(async ({ memnex }) => {
      expect(await memnex.embeddings.state()).toMatchObject({
        active: { spec: 'hash:64', model: 'hash:64', dimensions: 64 },
        target: null,
        previous: null,
      });
      // Configured with hash:256 still, this instance searches with the active hash:64.
      const found = await memnex.search({ tenantId, user: 'u2', query: 'refund order', limit: 3 });
      expect(found.hits[0]?.text).toBe('Wants a refund of order 4521 (u2)');
      expect(found.hits[0]?.vectorRank).toBe(1);
    });

    const again = captureIo(env());
    expect(await runCli(['db', 'reembed', '--model', 'hash:64', '--json'], again.io)).toBe(0);
    expect(JSON.parse(again.stdout())).toMatchObject({
      outcome: 'up-to-date',
      embedded: 0,
      from: { model: 'hash:64' },
      to: { model: 'hash:64' },
      pruned: null,
    });
    expect(again.stderr()).toBe('');
  });

  it('switches back to the configured model by default and says what it kept', async () => {
    await withEngine(async ({ memnex }) => {
      const tenant = await memnex.tenants.create({ name: 'acme' });
      await memnex.write({
        tenantId: tenant.id,
        user: 'u1',
        facts: [{ type: 'issue', text: 'x' }],
      });
    });
    const away = captureIo(env());
    expect(await runCli(['db', 'reembed', '--model', 'hash:32', '--json'], away.io)).toBe(0);
    expect(JSON.parse(away.stdout())).toMatchObject({ outcome: 'switched', embedded: 1 });

    const back = captureIo(env());
    expect(await runCli(['db', 'reembed'], back.io)).toBe(0);
    const lines = back.stdout().trim().split('\n');
    expect(lines[0]).toBe(
      'every memory had a vector of hash:256 already; searches switched from hash:32 to hash:256 on every instance',
    );
    expect(lines[1]).toMatch(
      /^the vectors of hash:32 stay \(writes keep adding them until .+\); run `memnex db reembed --prune` to delete them$/u,
    );
  });

  it('stops after the batch under way on SIGINT, and a rerun continues', async () => {
    await withEngine(async ({ memnex }) => {
      const tenant = await memnex.tenants.create({ name: 'acme' });
      await memnex.write({
        tenantId: tenant.id,
        user: 'u1',
        facts: FACTS.map((text) => ({ type: 'issue' as const, text })),
      });
    });
    const stopped = terminalIo();
    const write = stopped.io.stderr.write;
    stopped.io.stderr = {
      isTTY: true,
      write(text: string) {
        // The first batch is done: the operator presses Ctrl-C.
        if (/re-embedding with hash:64 1\//u.test(text)) stopped.signals.emit('SIGINT');
        return write(text);
      },
    };
    const args = ['db', 'reembed', '--model', 'hash:64', '--batch-size', '1'];
    expect(await runCli(args, stopped.io)).toBe(1);
    expect(stopped.stderr()).toContain('memnex: SIGINT, stopping after this batch');
    expect(stopped.stderr()).toMatch(
      /stopped after embedding [12] memories; run `memnex db reembed` again to continue\n$/u,
    );
    expect(stopped.signals.listenerCount('SIGINT')).toBe(0);

    const rerun = captureIo(env());
    expect(await runCli([...args, '--json'], rerun.io)).toBe(0);
    const result = JSON.parse(rerun.stdout()) as {
      outcome: string;
      resumed: boolean;
      embedded: number;
    };
    expect(result).toMatchObject({ outcome: 'switched', resumed: true });
    expect(result.embedded).toBeLessThan(FACTS.length);
  });

  it('refuses a spec it cannot build, and bad options, changing nothing', async () => {
    const unknown = captureIo(env());
    expect(await runCli(['db', 'reembed', '--model', 'cohere:embed-v3'], unknown.io)).toBe(1);
    expect(unknown.stderr()).toContain('VALIDATION_FAILED');
    expect(unknown.stderr()).toContain('start with local, hash, openai: or google');
    const missingKey = captureIo(env());
    expect(await runCli(['db', 'reembed', '--model', 'google'], missingKey.io)).toBe(1);
    expect(missingKey.stderr()).toContain('no Google API key is configured');
    const badBatch = captureIo(env());
    expect(await runCli(['db', 'reembed', '--batch-size', '0'], badBatch.io)).toBe(2);
    expect(badBatch.stderr()).toContain('must be a whole number from 1 to 10000');
    await withEngine(async ({ memnex }) => {
      expect((await memnex.embeddings.state())?.active.model).toBe('hash:256');
    });
  });
});

describe('progressLine', () => {
  it('shows count of total, percentage, rate and time left', () => {
    expect(progressLine('re-embedding', 1200, 5000, 10)).toBe(
      're-embedding 1200/5000 (24%) 120/s, 32s left',
    );
    expect(progressLine('re-embedding', 3, 2000, 2)).toBe(
      're-embedding 3/2000 (0%) 1.5/s, 22m 11s left',
    );
    expect(progressLine('re-embedding', 0, null, 0)).toBe('re-embedding 0');
    expect(progressLine('re-embedding', 0, 0, 1)).toBe('re-embedding 0/0 (100%)');
  });
});
