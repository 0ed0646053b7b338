import { cpus } from 'node:os';
import type { FloorRun } from './floor.js';
import type { RunResult } from './load.js';

/** The goal of the cached read, from the project's targets. */
const GOAL = { readsPerSecond: 5000, p99: 20 };

const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/** The table of every run: throughput, latency and failures. */
export function printTable(results: RunResult[]): void {
  const rows = [
    ['scenario', 'connections', 'requests/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
    ...results.map((row) => [
      row.scenario,
      String(row.connections),
      Math.round(row.requestsPerSecond).toLocaleString('en'),
      fixed(row.p50),
      fixed(row.p99),
      String(row.non2xx),
      String(row.errors),
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) {
    const cells = row.map((cell, column) =>
      column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
    );
    process.stdout.write(`  ${cells.join('  ')}\n`);
  }
}

/** Whether the best cached-read run reached {@link GOAL}. */
export function printGoal(results: RunResult[]): void {
  const reads = results.filter((row) => row.scenario === 'read');
  const best = reads.reduce<RunResult | undefined>(
    (top, row) => (!top || row.requestsPerSecond > top.requestsPerSecond ? row : top),
    undefined,
  );
  const met = best && best.requestsPerSecond >= GOAL.readsPerSecond && best.p99 < GOAL.p99;
  process.stdout.write(
    `\ngoal: >= ${GOAL.readsPerSecond.toLocaleString('en')} cached reads/s with p99 < ${GOAL.p99} ms: ` +
      `${met ? 'met' : 'missed'}` +
      (best
        ? ` (best: ${Math.round(best.requestsPerSecond).toLocaleString('en')} reads/s at ` +
          `${best.connections} connections, p99 ${fixed(best.p99)} ms)\n`
        : '\n'),
  );
}

/**
 * The floor next to Memnex's read figures: how fast this machine, in this run, answers the same
 * bytes from a server that does nothing but the Redis round trips.
 */
export function printFloor(floor: FloorRun[], bytes: number, results: RunResult[]): void {
  process.stdout.write(
    `\nthe machine's floor for a cached read (a bare node:http server doing only the rate-limit, ` +
      `identifier and working-set round trips to Redis and answering the same ${bytes.toLocaleString('en')} bytes; ` +
      'same load generator, measured right after):\n',
  );
  for (const run of floor) {
    const ours = results.find(
      (row) => row.scenario === 'read' && row.connections === run.connections,
    );
    const share = ours
      ? ` (Memnex: ${Math.round((100 * ours.requestsPerSecond) / run.requestsPerSecond)}% of it)`
      : '';
    process.stdout.write(
      `  floor x${run.connections}: ${Math.round(run.requestsPerSecond).toLocaleString('en')} reads/s, ` +
        `p50 ${fixed(run.p50)} ms, p99 ${fixed(run.p99)} ms${share}\n`,
    );
  }
}

/** Per run: time in the server and in each store, cache hits, and who used the CPU. */
export function printWhereTimeGoes(results: RunResult[]): void {
  process.stdout.write(
    `\nwhere the time goes (server-side figures from its /metrics; CPU in cores of ${cpus().length}):\n`,
  );
  for (const row of results) {
    const cpu = (seconds: number) => (seconds / row.seconds).toFixed(2);
    const { server, serverSystem, load, postgres, redis, machine } = row.cpu;
    const others = machine - server - load - (postgres || 0) - (redis || 0);
    const stores = row.server.storeMs
      .slice(0, 4)
      .map(([name, ms]) => `${name} ${ms.toFixed(2)}`)
      .join(', ');
    const { hits, misses } = row.server.cache;
    const lines = [
      `${row.scenario} x${row.connections}: in the server ${row.server.handlerMs.toFixed(2)} ms a ` +
        `request; store ms/request: ${stores || 'none'}` +
        (hits + misses > 0 ? `; hot cache ${hits} hits, ${misses} misses` : ''),
      `  CPU: server ${cpu(server)} (${cpu(serverSystem)} in the kernel), autocannon ` +
        `${cpu(load)}, Postgres ${cpu(postgres)}, Redis ${cpu(redis)}, other processes ` +
        `${cpu(Math.max(0, others))}; machine busy ${cpu(machine)}`,
    ];
    process.stdout.write(lines.map((line) => `  ${line}\n`).join(''));
  }
}

/** What went wrong in one run: an answer that was not 2xx, a connection error, a lost request. */
export function problemsOf(row: RunResult): string[] {
  const name = `${row.scenario} x${row.connections}`;
  const problems: string[] = [];
  if (row.non2xx > 0 || row.errors > 0) {
    problems.push(`${name}: ${row.non2xx} non-2xx answers, ${row.errors} errors or timeouts`);
  }
  if (row.server.posts.total !== row.server.posts.ok) {
    problems.push(
      `${name}: the server answered ${row.server.posts.total - row.server.posts.ok} non-2xx`,
    );
  }
  if (!row.drained) {
    problems.push(
      `${name}: the server answered ${row.server.posts.total} of ${row.sent} requests sent`,
    );
  }
  return problems;
}

/**
 * Every write adds one current memory: the memories added must equal the writes the server
 * answered 2xx, which are the 2xx autocannon counted plus at most one in flight per connection
 * when a run stopped.
 */
export function checkWrites(results: RunResult[], added: number): string[] {
  const writes = results.filter((row) => row.scenario === 'write');
  if (writes.length === 0) return [];
  const counted = writes.reduce((sum, row) => sum + row.ok, 0);
  const answered = writes.reduce((sum, row) => sum + row.server.posts.ok, 0);
  const inFlight = writes.reduce((sum, row) => sum + row.connections, 0);
  process.stdout.write(
    `\nwrites: ${counted} answered 2xx to autocannon, ${answered} by the server (the rest were ` +
      `in flight when a run stopped); current memories +${added}\n`,
  );
  const consistent = added === answered && counted <= answered && answered <= counted + inFlight;
  return consistent
    ? []
    : [`writes: ${counted} 2xx counted, ${answered} answered by the server, memories +${added}`];
}
