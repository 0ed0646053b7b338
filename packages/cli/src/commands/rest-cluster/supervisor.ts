import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '@memnex/core';
import { EXIT_CODES } from '../../errors.js';
import type { CliIo } from '../../io.js';
import { waitForStop, type StopReason } from '../../shutdown.js';
import { announceRestListening } from '../serve-support.js';
import { isMessage, send } from './messages.js';
import { answerMetricsRequest } from './metrics-relay.js';
import { createRestartBudget, type RestartBudget } from './restart-budget.js';

/** The crash-loop guard allows as many restarts as there are workers within this window. */
const RESTART_WINDOW_MS = 60_000;

/** Options of {@link superviseRestWorkers}. */
export interface SuperviseOptions {
  /** Address every worker listens on. */
  host: string;
  /**
   * Port every worker listens on. With 0 they share the one free port the first picks, which
   * replacements keep while another worker still listens.
   */
  port: number;
  /** How many workers to run. */
  workers: number;
}

/**
 * `serve rest` as a node:cluster primary: fork `workers` processes that each serve the REST API
 * on the same port, announce the server once every one listens, replace a worker that dies after
 * that (as many times a minute as there are workers), and stop them all gracefully on SIGINT or
 * SIGTERM. Workers re-run this program's main script with `serve rest` arguments, as node:cluster
 * does. Resolves with the exit code: 0 when every worker stopped cleanly.
 */
export function superviseRestWorkers(
  io: CliIo,
  logger: Logger,
  options: SuperviseOptions,
): Promise<number> {
  return new RestSupervisor(io, logger, options).start();
}

/** Starting until every worker listens; stopping after a signal or a failure. */
type Phase = 'starting' | 'running' | 'stopping';

class RestSupervisor {
  /** Forked and not exited yet. */
  private readonly running = new Set<Worker>();
  private readonly listening = new Set<Worker>();
  private phase: Phase = 'starting';
  private failed = false;
  private readonly restarts: RestartBudget;
  private stop?: ReturnType<typeof waitForStop>;
  private finish: (code: number) => void = () => undefined;

  constructor(
    private readonly io: CliIo,
    private readonly logger: Logger,
    private readonly options: SuperviseOptions,
  ) {
    this.restarts = createRestartBudget(options.workers, RESTART_WINDOW_MS);
  }

  start(): Promise<number> {
    const finished = new Promise<number>((resolve) => {
      this.finish = resolve;
    });
    this.stop = waitForStop(this.io, { beforeForcedExit: () => this.killAll() });
    void this.stop.stopped.then((reason) => this.stopAll(reason));
    // The same arguments for replacements: with `--port 0`, node:cluster shares the port of
    // the workers still listening only with a worker that also asks for port 0.
    cluster.setupPrimary({
      args: ['serve', 'rest', '--host', this.options.host, '--port', String(this.options.port)],
    });
    for (let index = 0; index < this.options.workers; index += 1) this.fork();
    return finished;
  }

  private fork(): void {
    // The environment the configuration was read from, which node:cluster lays over this
    // process's own (a variable undefined in it is left out).
    const worker = cluster.fork(this.io.env);
    const workerPid = worker.process.pid;
    this.running.add(worker);
    this.logger.info('rest worker started', { workerPid });
    worker.on('message', (message: unknown) => this.onMessage(worker, message));
    worker.on('error', (error) =>
      this.logger.warn('rest worker channel failed', { workerPid, error }),
    );
    worker.once('exit', (code: number | null, signal: string | null) =>
      this.onExit(worker, code, signal),
    );
  }

  private onMessage(worker: Worker, message: unknown): void {
    if (isMessage(message, 'memnex:listening')) {
      this.onListening(worker, message.url);
    } else if (isMessage(message, 'memnex:metrics-request')) {
      void answerMetricsRequest(worker, message.id, this.running, this.listening.size);
    }
  }

  private onListening(worker: Worker, url: string): void {
    this.listening.add(worker);
    this.logger.info('rest worker listening', { workerPid: worker.process.pid, url });
    if (this.phase === 'starting' && this.listening.size === this.options.workers) {
      this.phase = 'running';
      announceRestListening(this.io, url);
    }
  }

  private onExit(worker: Worker, code: number | null, signal: string | null): void {
    this.running.delete(worker);
    const listened = this.listening.delete(worker);
    const exit = { workerPid: worker.process.pid, code, signal };
    if (this.phase === 'stopping') {
      if (code !== 0) this.failed = true;
      this.finishOnceAllExited();
    } else if (this.phase === 'starting') {
      // A port in use or an unreachable database fails every worker alike: no restarts.
      this.logger.error('a rest worker exited before the server was listening; stopping', exit);
      this.fail();
    } else if (!this.restarts.take()) {
      this.logger.error(
        `rest workers exited more than ${this.options.workers} times within a minute; stopping`,
        exit,
      );
      this.fail();
    } else {
      const what = listened ? 'rest worker exited' : 'rest worker exited before listening';
      this.logger.warn(`${what}; replacing it`, exit);
      this.fork();
    }
  }

  private fail(): void {
    this.failed = true;
    this.stopAll();
    // A worker still starting has nothing to drain, and its start may take long (a database that
    // does not answer): it has no signal handler yet, so SIGTERM ends it at once.
    for (const worker of this.running) {
      if (!this.listening.has(worker)) worker.process.kill('SIGTERM');
    }
  }

  /**
   * Ask every worker to stop over IPC, not by a signal: on Ctrl-C the whole process group already
   * got SIGINT, and a second signal would make a worker exit without draining.
   */
  private stopAll(reason?: StopReason): void {
    if (this.phase === 'stopping') return;
    this.phase = 'stopping';
    if (reason) this.logger.info('shutting down', { reason, workers: this.running.size });
    for (const worker of this.running) send(worker, { type: 'memnex:stop' });
    this.finishOnceAllExited();
  }

  private finishOnceAllExited(): void {
    if (this.running.size > 0) return;
    this.stop?.dispose();
    this.finish(this.failed ? EXIT_CODES.failure : EXIT_CODES.ok);
  }

  private killAll(): void {
    for (const worker of this.running) worker.process.kill('SIGKILL');
  }
}
