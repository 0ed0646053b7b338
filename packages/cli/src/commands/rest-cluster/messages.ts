import type { MetricsSnapshot } from '@memnex/rest-server';

/** What a worker of `serve rest --workers` tells its supervisor over the IPC channel. */
export type WorkerMessage =
  /** It listens; every worker shares the same URL. */
  | { type: 'memnex:listening'; url: string }
  /** `/metrics` was asked of it: it needs the samples of every worker. */
  | { type: 'memnex:metrics-request'; id: number }
  /** Its own samples, or why it has none, as asked by a `memnex:metrics-collect` of this id. */
  | { type: 'memnex:metrics-snapshot'; id: number; snapshot?: MetricsSnapshot; error?: string };

/** What the supervisor tells a worker. */
export type SupervisorMessage =
  /** Stop gracefully, as on a first SIGTERM. */
  | { type: 'memnex:stop' }
  /** Send your samples (a `memnex:metrics-snapshot` of the same id). */
  | { type: 'memnex:metrics-collect'; id: number }
  /** The answer to a `memnex:metrics-request`: every worker's samples, or why there are none. */
  | {
      type: 'memnex:metrics-reply';
      id: number;
      snapshots?: MetricsSnapshot[];
      workers?: number;
      error?: string;
    };

type Message = WorkerMessage | SupervisorMessage;

/** Whether an IPC message is ours and of this type (other code may use the channel too). */
export function isMessage<T extends Message['type']>(
  message: unknown,
  type: T,
): message is Extract<Message, { type: T }> {
  return (
    typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type
  );
}

/** Something a message can be sent to: a cluster worker, or the supervisor from a worker. */
interface Channel {
  send?(message: unknown, callback: (error: Error | null) => void): unknown;
}

/**
 * Send a message, ignoring a closed channel: the other side is exiting, and its exit is handled
 * where it is noticed.
 */
export function send(channel: Channel, message: Message): void {
  try {
    channel.send?.(message, () => undefined);
  } catch {
    // Thrown synchronously by a channel that is already closed.
  }
}
