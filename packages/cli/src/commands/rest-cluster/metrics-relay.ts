import type { Worker } from 'node:cluster';
import type { MetricsSnapshot } from '@memnex/rest-server';
import { isMessage, send } from './messages.js';

/** How long the supervisor waits for the samples of one worker. */
const SNAPSHOT_TIMEOUT_MS = 5000;

let nextId = 0;

/** The samples of one worker; null when it exits before answering, as it no longer serves. */
function snapshotOf(worker: Worker): Promise<MetricsSnapshot | null> {
  const id = nextId++;
  const pid = worker.process.pid;
  return new Promise((resolve, reject) => {
    const settle = () => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('exit', onExit);
    };
    const onMessage = (message: unknown) => {
      if (!isMessage(message, 'memnex:metrics-snapshot') || message.id !== id) return;
      settle();
      if (message.snapshot) resolve(message.snapshot);
      else reject(new Error(`rest worker ${pid}: ${message.error}`));
    };
    const onExit = () => {
      settle();
      resolve(null);
    };
    const timer = setTimeout(() => {
      settle();
      reject(new Error(`rest worker ${pid} sent no metrics within ${SNAPSHOT_TIMEOUT_MS} ms`));
    }, SNAPSHOT_TIMEOUT_MS);
    worker.on('message', onMessage);
    worker.on('exit', onExit);
    send(worker, { type: 'memnex:metrics-collect', id });
  });
}

/**
 * Answer the `memnex:metrics-request` of a worker that serves `/metrics`: the samples of every
 * running worker, which it aggregates, and how many are listening.
 */
export async function answerMetricsRequest(
  from: Worker,
  id: number,
  running: Iterable<Worker>,
  listening: number,
): Promise<void> {
  try {
    const snapshots = await Promise.all([...running].map(snapshotOf));
    send(from, {
      type: 'memnex:metrics-reply',
      id,
      snapshots: snapshots.filter((snapshot) => snapshot !== null),
      workers: listening,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    send(from, { type: 'memnex:metrics-reply', id, error: message });
  }
}
