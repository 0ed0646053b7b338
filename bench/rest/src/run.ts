/**
 * `pnpm bench:rest`: cached `read`, `search` and one-fact `write` over HTTP, measured with
 * autocannon against the real `memnex serve rest` (a child process) on a fresh Postgres database
 * and Redis, at 1 and 32 connections. Fails (exit code 1) when a request is not answered 2xx or
 * when the memories written do not match the writes answered.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createMemnexClient, type MemnexClient } from '@memnex/client';
import { createTestDatabase } from '@memnex/storage-postgres/testing';
import {
  createTenantWithKey,
  memnexOk,
  startRestServer,
  type Env,
  type HttpServer as RestServer,
} from '@memnex/cli/testing';
import { loadFloor, startFloorServer, type FloorRun } from './floor.js';
import { runScenario, type RunResult, type Scenario } from './load.js';
import {
  checkWrites,
  printFloor,
  printGoal,
  printTable,
  printWhereTimeGoes,
  problemsOf,
} from './report.js';
import { readScenario, SEARCH_QUERY, searchScenario, writeScenario } from './scenarios.js';
import { PERSON_FACTS, PERSON_WHATSAPP, seedOthers, seedPerson } from './seed.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '1,32' },
    scenarios: { type: 'string', default: 'read,search,write' },
    users: { type: 'string', default: '200' },
    workers: { type: 'string', default: '1' },
    embedder: { type: 'string', default: 'hash' },
    redis: { type: 'string', default: 'redis://127.0.0.1:6379/7' },
    profile: { type: 'boolean', default: false },
    floor: { type: 'string', default: 'yes' },
  },
});
const count = (text: string, option: string, least: number) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < least) {
    throw new Error(`--${option} must be a whole number of at least ${least}, got "${text}"`);
  }
  return value;
};
const duration = count(values.duration, 'duration', 1);
const connectionCounts = values.connections.split(',').map((text) => count(text, 'connections', 1));
const users = count(values.users, 'users', 0);
const workers = count(values.workers, 'workers', 1);
if (values.floor !== 'yes' && values.floor !== 'no') {
  throw new Error(`--floor must be yes or no, got "${values.floor}"`);
}
const PROFILE_DIR = '/tmp/memnex-prof';

const cores = cpus().length;
process.stdout.write(
  `bench:rest on ${cores} cores (${cpus()[0]?.model ?? 'unknown cpu'}), node ${process.version}, ` +
    `${new Date().toISOString().slice(0, 10)}\n` +
    `memnex serve rest (${workers === 1 ? 'one process' : `${workers} worker processes`}) on ` +
    `Postgres (fresh database) + Redis (${values.redis}), ` +
    `${values.embedder} embedder, ${duration} s per run; autocannon in this process\n`,
);

async function prepare(env: Env): Promise<string> {
  await memnexOk(['db', 'migrate'], env);
  return (await createTenantWithKey(env, 'bench', ['memory:read', 'memory:write'])).key;
}

async function seed(server: RestServer, apiKey: string): Promise<MemnexClient> {
  const clientOn = (channel: 'voice' | 'whatsapp' | 'web' | 'email') =>
    createMemnexClient({ url: server.url, apiKey, channel, maxRetries: 0 });
  await seedPerson(clientOn);
  await seedOthers(clientOn('web'), users);
  const reader = clientOn('whatsapp');
  // The first read fills the hot cache; every read measured after it is served from there.
  const warm = await reader.memory.read({
    user: { identifier: PERSON_WHATSAPP },
    tokenBudget: 300,
  });
  if (warm.items.length === 0) throw new Error('the seeded person read back nothing');
  const found = await reader.memory.search({
    user: { identifier: PERSON_WHATSAPP },
    query: SEARCH_QUERY,
  });
  if (!found.hits[0]?.text.includes('#4521')) {
    throw new Error(`search did not find the refund first: ${JSON.stringify(found.hits[0])}`);
  }
  const stats = await reader.tenant.stats();
  process.stdout.write(
    `seeded: 1 person with ${PERSON_FACTS} facts over 4 channels (${warm.items.length} in a ` +
      `300-token read), ${users} other users x 5 facts; ${stats.memories.current} current ` +
      'memories; hot cache warmed\n\n',
  );
  return reader;
}

/**
 * The machine's floor for a cached read: the bare server of `floor-server.ts` doing the three Redis
 * round trips of a read and answering the bytes the real server answered, at the same connections.
 */
async function measureFloor(
  url: string,
  read: Scenario,
): Promise<{ runs: FloorRun[]; bytes: number }> {
  const request = {
    path: read.path,
    headers: { 'content-type': 'application/json', ...read.headers },
    body: read.body as string,
  };
  const response = await fetch(`${url}${request.path}`, { method: 'POST', ...request });
  if (!response.ok) throw new Error(`the read for the floor answered ${response.status}`);
  const answer = Buffer.from(await response.arrayBuffer());
  const bodyFile = join(directory, 'read-answer.json');
  await writeFile(bodyFile, answer);
  const floor = await startFloorServer(values.redis, 'read', bodyFile);
  try {
    const runs: FloorRun[] = [];
    for (const connections of connectionCounts) {
      runs.push(await loadFloor(floor.url, request, connections, duration));
    }
    return { runs, bytes: answer.length };
  } finally {
    await floor.stop();
  }
}

const failures: string[] = [];
const database = await createTestDatabase();
const directory = await mkdtemp(join(tmpdir(), 'memnex-bench-rest-'));
const env: Env = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  MEMNEX_POSTGRES_URL: database.url,
  MEMNEX_REDIS_URL: values.redis,
  MEMNEX_DATA_DIR: directory,
  MEMNEX_EMBEDDINGS: values.embedder,
  MEMNEX_AUDIT_KEY: 'bench-rest-audit-key-0123456789abcdef',
  MEMNEX_PII_KEY: 'bench-rest-pii-key-0123456789abcdef',
  // The limiter runs on every request (a Redis round trip) but never denies one.
  MEMNEX_RATE_LIMIT: '10000000',
  MEMNEX_LOG_LEVEL: 'warn',
};
let server: RestServer | undefined;
try {
  const apiKey = await prepare(env);
  server = await startRestServer(env, ['--workers', String(workers)], {
    nodeArgs: values.profile ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [],
  });
  const reader = await seed(server, apiKey);
  const results: RunResult[] = [];
  const scenarios = [
    readScenario(apiKey),
    searchScenario(apiKey),
    writeScenario(apiKey, users),
  ].filter((scenario) => values.scenarios.split(',').includes(scenario.name));
  const before = await reader.tenant.stats();
  for (const scenario of scenarios) {
    for (const connections of connectionCounts) {
      results.push(await runScenario(server.url, scenario, connections, duration));
    }
  }
  const after = await reader.tenant.stats();
  printTable(results);
  printGoal(results);
  printWhereTimeGoes(results);
  const read = scenarios.find((scenario) => scenario.name === 'read');
  if (read && values.floor === 'yes') {
    const floor = await measureFloor(server.url, read);
    printFloor(floor.runs, floor.bytes, results);
    failures.push(
      ...floor.runs
        .filter((run) => run.failed > 0)
        .map((run) => `floor x${run.connections}: ${run.failed} failed`),
    );
  }
  failures.push(...results.flatMap(problemsOf));
  failures.push(...checkWrites(results, after.memories.current - before.memories.current));
} catch (error) {
  failures.push(error instanceof Error ? error.message : String(error));
} finally {
  const code = await server?.stop();
  const logged = (server?.stderr() ?? '')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('memnex rest listening on'));
  if (server && code !== 0) failures.push(`the server exited ${code}`);
  if (logged.length > 0) process.stderr.write(`server stderr:\n${logged.join('\n')}\n`);
  await database.drop().catch((error: unknown) => failures.push(`drop database: ${String(error)}`));
  await rm(directory, { recursive: true, force: true });
}
if (values.profile) process.stdout.write(`CPU profile of the server in ${PROFILE_DIR}\n`);
if (failures.length > 0) {
  process.stdout.write(`\nFAILED:\n${failures.map((line) => `  ${line}`).join('\n')}\n`);
  process.exitCode = 1;
}
