import cluster from 'node:cluster';
import { MemnexError, type Logger, type ValidationIssue } from '@memnex/core';
import {
  createRestApp,
  createRestMetrics,
  serveRest as listen,
  type RestMetrics,
} from '@memnex/rest-server';
import { createRuntime, type MemnexConfig } from '@memnex/runtime';
import { cpuBudget } from '../cpu-budget.js';
import { ensureDevKey } from '../dev-key.js';
import type { CliIo } from '../io.js';
import { loggerFor, readConfig } from '../runtime.js';
import { superviseRestWorkers } from './rest-cluster/supervisor.js';
import { connectToSupervisor } from './rest-cluster/worker-channel.js';
import { announceDevKey, announceRestListening, runUntilStopped } from './serve-support.js';

/** Options of `memnex serve rest`. */
export interface ServeRestOptions {
  host: string;
  port: number;
  /** Processes serving the port, `auto` for one per core; `MEMNEX_REST_WORKERS` when absent. */
  workers?: number | 'auto';
}

/**
 * `memnex serve rest`: open the configured storage and serve the REST API until SIGINT/SIGTERM,
 * then drain requests in flight and close the stores. With more than one worker, this process
 * supervises that many, each serving the same port on the shared Postgres and Redis.
 */
export async function serveRest(io: CliIo, options: ServeRestOptions): Promise<number> {
  const config = readConfig(io);
  const logger = loggerFor(io, config, 'server');
  if (cluster.isWorker) return serveAsWorker(io, config, logger, options);
  const requested = options.workers ?? config.restWorkers;
  const workers = requested === 'auto' ? autoWorkers(logger) : requested;
  if (workers === 1) {
    return serveProcess(io, config, logger, options, {
      metrics: createRestMetrics(),
      announce: (url) => announceRestListening(io, url),
    });
  }
  const setting =
    options.workers === undefined ? `MEMNEX_REST_WORKERS=${requested}` : `--workers ${requested}`;
  refuseUnshareableConfig(config, setting);
  return superviseRestWorkers(io, logger, { host: options.host, port: options.port, workers });
}

/** `auto`: one worker per CPU this process may use, its container's CPU quota included. */
function autoWorkers(logger: Logger): number {
  const budget = cpuBudget();
  logger.info('workers: auto', {
    workers: budget.workers,
    cpus: budget.cpus,
    ...(budget.quota === null ? {} : { cpuQuota: budget.quota }),
  });
  return budget.workers;
}

/**
 * Workers are separate processes: they can only share Postgres and Redis, not the embedded
 * database (one process holds its lock) nor the in-process caches and bus. The dev key belongs
 * with the embedded database, and each worker would make its own.
 */
function refuseUnshareableConfig(config: MemnexConfig, setting: string): void {
  const issues: ValidationIssue[] = [];
  const missing = [
    config.postgresUrl ? undefined : 'MEMNEX_POSTGRES_URL',
    config.redisUrl ? undefined : 'MEMNEX_REDIS_URL',
  ].filter((name) => name !== undefined);
  if (missing.length > 0) {
    issues.push({
      path: '',
      message:
        `${setting} needs a Postgres and a Redis the workers share: set ${missing.join(' and ')} ` +
        '(the embedded database and in-process caches belong to one process)',
      code: 'required',
    });
  }
  if (config.devKey) {
    issues.push({
      path: 'MEMNEX_DEV_KEY',
      message: `cannot be used with ${setting}; create a key with \`memnex keys create\``,
      code: 'forbidden',
    });
  }
  if (issues.length === 0) return;
  // One problem reads best on one line; several are listed under a headline.
  throw MemnexError.validation(issues, issues.length > 1 ? 'invalid configuration' : undefined);
}

/** A worker of `serve rest --workers`: it reports to its supervisor instead of announcing. */
async function serveAsWorker(
  io: CliIo,
  config: MemnexConfig,
  logger: Logger,
  options: ServeRestOptions,
): Promise<number> {
  const metrics = createRestMetrics();
  const supervisor = connectToSupervisor(metrics);
  try {
    return await serveProcess(io, config, logger, options, {
      metrics,
      announce: supervisor.announce,
      metricsText: supervisor.metricsText,
      stopRequested: supervisor.stopRequested,
    });
  } finally {
    supervisor.close();
  }
}

/** What differs between a server on its own and a worker of a supervisor. */
interface ServingRole {
  metrics: RestMetrics;
  /** Called once the server listens. */
  announce(url: string): void;
  /** What `/metrics` answers instead of this process's own samples. */
  metricsText?: () => Promise<string>;
  /** Settles when the supervisor asks this process to stop. */
  stopRequested?: Promise<void>;
}

async function serveProcess(
  io: CliIo,
  config: MemnexConfig,
  logger: Logger,
  options: ServeRestOptions,
  role: ServingRole,
): Promise<number> {
  const { metrics } = role;
  const runtime = await createRuntime({ config, logger, storeObserver: metrics.observeStore });
  if (runtime.piiAnalyzer) metrics.watchPiiAnalyzer(runtime.piiAnalyzer);
  try {
    if (config.devKey) announceDevKey(io, await ensureDevKey(runtime.memnex, config.dataDir));
    const rest = createRestApp({
      memnex: runtime.memnex,
      logger,
      metrics,
      metricsText: role.metricsText,
      rateLimiter: runtime.rateLimiter,
      maxBodyBytes: config.maxBodyBytes,
      corsOrigins: config.corsOrigins,
      console: {
        signingKey: config.jwtSigningKey ?? null,
        rateLimiter: runtime.signInRateLimiter,
        trustProxy: config.trustProxy,
      },
    });
    const server = await listen({ rest, logger, host: options.host, port: options.port });
    role.announce(server.url);
    return await runUntilStopped(io, logger, server, runtime, role.stopRequested);
  } catch (error) {
    await runtime.close().catch(() => undefined);
    throw error;
  }
}
