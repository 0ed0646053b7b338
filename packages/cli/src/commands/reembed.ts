import type { ReembedProgress, ReembedResult } from '@memnex/core';
import { createRuntime, createLogger } from '@memnex/runtime';
import { EXIT_CODES } from '../errors.js';
import { writeJson, writeLine, type CliIo } from '../io.js';
import { createProgressBar } from '../progress.js';
import { loggerFor, readConfig } from '../runtime.js';
import { waitForStop } from '../shutdown.js';

/** Options of `memnex db reembed`. */
export interface ReembedCommandOptions {
  /** Model spec to switch to; the configured one by default. */
  model?: string;
  batchSize?: number;
  prune?: boolean;
  /** Seconds the previous model stays written after the switch. */
  grace?: number;
  json?: boolean;
}

function memories(count: number): string {
  return `${count} ${count === 1 ? 'memory' : 'memories'}`;
}

/** What the summary says happened. */
function summary(result: ReembedResult): string[] {
  const lines: string[] = [];
  const { from, to } = result;
  if (result.replaced) {
    lines.push(`replaced the unfinished re-embed to ${result.replaced.model}`);
  }
  if (result.outcome === 'switched') {
    const continued = result.resumed ? ', continuing an earlier run' : '';
    const done =
      result.embedded === 0
        ? `every memory had a vector of ${to.model} already`
        : `re-embedded ${memories(result.embedded)} with ${to.model}${continued}`;
    lines.push(`${done}; searches switched from ${from.model} to ${to.model} on every instance`);
  } else if (result.outcome === 'filled') {
    lines.push(
      `${to.model} is the active model; embedded the ${memories(result.embedded)} that lacked its vector`,
    );
  } else {
    lines.push(`every memory has a vector of ${to.model}, the active model: nothing to do`);
  }
  if (result.pruned !== null) {
    lines.push(`deleted ${result.pruned} vectors of models other than ${to.model}`);
  } else if (result.state.previous) {
    lines.push(
      `the vectors of ${result.state.previous.model} stay (writes keep adding them until ` +
        `${result.state.previous.until}); run \`memnex db reembed --prune\` to delete them`,
    );
  }
  return lines;
}

/**
 * `memnex db reembed`: embed every memory with the configured (or given) model and switch every
 * instance's searches to it, with no downtime. Progress goes to stderr on a terminal; a rerun
 * continues an interrupted run. SIGINT or SIGTERM stops it after the batch under way (a second
 * one exits at once).
 */
export async function reembed(io: CliIo, options: ReembedCommandOptions): Promise<number> {
  const config = readConfig(io);
  // The command reports what it does itself: the engine's start-up warning that the configured
  // model is not the active one (which this command is about to fix) would only confuse.
  const explicit = (io.env.MEMNEX_LOG_LEVEL ?? '').trim() !== '';
  const logger = explicit ? loggerFor(io, config, 'one-shot') : createLogger({ level: 'error' });
  const runtime = await createRuntime({ config, logger });
  const bar = createProgressBar(io.stderr, 're-embedding');
  const controller = new AbortController();
  const stop = waitForStop(io);
  void stop.stopped.then((signal) => {
    bar.stop();
    writeLine(io.stderr, `memnex: ${signal}, stopping after this batch`);
    controller.abort();
  });
  let result: ReembedResult;
  let embedded = 0;
  try {
    result = await runtime.memnex.embeddings.reembed({
      signal: controller.signal,
      model: options.model,
      batchSize: options.batchSize,
      prune: options.prune,
      graceMs: options.grace === undefined ? undefined : options.grace * 1000,
      // An embedded or in-memory index belongs to this process (the data dir is locked): no
      // other instance writes to it, so the run has no one to wait for before it switches.
      ...(runtime.wiring.semantic === 'pglite' || runtime.wiring.semantic === 'memory'
        ? { settleMs: 0 }
        : {}),
      onProgress: (progress: ReembedProgress) => {
        embedded = progress.done;
        const label =
          progress.phase === 'embedding'
            ? `re-embedding with ${progress.model}`
            : progress.phase === 'waiting'
              ? 'waiting for every instance to catch up; embedded'
              : 'deleting the vectors of other models; embedded';
        bar.update(progress.done, progress.total, label);
      },
    });
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    writeLine(
      io.stderr,
      `stopped after embedding ${embedded} memories; run \`memnex db reembed\` again to continue`,
    );
    return EXIT_CODES.failure;
  } finally {
    stop.dispose();
    bar.stop();
    await runtime.close();
  }
  if (options.json) writeJson(io.stdout, result);
  else for (const line of summary(result)) writeLine(io.stdout, line);
  return EXIT_CODES.ok;
}
