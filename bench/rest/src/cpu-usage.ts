import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { cpus } from 'node:os';

/**
 * CPU seconds all cores spent busy since boot: from /proc/stat where there is one (user, nice,
 * system, irq, softirq and steal; loopback traffic is softirq time that os.cpus() leaves out).
 */
async function machineBusySeconds(): Promise<number> {
  const stat = await readFile('/proc/stat', 'utf8').catch(() => '');
  const fields = /^cpu\s+(.*)$/mu.exec(stat)?.[1]?.split(/\s+/u).map(Number);
  if (fields && fields.length >= 8) {
    const [user, nice, system, , , irq, softirq, steal] = fields as number[];
    return (user! + nice! + system! + irq! + softirq! + steal!) / clockTicks();
  }
  const milliseconds = cpus().reduce(
    (sum, { times }) => sum + times.user + times.nice + times.sys + times.irq,
    0,
  );
  return milliseconds / 1000;
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * CPU seconds used so far by the running processes with one of these command names (e.g.
 * `postgres`, `redis-server`), from /proc; NaN where there is no /proc. A process that exits in
 * between takes its time with it, which the long-lived pool connections of a run do not.
 */
async function processCpuSeconds(names: readonly string[]): Promise<number> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return Number.NaN;
  }
  let ticks = 0;
  await Promise.all(
    entries
      .filter((entry) => /^\d+$/u.test(entry))
      .map(async (pid) => {
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
        // pid (comm) state ppid ...: comm may hold spaces, so split after its closing paren.
        const close = stat.lastIndexOf(')');
        const name = stat.slice(stat.indexOf('(') + 1, close);
        if (close < 0 || !names.includes(name)) return;
        const fields = stat.slice(close + 2).split(' ');
        ticks += Number(fields[11]) + Number(fields[12]);
      }),
  );
  return ticks / clockTicks();
}

/** CPU seconds used so far by this process (the load generator), Postgres, Redis and the machine. */
export async function sharedCpuSeconds(): Promise<{
  load: number;
  postgres: number;
  redis: number;
  machine: number;
}> {
  const own = process.cpuUsage();
  return {
    load: (own.user + own.system) / 1e6,
    postgres: await processCpuSeconds(['postgres']),
    redis: await processCpuSeconds(['redis-server']),
    machine: await machineBusySeconds(),
  };
}

/** What each counter of two readings (e.g. of {@link sharedCpuSeconds}) grew by in between. */
export function cpuDelta<Reading extends Record<string, number>>(
  before: Reading,
  after: Reading,
): Reading {
  return Object.fromEntries(
    Object.entries(after).map(([name, seconds]) => [name, seconds - before[name]!]),
  ) as Reading;
}
