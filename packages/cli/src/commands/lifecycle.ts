import type { Memnex } from '@memnex/core';
import type { UserRef } from '@memnex/core/wire';
import { EXIT_CODES } from '../errors.js';
import { writeJson, writeLine, type CliIo } from '../io.js';
import { withProgress } from '../progress.js';
import { withRuntime } from '../runtime.js';

/** Run a maintenance job with progress on stderr (the engine refuses an unknown tenant). */
function maintenanceJob<T>(
  io: CliIo,
  what: string,
  job: (memnex: Memnex) => Promise<T>,
): Promise<T> {
  return withRuntime(io, ({ memnex }) => withProgress(io.stderr, what, () => job(memnex)));
}

/** `memnex db vacuum`: the retention sweep, run by hand. */
export async function vacuum(io: CliIo, options: { json?: boolean }): Promise<number> {
  const result = await maintenanceJob(
    io,
    'expiring and deleting memories past their time to live',
    (memnex) => memnex.lifecycle.sweep(),
  );
  if (options.json) writeJson(io.stdout, result);
  else if (!result.ran) {
    writeLine(io.stdout, `nothing done: ${result.reason}; try again when it has finished`);
  } else {
    writeLine(
      io.stdout,
      `expired ${result.expired} memories, deleted ${result.purged} past the grace window ` +
        `(${result.users} people)${result.complete ? '' : '; stopped early, run it again'}`,
    );
  }
  return result.ran ? EXIT_CODES.ok : EXIT_CODES.failure;
}

/** `memnex db compact`: merge near-duplicates and decay old facts, or list what would change. */
export async function compact(
  io: CliIo,
  options: {
    tenant: string;
    user?: UserRef;
    dryRun?: boolean;
    similarity?: number;
    json?: boolean;
  },
): Promise<number> {
  const result = await maintenanceJob(io, 'compacting memories', (memnex) =>
    memnex.lifecycle.compact({
      tenantId: options.tenant,
      user: options.user,
      dryRun: options.dryRun ?? false,
      similarity: options.similarity,
    }),
  );
  if (options.json) {
    writeJson(io.stdout, result);
    return EXIT_CODES.ok;
  }
  const verb = result.dryRun ? 'would merge' : 'merged';
  for (const merge of result.merges) {
    writeLine(io.stdout, `${merge.user}: ${verb} ${merge.merged.length} into "${merge.keep.text}"`);
    for (const fact of merge.merged) writeLine(io.stdout, `    - ${fact.text}`);
  }
  for (const decay of result.decays) {
    const what = result.dryRun ? 'would lower' : 'lowered';
    writeLine(
      io.stdout,
      `${decay.user}: ${what} salience of ${decay.id} ${decay.from} -> ${decay.to}`,
    );
  }
  const facts = result.merges.reduce((sum, merge) => sum + merge.merged.length, 0);
  writeLine(
    io.stdout,
    `${result.dryRun ? 'dry run: ' : ''}${result.users} people, ${facts} facts ${verb}, ` +
      `${result.decays.length} decayed, ${result.protected} protected (open issues, pinned)`,
  );
  return EXIT_CODES.ok;
}

/** `memnex db retention`: apply the tenant's retention policy to the memories already stored. */
export async function applyRetention(
  io: CliIo,
  options: { tenant: string; user?: UserRef; dryRun?: boolean; json?: boolean },
): Promise<number> {
  const result = await maintenanceJob(io, 'applying the retention policy', (memnex) =>
    memnex.lifecycle.applyRetention({
      tenantId: options.tenant,
      user: options.user,
      dryRun: options.dryRun ?? false,
    }),
  );
  if (options.json) {
    writeJson(io.stdout, result);
    return EXIT_CODES.ok;
  }
  const policy = Object.entries(result.retention);
  if (policy.length === 0) {
    writeLine(
      io.stdout,
      'the tenant has no retention policy: set one with ' +
        `memnex tenants update --tenant ${options.tenant} --settings '{"retention":{"intent":604800}}'`,
    );
    return EXIT_CODES.ok;
  }
  const types = Object.entries(result.byType).map(([type, count]) => `${count} ${type}`);
  writeLine(
    io.stdout,
    `${result.dryRun ? 'dry run: ' : ''}policy ${policy.map(([type, seconds]) => `${type} ${seconds} s`).join(', ')}; ` +
      `${result.users} people, ${result.memories} memories ${result.dryRun ? 'would expire' : 'expire'} sooner` +
      `${types.length > 0 ? ` (${types.join(', ')})` : ''}, ${result.due} of them at once`,
  );
  return EXIT_CODES.ok;
}
