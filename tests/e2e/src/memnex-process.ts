import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The published entry point of the command, as `npx memnex` would run it. */
export const MEMNEX_BIN = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../packages/cli/bin/memnex.js',
);

/** The audit key every test server seals its ledger with, to check receipts independently. */
export const AUDIT_KEY = 'e2e-audit-key-0123456789abcdef';

/** An environment variable set: only what is given, nothing inherited from the test runner. */
export type Env = Record<string, string>;

/** What a finished command printed. */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const spawned = new Set<ChildProcess>();

/** The server-side environment of a test: hash embeddings, fixed keys, its own data dir. */
export function serverEnv(dataDir: string, extra: Env = {}): Env {
  return {
    PATH: process.env.PATH ?? '',
    HOME: dataDir,
    MEMNEX_DATA_DIR: join(dataDir, 'db'),
    MEMNEX_EMBEDDINGS: 'hash',
    MEMNEX_AUDIT_KEY: AUDIT_KEY,
    MEMNEX_PII_KEY: 'e2e-pii-key-0123456789abcdef',
    MEMNEX_LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** A fresh temporary directory, removed by {@link cleanUp}. */
export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'memnex-e2e-'));
}

function track(child: ChildProcess): ChildProcess {
  spawned.add(child);
  child.once('exit', () => spawned.delete(child));
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => child.once('exit', (code) => done(code)));
}

/** A spawned `memnex` process and what it printed so far. */
export interface MemnexProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Its exit code, once it exited and its output was read to the end. */
  exit: Promise<number | null>;
}

/** Spawn `memnex <args>` with piped stdio; killed by {@link cleanUp} if still running. */
export function spawnMemnex(
  args: string[],
  env: Env,
  stdin: 'pipe' | 'ignore' = 'ignore',
): MemnexProcess {
  const child = track(
    spawn(process.execPath, [MEMNEX_BIN, ...args], { env, stdio: [stdin, 'pipe', 'pipe'] }),
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // 'close' comes after 'exit' once both pipes are drained: the output is complete then.
  const exit = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

/** Run `memnex <args>` to completion. */
export async function runMemnex(args: string[], env: Env): Promise<CommandResult> {
  const run = spawnMemnex(args, env);
  const code = await run.exit;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** Run `memnex <args>` and return its stdout, failing with its stderr unless it exits 0. */
export async function memnexOk(args: string[], env: Env): Promise<string> {
  const result = await runMemnex(args, env);
  if (result.code !== 0) {
    throw new Error(`memnex ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
  }
  return result.stdout;
}

/** A `memnex serve ...` process listening on HTTP, ready to take requests. */
export interface HttpServer {
  /** The URL it announced: the MCP endpoint, or the REST base URL. */
  url: string;
  child: ChildProcess;
  /** Everything it wrote on stderr so far. */
  stderr(): string;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
}

/** Spawn `memnex <args>` and wait for the stderr line `announcement` matches (URL in group 1). */
async function startListening(args: string[], env: Env, announcement: RegExp): Promise<HttpServer> {
  const run = spawnMemnex(args, env);
  const url = await new Promise<string>((ready, fail) => {
    const onData = () => {
      const match = announcement.exec(run.stderr());
      if (match) ready(match[1]!);
    };
    // Listening after our own accumulator, so the chunk is already in run.stderr().
    run.child.stderr!.on('data', onData);
    void run.exit.then((code) =>
      fail(
        new Error(`the server exited (${code}) before listening:\n${run.stderr()}${run.stdout()}`),
      ),
    );
  });
  return {
    url,
    child: run.child,
    stderr: run.stderr,
    stop: async () => {
      run.child.kill('SIGTERM');
      return run.exit;
    },
  };
}

/** Start `memnex serve mcp --transport streamable-http` on a free port. */
export function startHttpServer(env: Env, args: string[] = []): Promise<HttpServer> {
  return startListening(
    ['serve', 'mcp', '--transport', 'streamable-http', '--port', '0', ...args],
    env,
    /^memnex mcp listening on (\S+)$/mu,
  );
}

/** Start `memnex serve rest` on a free port; its URL is the base URL (no `/v1`). */
export function startRestServer(env: Env, args: string[] = []): Promise<HttpServer> {
  return startListening(
    ['serve', 'rest', '--port', '0', ...args],
    env,
    /^memnex rest listening on (\S+) /mu,
  );
}

const deferred: Array<() => Promise<unknown> | unknown> = [];

/** Run `work` at {@link cleanUp}, before spawned processes are killed (e.g. close a client). */
export function defer(work: () => Promise<unknown> | unknown): void {
  deferred.push(work);
}

/** Close what was deferred, kill whatever a test left running, and remove its directories. */
export async function cleanUp(directories: string[]): Promise<void> {
  for (const work of deferred.splice(0).reverse()) {
    await Promise.resolve()
      .then(work)
      .catch(() => undefined);
  }
  await Promise.all(
    [...spawned].map((child) => {
      child.kill('SIGKILL');
      return exited(child);
    }),
  );
  await Promise.all(directories.map((path) => rm(path, { recursive: true, force: true })));
  directories.length = 0;
}

/** Kill a process the SDK's stdio transport started, if it is still there. */
export function killPid(pid: number | null | undefined): void {
  if (!pid) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
