import { CommanderError } from 'commander';
import { EXIT_CODES, reportError } from './errors.js';
import { processIo, type CliIo } from './io.js';
import { createProgram } from './program.js';
import { isVerbose } from './runtime.js';

/**
 * Run the `memnex` command with `argv` (the arguments after the program name) and return its
 * exit code: 0 done, 1 failed, 2 usage error. Nothing here exits the process; `io` replaces the
 * process's streams, environment and signals, for tests.
 */
export async function runCli(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const streams: CliIo = { ...processIo(), ...io };
  const state = { exitCode: EXIT_CODES.ok as number };
  const program = createProgram(streams, state);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with code 0; commander has already printed its message.
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    reportError(streams.stderr, error, isVerbose(streams));
    return EXIT_CODES.failure;
  }
}
