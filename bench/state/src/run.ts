/**
 * `pnpm bench:state`: shared-state `set` throughput over HTTP at 1 and 16 connections
 * (autocannon), and set-to-notification latency to a WebSocket subscriber on the same instance and
 * on a second instance, against two real `memnex serve rest` processes on one fresh Postgres
 * database and Redis. Runs with values in Postgres (`MEMNEX_STATE_STORE=database`) and in Redis.
 * Exits 1 when a request fails or a notification is missing, duplicated or out of order.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createTenantWithKey,
  memnexOk,
  startRestServer,
  type Env,
  type HttpServer,
} from '@memnex/cli/testing';
import { cpuDelta, sharedCpuSeconds } from '@memnex/bench-rest/cpu-usage';
import { startFloorServer } from '@memnex/bench-rest/floor';
import { percentile } from '@memnex/bench-rest/load';
import { cpuSecondsOf, scrapeMetrics } from '@memnex/bench-rest/server-metrics';
import { createTestDatabase } from '@memnex/storage-postgres/testing';
import autocannon from 'autocannon';
import WebSocket from 'ws';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '1,16' },
    notifications: { type: 'string', default: '2000' },
    stores: { type: 'string', default: 'database,redis' },
    redis: { type: 'string', default: 'redis://127.0.0.1:6379/8' },
    profile: { type: 'boolean', default: false },
    workers: { type: 'string', default: '1' },
    floor: { type: 'string', default: 'yes' },
  },
});
const whole = (text: string, option: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${option} must be a whole number ≥ 1`);
  return value;
};
const duration = whole(values.duration, 'duration');
const connectionCounts = values.connections.split(',').map((text) => whole(text, 'connections'));
const notificationCount = whole(values.notifications, 'notifications');
const stores = values.stores.split(',') as Array<'database' | 'redis'>;
const workers = ['--workers', String(whole(values.workers, 'workers'))];
if (values.floor !== 'yes' && values.floor !== 'no') {
  throw new Error(`--floor must be yes or no, got "${values.floor}"`);
}
const problems: string[] = [];
const PROFILE_DIR = '/tmp/memnex-prof';

const out = (line = '') => process.stdout.write(`${line}\n`);
out(
  `bench:state on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'}), node ${process.version}, ` +
    `${new Date().toISOString().slice(0, 10)}\n` +
    `two memnex serve rest instances (${values.workers} worker process(es) each) on Postgres ` +
    `(fresh database) + Redis (${values.redis}); ` +
    `load and subscribers in this process`,
);

async function cluster(stateStore: 'database' | 'redis') {
  const database = await createTestDatabase();
  const directory = await mkdtemp(join(tmpdir(), 'memnex-bench-state-'));
  const env: Env = {
    PATH: process.env.PATH ?? '',
    HOME: directory,
    MEMNEX_DATA_DIR: join(directory, 'db'),
    MEMNEX_POSTGRES_URL: database.url,
    MEMNEX_REDIS_URL: values.redis,
    MEMNEX_STATE_STORE: stateStore,
    MEMNEX_EMBEDDINGS: 'none',
    MEMNEX_RATE_LIMIT: '0',
    MEMNEX_LOG_LEVEL: 'warn',
    MEMNEX_AUDIT_KEY: 'bench-state-audit-key-0123456789',
    MEMNEX_PII_KEY: 'bench-state-pii-key-0123456789',
  };
  await memnexOk(['db', 'migrate'], env);
  const { key } = await createTenantWithKey(env, 'bench', ['state:read:*', 'state:write:*']);
  const servers: HttpServer[] = [
    await startRestServer(env, workers, {
      nodeArgs: values.profile ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [],
    }),
    await startRestServer(env, workers),
  ];
  return {
    a: servers[0]!.url,
    b: servers[1]!.url,
    apiKey: key,
    async stop() {
      for (const server of servers) await server.stop();
      await database.drop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** CPU seconds used so far by A and B (from their `/metrics`), and by the rest of the machine. */
async function cpuNow(a: string, b: string) {
  const [onA, onB] = await Promise.all([scrapeMetrics(a), scrapeMetrics(b)]);
  return { a: cpuSecondsOf(onA).total, b: cpuSecondsOf(onB).total, ...(await sharedCpuSeconds()) };
}

/** Where the CPU went between two {@link cpuNow} readings, in cores. */
function cpuLine(
  before: Awaited<ReturnType<typeof cpuNow>>,
  after: typeof before,
  seconds: number,
) {
  const used = cpuDelta(before, after);
  const cores = (name: keyof typeof used) => (used[name] / seconds).toFixed(2);
  return (
    `CPU in cores of ${cpus().length}: instance A ${cores('a')}, instance B ${cores('b')}, ` +
    `autocannon ${cores('load')}, Redis ${cores('redis')}, Postgres ${cores('postgres')}; ` +
    `machine busy ${cores('machine')}`
  );
}

/** `set` throughput: each connection writes its own keys round-robin, so CAS-free writes spread. */
async function setThroughput(url: string, apiKey: string, connections: number) {
  let sequence = 0;
  const result = await autocannon({
    url,
    connections,
    duration,
    requests: [
      {
        method: 'PUT',
        setupRequest: (request) => {
          sequence += 1;
          return {
            ...request,
            path: `/v1/state/values/bench:set:${sequence % 1000}`,
            headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              value: { sequence, at: Date.now(), note: 'a small plan update' },
            }),
          };
        },
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) {
    problems.push(`set @${connections}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return {
    connections,
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
  };
}

/** Open a subscriber on `url` for `pattern`; resolves once the server said ready. */
async function subscriber(
  url: string,
  apiKey: string,
  pattern: string,
  onEvent: (event: { key: string; version: number }) => void,
) {
  const socket = new WebSocket(`${url.replace(/^http/u, 'ws')}/v1/state/ws`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const ready = new Promise<void>((resolve) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as {
        type: string;
        event?: { key: string; version: number };
      };
      if (message.type === 'ready') resolve();
      else if (message.type === 'event') onEvent(message.event!);
      else problems.push(`subscriber: ${String(data)}`);
    });
  });
  socket.send(JSON.stringify({ type: 'subscribe', id: 's', pattern }));
  await ready;
  return socket;
}

/**
 * Set-to-notification latency: sets one after another on instance A; a subscriber on A and one on
 * B timestamp each event. Latency runs from sending the set to the event's arrival.
 */
async function notificationLatency(a: string, b: string, apiKey: string) {
  const sentAt = new Map<number, number>();
  const arrivals = { same: [] as number[], cross: [] as number[], answered: [] as number[] };
  const last = { same: 0, cross: 0 };
  const watcher = (where: 'same' | 'cross') => (event: { key: string; version: number }) => {
    const sent = sentAt.get(event.version);
    if (event.version !== last[where] + 1) {
      problems.push(`${where}-instance subscriber got v${event.version} after v${last[where]}`);
    }
    last[where] = event.version;
    if (sent !== undefined) arrivals[where].push(performance.now() - sent);
  };
  const key = `bench:notify:${Date.now()}`;
  const sockets = [
    await subscriber(a, apiKey, key, watcher('same')),
    await subscriber(b, apiKey, key, watcher('cross')),
  ];
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  for (let version = 1; version <= notificationCount; version += 1) {
    sentAt.set(version, performance.now());
    const response = await fetch(`${a}/v1/state/values/${encodeURIComponent(key)}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ value: { version } }),
    });
    if (!response.ok) problems.push(`notify set ${version}: HTTP ${response.status}`);
    await response.arrayBuffer();
    arrivals.answered.push(performance.now() - sentAt.get(version)!);
  }
  const deadline = Date.now() + 10_000;
  while (
    (last.same < notificationCount || last.cross < notificationCount) &&
    Date.now() < deadline
  ) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  for (const where of ['same', 'cross'] as const) {
    if (last[where] !== notificationCount) {
      problems.push(
        `${where}-instance subscriber stopped at v${last[where]} of ${notificationCount}`,
      );
    }
  }
  for (const socket of sockets) socket.close();
  const stats = (samples: number[]) => {
    const sorted = [...samples].sort((x, y) => x - y);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), count: sorted.length };
  };
  return {
    same: stats(arrivals.same),
    cross: stats(arrivals.cross),
    answered: stats(arrivals.answered),
  };
}

function printLatency(latency: Awaited<ReturnType<typeof notificationLatency>>) {
  out(
    `\nset-to-notification latency (${notificationCount} sequential sets on A; ms from sending the set)`,
  );
  out('| subscriber | p50 ms | p99 ms | events |');
  out('|---|---:|---:|---:|');
  const rows = [
    ['same instance', latency.same],
    ['other instance', latency.cross],
    ["(the set's own answer)", latency.answered],
  ] as const;
  for (const [name, row] of rows) {
    out(`| ${name} | ${fixed(row.p50)} | ${fixed(row.p99)} | ${row.count} |`);
  }
}

/**
 * The machine's floor, measured the same way right after: two bare servers (`floor-server.ts` of
 * bench-rest) whose set is one Lua script on Redis (version, value, publish) and whose subscribers
 * hear it directly (same process) or through Redis pub/sub (the other one).
 */
async function measureFloor() {
  const floors = [
    await startFloorServer(values.redis, 'set'),
    await startFloorServer(values.redis, 'set'),
  ];
  try {
    const [a, b] = floors.map((floor) => floor.url) as [string, string];
    out(
      "\nthe machine's floor: bare node:http servers doing only one Lua script on Redis per set " +
        '(bump the version, store the value, publish the change), no auth, validation or history',
    );
    printSetHeader();
    for (const connections of connectionCounts) {
      printSetRow('floor', connections, await setThroughput(a, 'none', connections));
    }
    printLatency(await notificationLatency(a, b, 'none'));
  } finally {
    for (const floor of floors) await floor.stop();
  }
}

const fixed = (value: number, digits = 2) => (Number.isNaN(value) ? '-' : value.toFixed(digits));

function printSetHeader() {
  out('| scenario | connections | sets/s | p50 ms | p99 ms |');
  out('|---|---:|---:|---:|---:|');
}

function printSetRow(
  name: string,
  connections: number,
  result: Awaited<ReturnType<typeof setThroughput>>,
) {
  const perSecond = Math.round(result.perSecond).toLocaleString('en');
  out(
    `| set (${name}) | ${connections} | ${perSecond} | ${fixed(result.p50)} | ${fixed(result.p99)} |`,
  );
}
for (const stateStore of stores) {
  const running = await cluster(stateStore);
  try {
    out(`\nvalues in ${stateStore}`);
    printSetHeader();
    const cpuLines: string[] = [];
    for (const connections of connectionCounts) {
      const before = await cpuNow(running.a, running.b);
      const started = performance.now();
      const result = await setThroughput(running.a, running.apiKey, connections);
      const seconds = (performance.now() - started) / 1000;
      cpuLines.push(
        `set x${connections}: ${cpuLine(before, await cpuNow(running.a, running.b), seconds)}`,
      );
      printSetRow(stateStore, connections, result);
    }
    out();
    for (const line of cpuLines) out(line);
    printLatency(await notificationLatency(running.a, running.b, running.apiKey));
  } finally {
    await running.stop();
  }
}
if (values.floor === 'yes') await measureFloor();
if (values.profile) out(`\nCPU profiles of instance A in ${PROFILE_DIR}`);
out('\ngoal: >= 10,000 sets/s at 16 clients, notification p99 < 5 ms');
if (problems.length > 0) {
  out(`\nproblems:\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
  process.exitCode = 1;
}
