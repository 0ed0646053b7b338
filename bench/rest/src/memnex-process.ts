import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The published entry point of the command, from the `@memnex/cli` dependency. */
const MEMNEX_BIN = join(
  dirname(createRequire(import.meta.url).resolve('@memnex/cli/package.json')),
  'bin/memnex.js',
);

/** Environment of a spawned command: exactly what is given, nothing inherited but PATH and HOME. */
export type Env = Record<string, string>;

/** A spawned `memnex` command and what it printed so far. */
interface Spawned {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Its exit code, once it exited and its output was read to the end. */
  exit: Promise<number | null>;
}

function spawnMemnex(args: string[], env: Env, nodeArgs: string[] = []): Spawned {
  const child = spawn(process.execPath, [...nodeArgs, MEMNEX_BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // 'close' comes after 'exit' once both pipes are drained: the output is complete then.
  const exit = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

/** Run `memnex <args>` to completion and return its stdout; fails with its stderr unless it exits 0. */
export async function memnexOk(args: string[], env: Env): Promise<string> {
  const run = spawnMemnex(args, env);
  const code = await run.exit;
  if (code !== 0) throw new Error(`memnex ${args.join(' ')} exited ${code}:\n${run.stderr()}`);
  return run.stdout();
}

/** A running `memnex serve rest`. */
export interface RestServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Everything it wrote on stderr so far (warnings and errors: the log level is `warn`). */
  stderr(): string;
  /** SIGTERM, then its exit code once it drained and closed its stores. */
  stop(): Promise<number | null>;
}

/**
 * Start `memnex serve rest --port 0` and wait for the line that announces its URL. `nodeArgs` go
 * to node before the script (e.g. `--cpu-prof`).
 */
export async function startRestServer(env: Env, nodeArgs: string[] = []): Promise<RestServer> {
  const run = spawnMemnex(['serve', 'rest', '--port', '0'], env, nodeArgs);
  const stop = async () => {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGTERM');
    return run.exit;
  };
  try {
    const url = await new Promise<string>((ready, fail) => {
      const onData = () => {
        const match = /^memnex rest listening on (\S+) /mu.exec(run.stderr());
        if (match) ready(match[1]!);
      };
      // Registered after the accumulator of spawnMemnex, so the chunk is already in stderr().
      run.child.stderr!.on('data', onData);
      void run.exit.then((code) =>
        fail(new Error(`the server exited (${code}) before listening:\n${run.stderr()}`)),
      );
    });
    return { url, stderr: run.stderr, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
