import { describe, expect, it } from 'vitest';
import { cpuBudget } from './cpu-budget.js';

/** A file system of the given files only. */
const files = (entries: Record<string, string>) => (path: string) => entries[path];

describe('cpuBudget', () => {
  it('uses every CPU when no cgroup sets a quota', () => {
    expect(cpuBudget({ cpus: 8, read: files({}) })).toEqual({ workers: 8, cpus: 8, quota: null });
    const unlimitedV2 = files({
      '/proc/self/cgroup': '0::/\n',
      '/sys/fs/cgroup/cpu.max': 'max 100000\n',
    });
    expect(cpuBudget({ cpus: 8, read: unlimitedV2 })).toEqual({ workers: 8, cpus: 8, quota: null });
    const unlimitedV1 = files({
      '/proc/self/cgroup': '4:cpu,cpuacct:/\n1:memory:/\n',
      '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us': '-1\n',
      '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us': '100000\n',
    });
    expect(cpuBudget({ cpus: 8, read: unlimitedV1 })).toMatchObject({ workers: 8, quota: null });
  });

  it("reads a container's cgroup v2 quota, rounded down to whole CPUs", () => {
    const container = files({
      '/proc/self/cgroup': '0::/\n',
      '/sys/fs/cgroup/cpu.max': '250000 100000\n',
    });
    expect(cpuBudget({ cpus: 64, read: container })).toEqual({ workers: 2, cpus: 64, quota: 2.5 });
  });

  it('takes the smallest cgroup v2 quota on the path to the root', () => {
    const nested = files({
      '/proc/self/cgroup': '0::/kubepods/pod1/app\n',
      '/sys/fs/cgroup/kubepods/pod1/app/cpu.max': 'max 100000',
      '/sys/fs/cgroup/kubepods/pod1/cpu.max': '300000 100000',
      '/sys/fs/cgroup/kubepods/cpu.max': '800000 100000',
    });
    expect(cpuBudget({ cpus: 16, read: nested })).toMatchObject({ workers: 3, quota: 3 });
  });

  it('reads a cgroup v1 quota, from its own path or else the mount root', () => {
    const ownPath = files({
      '/proc/self/cgroup': '9:pids:/\n4:cpu,cpuacct:/docker/abc\n',
      '/sys/fs/cgroup/cpu/docker/abc/cpu.cfs_quota_us': '400000',
      '/sys/fs/cgroup/cpu/docker/abc/cpu.cfs_period_us': '100000',
      '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1',
      '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000',
    });
    expect(cpuBudget({ cpus: 32, read: ownPath })).toMatchObject({ workers: 4, quota: 4 });
    // Inside a container the mount's root is the container's own cgroup.
    const mountRoot = files({
      '/proc/self/cgroup': '4:cpu,cpuacct:/docker/abc\n',
      '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '150000',
      '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000',
    });
    expect(cpuBudget({ cpus: 32, read: mountRoot })).toMatchObject({ workers: 1, quota: 1.5 });
  });

  it('never runs fewer than one worker nor more than the CPUs', () => {
    const tiny = files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': '20000 100000' });
    expect(cpuBudget({ cpus: 4, read: tiny })).toMatchObject({ workers: 1, quota: 0.2 });
    const generous = files({
      '/proc/self/cgroup': '0::/\n',
      '/sys/fs/cgroup/cpu.max': '1600000 100000',
    });
    expect(cpuBudget({ cpus: 4, read: generous })).toMatchObject({ workers: 4, quota: 16 });
  });

  it('ignores files it cannot make sense of', () => {
    const garbled = files({
      '/proc/self/cgroup': 'nonsense\n0::/\n',
      '/sys/fs/cgroup/cpu.max': 'lots of cpus',
    });
    expect(cpuBudget({ cpus: 4, read: garbled })).toEqual({ workers: 4, cpus: 4, quota: null });
  });

  it('answers on this machine', () => {
    const budget = cpuBudget();
    expect(budget.workers).toBeGreaterThanOrEqual(1);
    expect(budget.workers).toBeLessThanOrEqual(budget.cpus);
  });
});
