import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@memnex/storage-postgres/testing';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { runCli } from './cli.js';
import { captureIo } from './test-io.js';
import { describeWithServices, TEST_REDIS_URL } from './test-services.js';
import { killSpawned, runMemnex, startRestServer, type Env, type HttpServer } from './testing.js';

/** How long a worker may take to be replaced or to exit, polled. */
const UNTIL_DONE = { timeout: 20_000, interval: 50 };

/** GET on a connection of its own (no keep-alive), so that the workers share the requests. */
function getOnce(url: string, key?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = key === undefined ? {} : { authorization: `Bearer ${key}` };
    get(url, { agent: false, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** The value of one sample of a Prometheus text, or undefined when it is not there. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** The worker pids that the supervisor logged with `message`, in order. */
function workerPids(stderr: string, message: string): number[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string; workerPid?: number })
    .filter((entry) => entry.msg === message && entry.workerPid !== undefined)
    .map((entry) => entry.workerPid!);
}

/** A `ps` column of a process, or undefined when there is no such process. */
function psField(pid: number, field: 'ppid' | 'stat'): string | undefined {
  const result = spawnSync('ps', ['-o', `${field}=`, '-p', String(pid)], { encoding: 'utf8' });
  const value = result.stdout.trim();
  return result.status === 0 && value !== '' ? value : undefined;
}

/** Whether a process runs; a zombie (exited, not yet reaped) does not. */
function isRunning(pid: number): boolean {
  const state = psField(pid, 'stat');
  return state !== undefined && !state.startsWith('Z');
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

describeWithServices('serve rest --workers on Postgres and Redis', () => {
  let database: TestDatabase;
  let directory: string;
  let env: Env;
  let key: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    directory = await mkdtemp(join(tmpdir(), 'memnex-workers-'));
    env = {
      HOME: directory,
      MEMNEX_DATA_DIR: join(directory, 'db'),
      MEMNEX_POSTGRES_URL: database.url,
      MEMNEX_REDIS_URL: TEST_REDIS_URL,
      MEMNEX_EMBEDDINGS: 'hash',
      MEMNEX_AUDIT_KEY: 'cli-workers-audit-key-0123456789',
      MEMNEX_PII_KEY: 'cli-workers-pii-key-0123456789',
      MEMNEX_LOG_LEVEL: 'info',
    };
    // In this process: every spawned `memnex` pays seconds of start-up on a busy machine.
    await memnexHere(['db', 'migrate']);
    const tenantId = await memnexHere(['tenants', 'create', '--name', 'workers']);
    key = await memnexHere(['keys', 'create', '--tenant', tenantId, '--scopes', 'admin']);
  });

  afterEach(() => killSpawned());

  afterAll(async () => {
    await database?.drop();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  /** Run `memnex <args>` in this process and return its stdout, failing unless it exits 0. */
  async function memnexHere(args: string[]): Promise<string> {
    const run = captureIo(env);
    const code = await runCli(args, run.io);
    if (code !== 0) throw new Error(`memnex ${args.join(' ')} exited ${code}:\n${run.stderr()}`);
    return run.stdout().trim();
  }

  /** Two workers, both listening, and their pids. */
  async function startTwoWorkers(
    extraEnv: Env = {},
  ): Promise<{ server: HttpServer; pids: number[] }> {
    const server = await startRestServer({ ...env, ...extraEnv }, ['--workers', '2']);
    const pids = workerPids(server.stderr(), 'rest worker listening');
    expect(pids).toHaveLength(2);
    return { server, pids };
  }

  // Every start of a supervisor and its workers costs seconds of CPU on a busy machine, so each
  // test follows one server from start to end.
  it('serves the API from two worker processes, /metrics counts the requests of both, and SIGTERM stops every worker gracefully, asked over IPC', async () => {
    // A Presidio analyzer that cannot be reached: writes go on with the built-in detectors, and
    // /metrics counts the failed calls.
    const { server, pids } = await startTwoWorkers({ MEMNEX_PRESIDIO_URL: 'http://127.0.0.1:9' });
    for (const pid of pids) {
      expect(isRunning(pid)).toBe(true);
      expect(Number(psField(pid, 'ppid'))).toBe(server.child.pid);
    }
    expect(occurrences(server.stderr(), 'memnex rest listening on')).toBe(1);

    const requests = 30;
    const responses = await Promise.all(
      Array.from({ length: requests }, () => getOnce(`${server.url}/v1/tenant/stats`, key)),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(requests).fill(200));

    const metrics = await getOnce(`${server.url}/metrics`);
    expect(metrics.status).toBe(200);
    const series = 'memnex_http_requests_total{method="GET",route="/v1/tenant/stats",status="200"}';
    // Each worker saw about half: only the aggregate of both adds up.
    expect(sample(metrics.body, series)).toBe(requests);
    expect(sample(metrics.body, 'memnex_rest_workers')).toBe(2);
    expect(sample(metrics.body, 'memnex_pii_analyzer_calls_total')).toBe(0);

    const write = await fetch(`${server.url}/v1/memory/write`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        user: 'u-presidio',
        facts: [{ type: 'profile', text: 'Lives in Pune' }],
      }),
    });
    expect(write.status).toBe(200);
    const after = (await getOnce(`${server.url}/metrics`)).body;
    const calls = sample(after, 'memnex_pii_analyzer_calls_total')!;
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'memnex_pii_analyzer_failures_total')).toBe(calls);
    expect(sample(after, 'memnex_pii_analyzer_consecutive_failures')).toBe(calls);

    expect(await server.stop()).toBe(0);
    for (const pid of pids) expect(isRunning(pid)).toBe(false);
    // Each worker drained and closed its stores because the supervisor asked, not on a signal.
    expect(occurrences(server.stderr(), '"reason":"requested","msg":"shutting down"')).toBe(2);
  });

  it('replaces a worker killed with SIGKILL and keeps answering, then stops with exit code 1 when workers keep exiting', async () => {
    const { server, pids } = await startTwoWorkers();
    const [killed, survivor] = pids as [number, number];
    process.kill(killed, 'SIGKILL');
    await vi.waitFor(() => {
      expect(workerPids(server.stderr(), 'rest worker listening')).toHaveLength(3);
    }, UNTIL_DONE);
    const replacement = workerPids(server.stderr(), 'rest worker listening')[2]!;
    expect(replacement).not.toBe(killed);
    expect(isRunning(replacement) && isRunning(survivor)).toBe(true);
    expect(isRunning(killed)).toBe(false);
    expect(server.stderr()).toMatch(
      new RegExp(
        `"workerPid":${killed},"code":null,"signal":"SIGKILL","msg":"rest worker exited; replacing it"`,
        'u',
      ),
    );

    const responses = await Promise.all(
      Array.from({ length: 10 }, () => getOnce(`${server.url}/healthz`)),
    );
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(sample((await getOnce(`${server.url}/metrics`)).body, 'memnex_rest_workers')).toBe(2);
    expect(occurrences(server.stderr(), 'memnex rest listening on')).toBe(1);

    // Now kill every worker as soon as it is started: 2 restarts a minute are allowed, and the
    // first was spent above; the third is refused.
    const killedSoFar = new Set([killed]);
    await vi.waitFor(() => {
      for (const pid of workerPids(server.stderr(), 'rest worker started')) {
        if (!killedSoFar.has(pid)) {
          killedSoFar.add(pid);
          process.kill(pid, 'SIGKILL');
        }
      }
      expect(server.child.exitCode).not.toBeNull();
    }, UNTIL_DONE);
    expect(server.child.exitCode).toBe(1);
    expect(server.stderr()).toContain('rest workers exited more than 2 times within a minute');
  });

  it('exits at once on a second signal, killing a worker that does not stop', async () => {
    const { server, pids } = await startTwoWorkers();
    process.kill(pids[0]!, 'SIGSTOP');
    server.child.kill('SIGTERM');
    await vi.waitFor(() => expect(server.stderr()).toContain('"reason":"SIGTERM"'), UNTIL_DONE);
    server.child.kill('SIGTERM');
    expect(await server.stop()).toBe(1);
    expect(server.stderr()).toContain('memnex: SIGTERM again, exiting without waiting');
    await vi.waitFor(() => expect(isRunning(pids[0]!)).toBe(false), UNTIL_DONE);
  });

  it('exits 1 without restarts when a worker cannot listen, its error on stderr', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const result = await runMemnex(
        ['serve', 'rest', '--workers', '2', '--port', String(port)],
        env,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('EADDRINUSE');
      expect(result.stderr).toContain(
        `error: EADDRINUSE port ${port} on 127.0.0.1 is already in use`,
      );
      expect(result.stderr).not.toContain('INTERNAL');
      expect(result.stderr).toContain('a rest worker exited before the server was listening');
      expect(result.stderr).not.toContain('memnex rest listening on');
      const started = workerPids(result.stderr, 'rest worker started');
      expect(started).toHaveLength(2);
      for (const pid of started) expect(isRunning(pid)).toBe(false);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
