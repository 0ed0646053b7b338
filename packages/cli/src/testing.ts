/**
 * Helpers to drive the real `memnex` command from tests and benchmarks: spawn it, run it to
 * completion, make a tenant and a key with it, start a server and wait for the line that announces
 * its URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The published entry point of the command, as `npx memnex` runs it. */
export const MEMNEX_BIN = join(dirname(fileURLToPath(import.meta.url)), '../bin/memnex.js');

/** An environment for a spawned command: exactly what is given, nothing inherited. */
export type Env = Record<string, string>;

/** A spawned `memnex` process and what it printed so far. */
export interface MemnexProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Its exit code, once it exited and its output was read to the end. */
  exit: Promise<number | null>;
}

/** What a finished command printed. */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link spawnMemnex}. */
export interface SpawnOptions {
  /** `pipe` to write to its stdin; ignored by default. */
  stdin?: 'pipe' | 'ignore';
  /** Arguments for node before the script, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
}

const spawned = new Set<ChildProcess>();

/** Spawn `memnex <args>` with piped output; {@link killSpawned} kills it if still running. */
export function spawnMemnex(args: string[], env: Env, options: SpawnOptions = {}): MemnexProcess {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), MEMNEX_BIN, ...args], {
    env,
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  spawned.add(child);
  child.once('exit', () => spawned.delete(child));
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

/** What {@link createTenantWithKey} made. */
export interface TenantWithKey {
  tenantId: string;
  /** The raw key, as `memnex keys create` prints it once. */
  key: string;
}

/** `memnex tenants create` and `memnex keys create` with `scopes` for it, as an operator runs them. */
export async function createTenantWithKey(
  env: Env,
  name: string,
  scopes: readonly string[],
): Promise<TenantWithKey> {
  const tenantId = (await memnexOk(['tenants', 'create', '--name', name], env)).trim();
  const created = ['keys', 'create', '--tenant', tenantId, '--scopes', scopes.join(',')];
  return { tenantId, key: (await memnexOk(created, env)).trim() };
}

/** A `memnex serve ...` process listening on HTTP. */
export interface HttpServer {
  /** The URL it announced: the MCP endpoint, or the REST base URL. */
  url: string;
  child: ChildProcess;
  /** Everything it wrote on stderr so far. */
  stderr(): string;
  /** SIGTERM (unless it already exited), then its exit code once it drained and closed. */
  stop(): Promise<number | null>;
}

/** Spawn `memnex <args>` and wait for the stderr line `announcement` matches (URL in group 1). */
async function startListening(
  args: string[],
  env: Env,
  announcement: RegExp,
  options: SpawnOptions,
): Promise<HttpServer> {
  const run = spawnMemnex(args, env, options);
  const stop = async () => {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGTERM');
    return run.exit;
  };
  const url = await new Promise<string>((ready, fail) => {
    // Listening after the accumulator of spawnMemnex, so the chunk is already in run.stderr().
    run.child.stderr!.on('data', () => {
      const match = announcement.exec(run.stderr());
      if (match) ready(match[1]!);
    });
    void run.exit.then((code) =>
      fail(
        new Error(`the server exited (${code}) before listening:\n${run.stderr()}${run.stdout()}`),
      ),
    );
  });
  return { url, child: run.child, stderr: run.stderr, stop };
}

/** Start `memnex serve mcp --transport streamable-http` on a free port. */
export function startMcpHttpServer(
  env: Env,
  args: string[] = [],
  options: SpawnOptions = {},
): Promise<HttpServer> {
  return startListening(
    ['serve', 'mcp', '--transport', 'streamable-http', '--port', '0', ...args],
    env,
    /^memnex mcp listening on (\S+)$/mu,
    options,
  );
}

/** Start `memnex serve rest` on a free port; its URL is the base URL (no `/v1`). */
export function startRestServer(
  env: Env,
  args: string[] = [],
  options: SpawnOptions = {},
): Promise<HttpServer> {
  return startListening(
    ['serve', 'rest', '--port', '0', ...args],
    env,
    /^memnex rest listening on (\S+) /mu,
    options,
  );
}

/** SIGKILL every process spawned here that is still running, and wait for them to exit. */
export async function killSpawned(): Promise<void> {
  await Promise.all(
    [...spawned].map((child) => {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGKILL');
      return exited;
    }),
  );
}
