import { createMemnexClient } from '@memnex/client';
import { describe, expect, it } from 'vitest';
import { startTeamCluster } from './cluster.js';
import { runTeam, type Task } from './team.js';

describe.each(['database', 'redis'] as const)(
  'the agent-team example (values in %s)',
  (stateStore) => {
    it('finishes every task exactly once, claimed by one worker, and the monitor sees each key in order', async () => {
      const cluster = await startTeamCluster({ stateStore });
      try {
        const report = await runTeam(cluster);
        expect(report.tasks).toHaveLength(5);
        for (const task of report.tasks) {
          const value = task.value as Task;
          expect(value.status).toBe('done');
          expect(value.result).toContain(value.owner!);
          // open (1), claimed (2), done (3): no second claim ever landed.
          expect(task.version).toBe(3);
        }
        const won = Object.values(report.claims).reduce((sum, claims) => sum + claims.won, 0);
        expect(won).toBe(5);
        expect(report.summary.value).toMatchObject({ done: 5, of: 5 });
        const byKey = new Map<string, number[]>();
        for (const event of report.monitored) {
          if (event.event === 'schema') continue;
          byKey.set(event.key, [...(byKey.get(event.key) ?? []), event.version]);
        }
        for (const [key, versions] of byKey) {
          expect(versions, key).toEqual(versions.map((_, index) => index + 1));
        }
        expect(byKey.get('team:task:1')).toEqual([1, 2, 3]);
        expect(byKey.get('team:summary')).toContain(report.summary.version);

        // The scopes the README gives each role: a worker cannot touch the summary, nor the
        // monitor a task.
        const [a, b] = cluster.urls;
        const worker = createMemnexClient({ url: b, apiKey: cluster.keys.worker });
        await expect(worker.state.set('team:summary', 'overwritten')).rejects.toMatchObject({
          status: 403,
          code: 'FORBIDDEN',
        });
        const monitor = createMemnexClient({ url: a, apiKey: cluster.keys.monitor });
        await expect(monitor.state.set('team:task:1', null)).rejects.toMatchObject({
          status: 403,
          code: 'FORBIDDEN',
        });
      } finally {
        await cluster.close();
      }
    }, 60_000);
  },
);
