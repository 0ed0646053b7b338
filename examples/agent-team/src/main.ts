/**
 * An agent team without any model: a planner, two workers, a summariser and a monitor share a plan
 * through Memnex shared state, over two server instances that meet only in Postgres and Redis.
 * Needs MEMNEX_POSTGRES_URL and MEMNEX_REDIS_URL (defaults: the local servers).
 */
import { startTeamCluster } from './cluster.js';
import { runTeam } from './team.js';

const stateStore = process.env.MEMNEX_STATE_STORE === 'redis' ? 'redis' : 'database';
const cluster = await startTeamCluster({ stateStore });
const print = (line: string) => process.stdout.write(`${line}\n`);
print(`instances: A ${cluster.urls[0]}  B ${cluster.urls[1]}  (values in ${stateStore})\n`);
try {
  const report = await runTeam({ ...cluster, print });
  print('');
  print(`claims: ${JSON.stringify(report.claims)}`);
  print(`summary v${report.summary.version}: ${JSON.stringify(report.summary.value, null, 2)}`);
} finally {
  await cluster.close();
}
