/**
 * `pnpm bench:storage`: engine `read` (cold and warm cache) and one-fact `write` throughput over
 * a populated database, on a Postgres server and on embedded PGlite.
 *
 * The population is loaded through the stores (not the engine's write path, which would take
 * hours for a million memories) and kept between runs: a second run on the same size starts
 * measuring at once.
 */
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createMemnex, type Memnex, type Stores } from '@memnex/core';
import { createHashEmbedder } from '@memnex/embeddings';
import { createStores, loadConfig, planWiring } from '@memnex/runtime';
import postgres from 'postgres';
import { percentile, summarise, timeStores, type Latencies } from './measure.js';
import { seedPopulation, TENANT_ID } from './population.js';

const { values } = parseArgs({
  options: {
    target: { type: 'string', default: 'both' },
    users: { type: 'string', default: '10000' },
    memories: { type: 'string', default: '100' },
    samples: { type: 'string', default: '2000' },
    writes: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '16' },
    redis: { type: 'string' },
  },
});
const users = Number(values.users);
const perUser = Number(values.memories);
const samples = Math.min(Number(values.samples), users);
const writes = Number(values.writes);
const concurrency = Number(values.concurrency);
const targets = values.target === 'both' ? ['postgres', 'pglite'] : [values.target!];
const adminUrl =
  process.env.MEMNEX_BENCH_POSTGRES_URL ??
  process.env.MEMNEX_TEST_POSTGRES_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
const embedder = createHashEmbedder({ dimensions: 256 });
const size = `${users}x${perUser}`;

/** A database per population size, created once and kept for the next run. */
async function benchDatabaseUrl(): Promise<string> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  const name = `memnex_bench_${size}`;
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!exists) await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The stores the composition root wires for this target, as a deployment would get them. */
function storesFor(target: string, url: string): Stores {
  const config = loadConfig({
    MEMNEX_EMBEDDINGS: 'hash',
    ...(target === 'postgres'
      ? { MEMNEX_POSTGRES_URL: url }
      : { MEMNEX_DATA_DIR: join(tmpdir(), `memnex-bench-pglite-${size}`) }),
    ...(values.redis ? { MEMNEX_REDIS_URL: values.redis } : {}),
  });
  return createStores(config, planWiring(config));
}

/** Run `task` over `items` with at most `width` in flight. */
async function pool<T>(items: T[], width: number, task: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

async function timedReads(memnex: Memnex, picks: number[]): Promise<Latencies> {
  const latencies: number[] = [];
  for (const index of picks) {
    const started = process.hrtime.bigint();
    const result = await memnex.read({ tenantId: TENANT_ID, user: `u${index}` });
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (result.items.length === 0) throw new Error(`user u${index} read back nothing`);
  }
  return latencies;
}

async function benchmark(target: string): Promise<void> {
  const url = target === 'postgres' ? await benchDatabaseUrl() : '';
  const timings = timeStores(storesFor(target, url));
  const { stores } = timings;
  const memnex = createMemnex({
    stores,
    embedder,
    auditKey: 'bench-storage-audit-key-0123456789',
    piiKey: 'bench-storage-pii-key-0123456789',
  });
  await memnex.init();
  try {
    const seeded = await seedPopulation(memnex, stores, embedder, { users, perUser }, (line) =>
      process.stderr.write(`${target}: ${line}\n`),
    );
    process.stdout.write(
      `\n${target}${values.redis ? ' + redis' : ''}: ${users.toLocaleString('en')} users x ` +
        `${perUser} memories (${seeded})\n`,
    );

    // Distinct random users: each read once cold (hot cache empty), then once warm.
    const picks = [...Array(users).keys()].sort(() => Math.random() - 0.5).slice(0, samples);
    await stores.hot.clear();
    const cold = await timedReads(memnex, picks);
    const warm = await timedReads(memnex, picks);
    process.stdout.write(`  read cold   ${summarise(cold)}\n`);
    process.stdout.write(`  read warm   ${summarise(warm)}\n`);

    const jobs = Array.from({ length: writes }, (_, index) => index);
    timings.reset();
    const latencies: number[] = [];
    const started = process.hrtime.bigint();
    await pool(jobs, concurrency, async (index) => {
      const begun = process.hrtime.bigint();
      await memnex.write({
        tenantId: TENANT_ID,
        user: `u${Math.floor(Math.random() * users)}`,
        facts: [{ type: 'intent', text: `Asked about delivery slot ${index} for order #${index}` }],
      });
      latencies.push(Number(process.hrtime.bigint() - begun) / 1e6);
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(
      `  write       ${Math.round(writes / seconds)} facts/s at ${concurrency} in flight ` +
        `(p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms)\n`,
    );
    process.stdout.write('  store time per write (calls overlap when writes run in parallel):\n');
    for (const line of timings.report(writes)) process.stdout.write(`    ${line}\n`);
  } finally {
    await memnex.close();
  }
}

process.stdout.write(
  `bench:storage on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'}), node ${process.version}\n`,
);
for (const target of targets) await benchmark(target);
