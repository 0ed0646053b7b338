import type { RestMetrics } from '@memnex/rest-server';
import { isMessage, send, type SupervisorMessage } from './messages.js';

type MetricsReply = Extract<SupervisorMessage, { type: 'memnex:metrics-reply' }>;

/** How long `/metrics` waits for the supervisor, which itself gives the workers 5 s. */
const METRICS_TIMEOUT_MS = 10_000;

/** A worker's side of the IPC channel to the supervisor of `serve rest --workers`. */
export interface SupervisorChannel {
  /** Settles when the supervisor asks this worker to stop, or is gone. */
  stopRequested: Promise<void>;
  /** Tell the supervisor that this worker listens on `url`. */
  announce(url: string): void;
  /** The `/metrics` text of the whole server: the samples of every worker, aggregated. */
  metricsText(): Promise<string>;
  /** Stop listening to the channel. */
  close(): void;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Listen to the supervisor from the start of a worker, so that a stop it asks for while the
 * worker is still opening its stores is not lost, and answer its requests for samples.
 */
export function connectToSupervisor(metrics: RestMetrics): SupervisorChannel {
  let requestStop!: () => void;
  const stopRequested = new Promise<void>((resolve) => {
    requestStop = resolve;
  });
  const pending = new Map<number, (reply: MetricsReply) => void>();
  let nextId = 0;
  const sendSnapshot = async (id: number) => {
    try {
      const snapshot = await metrics.registry.getMetricsAsJSON();
      send(process, { type: 'memnex:metrics-snapshot', id, snapshot });
    } catch (error) {
      send(process, { type: 'memnex:metrics-snapshot', id, error: messageOf(error) });
    }
  };
  const onMessage = (message: unknown) => {
    if (isMessage(message, 'memnex:stop')) requestStop();
    else if (isMessage(message, 'memnex:metrics-collect')) void sendSnapshot(message.id);
    else if (isMessage(message, 'memnex:metrics-reply')) pending.get(message.id)?.(message);
  };
  process.on('message', onMessage);
  // Without its supervisor, no connection reaches this worker any more.
  process.once('disconnect', requestStop);

  const metricsText = () =>
    new Promise<string>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`the supervisor sent no metrics within ${METRICS_TIMEOUT_MS} ms`));
      }, METRICS_TIMEOUT_MS);
      pending.set(id, (reply) => {
        clearTimeout(timer);
        pending.delete(id);
        if (reply.snapshots === undefined || reply.workers === undefined) {
          reject(new Error(`cannot collect the metrics of every worker: ${reply.error}`));
        } else resolve(metrics.aggregate(reply.snapshots, reply.workers));
      });
      send(process, { type: 'memnex:metrics-request', id });
    });

  return {
    stopRequested,
    announce: (url) => send(process, { type: 'memnex:listening', url }),
    metricsText,
    close() {
      process.off('message', onMessage);
      process.off('disconnect', requestStop);
    },
  };
}
