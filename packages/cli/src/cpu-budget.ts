import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** What bounds the processes worth running: the CPUs this process may run on, and any CPU quota. */
export interface CpuBudget {
  /** Whole CPUs to use: the quota rounded down (at least 1), never more than `cpus`. */
  workers: number;
  /** CPUs the scheduler lets this process run on (`os.availableParallelism()`). */
  cpus: number;
  /** The cgroup CPU quota in CPUs (`2.5` for `docker run --cpus 2.5`), or null when there is none. */
  quota: number | null;
}

/** Reads a file's text, or undefined when it cannot be read; replaceable in tests. */
export type ReadText = (path: string) => string | undefined;

const readText: ReadText = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * The CPUs this process can use. `os.availableParallelism()` counts the CPUs it may be scheduled
 * on, but a container limited with a CPU quota (`docker run --cpus`, a Kubernetes CPU limit) still
 * sees every CPU of its host, and one process per host CPU would be throttled against the quota.
 * The quota is read from the cgroup of this process: v2 `cpu.max` (the smallest along the path to
 * the root), else v1 `cpu.cfs_quota_us` over `cpu.cfs_period_us`.
 */
export function cpuBudget(options: { cpus?: number; read?: ReadText } = {}): CpuBudget {
  const cpus = options.cpus ?? availableParallelism();
  const read = options.read ?? readText;
  const cgroups = parseProcCgroup(read('/proc/self/cgroup') ?? '');
  const quota = cgroupV2Quota(read, cgroups.v2) ?? cgroupV1Quota(read, cgroups.v1Cpu);
  const workers = quota === null ? cpus : Math.min(cpus, Math.max(1, Math.floor(quota)));
  return { workers, cpus, quota };
}

/** This process's cgroup paths: the v2 one (`0::/path`) and the v1 one of the `cpu` controller. */
function parseProcCgroup(text: string): { v2: string | null; v1Cpu: string | null } {
  let v2: string | null = null;
  let v1Cpu: string | null = null;
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    const path = line.slice(second + 1).trim();
    if (line.slice(0, first) === '0' && controllers === '') v2 = path;
    else if (controllers.split(',').includes('cpu')) v1Cpu = path;
  }
  return { v2, v1Cpu };
}

/** Paths from `path` up to the root: `/a/b` → `/a/b`, `/a`, `` (the mount itself). */
function selfAndAncestors(path: string): string[] {
  const parts = path.split('/').filter((part) => part !== '' && part !== '..');
  const paths: string[] = [];
  for (let length = parts.length; length >= 0; length -= 1) {
    paths.push(
      parts
        .slice(0, length)
        .map((part) => `/${part}`)
        .join(''),
    );
  }
  return paths;
}

/** A quota of `quota` microseconds per `period`, in CPUs; null for none or nonsense. */
function cpusOf(quota: number, period: number): number | null {
  if (!Number.isFinite(quota) || !Number.isFinite(period) || quota <= 0 || period <= 0) {
    return null;
  }
  return quota / period;
}

function minQuota(quotas: Array<number | null>): number | null {
  const set = quotas.filter((quota): quota is number => quota !== null);
  return set.length === 0 ? null : Math.min(...set);
}

/**
 * cgroup v2: `cpu.max` holds `<quota> <period>` or `max <period>`. A container usually sees its
 * own cgroup mounted at `/sys/fs/cgroup` (its path then reads `/`); a host process sees the full
 * hierarchy, where a parent's limit bounds its children too.
 */
function cgroupV2Quota(read: ReadText, path: string | null): number | null {
  if (path === null) return null;
  const quotas = selfAndAncestors(path).map((dir) => {
    const text = read(`/sys/fs/cgroup${dir}/cpu.max`)?.trim();
    if (!text) return null;
    const [quota, period] = text.split(/\s+/u);
    if (quota === 'max') return null;
    return cpusOf(Number(quota), Number(period ?? 100_000));
  });
  return minQuota(quotas);
}

/** cgroup v1: `cpu.cfs_quota_us` (-1 for none) over `cpu.cfs_period_us`, under the cpu mount. */
function cgroupV1Quota(read: ReadText, path: string | null): number | null {
  if (path === null) return null;
  const mounts = ['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/cpu,cpuacct', '/sys/fs/cgroup/cpuacct,cpu'];
  const dirs = [...new Set([path, '/'])].flatMap((dir) =>
    mounts.map((mount) => (dir === '/' ? mount : `${mount}${dir}`)),
  );
  for (const dir of dirs) {
    const quota = read(`${dir}/cpu.cfs_quota_us`);
    const period = read(`${dir}/cpu.cfs_period_us`);
    if (quota === undefined || period === undefined) continue;
    return cpusOf(Number(quota.trim()), Number(period.trim()));
  }
  return null;
}
