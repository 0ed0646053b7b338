import type {
  Memnex,
  MemnexError,
  StateListener,
  StateSubscribeCall,
  StateSubscription,
} from '@memnex/core';
import type { StateEvent, StateReady } from '@memnex/core/wire';

/** Tuning of {@link openStateEventStream}. */
export interface StateEventStreamTuning {
  /** How often a `: ping` comment is sent, so that proxies keep an idle stream open (ms). */
  pingMs: number;
  /**
   * Most bytes of events waiting for a client that does not read: past it the stream ends with
   * an `error` event, and the client reconnects and resumes.
   */
  maxQueuedBytes: number;
  /** How long a stream ended that way may still take to deliver what it holds (ms). */
  slowConsumerGraceMs: number;
}

export const STATE_STREAM_TUNING: Readonly<StateEventStreamTuning> = {
  pingMs: 15_000,
  maxQueuedBytes: 1_048_576,
  slowConsumerGraceMs: 30_000,
};

/** Options of {@link openStateEventStream}. */
export interface StateEventStreamOptions {
  memnex: Memnex;
  /** The subscription, in the caller's tenant with the caller's scopes and key id. */
  call: StateSubscribeCall;
  /**
   * Give `ready`, `value` and `delete` events an `id:` (the key's version), so that a reconnecting
   * client's `Last-Event-ID` resumes. Only for one exact key: versions are per key.
   */
  withIds: boolean;
  tuning?: Partial<StateEventStreamTuning>;
}

/** Streams open per engine, so that a draining server can end them. */
const openStreams = new WeakMap<Memnex, Set<() => void>>();

/**
 * End every event stream open on `memnex` (the server is draining): their subscriptions close
 * and their clients reconnect, to another instance, resuming where they were.
 */
export function closeStateEventStreams(memnex: Memnex): void {
  for (const close of [...(openStreams.get(memnex) ?? [])]) close();
}

const encoder = new TextEncoder();

function frame(event: string, data: unknown, id?: number): Uint8Array {
  // JSON escapes line breaks, so the data is always a single `data:` line.
  const idLine = id === undefined ? '' : `id: ${id}\n`;
  return encoder.encode(`${idLine}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

const PING = encoder.encode(': ping\n\n');

function errorFrame(error: Pick<MemnexError, 'code' | 'message'>): Uint8Array {
  return frame('error', { error: { code: error.code, message: error.message } });
}

/**
 * One event stream: the body of the response and what feeds it. Events that arrive before `ready`
 * was sent (changes racing the subscription's start) wait until it is.
 */
class EventStream {
  readonly body: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private subscription: StateSubscription | undefined;
  private started = false;
  private done = false;
  private readonly early: Uint8Array[] = [];
  /** Why the engine ended the subscription before `ready` was sent (null: a plain end). */
  private endedEarly: MemnexError | null | undefined;
  private ping: NodeJS.Timeout | undefined;
  private grace: NodeJS.Timeout | undefined;
  /**
   * Bytes allowed in the queue: the tuning's, plus the `ready` frame, which may list thousands of
   * keys and must not end a stream on its own.
   */
  private allowance: number;
  /** Ends the stream; registered while it is open, so that a draining server can end it. */
  readonly stop = () => this.finish();

  constructor(
    private readonly tuning: StateEventStreamTuning,
    private readonly open: Set<() => void>,
  ) {
    this.allowance = tuning.maxQueuedBytes;
    this.body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        // The client went away.
        cancel: () => this.release(),
      },
      // Pushed, never pulled: `desiredSize` goes negative by the bytes the client has not read.
      { highWaterMark: 0, size: (chunk) => chunk.byteLength },
    );
  }

  listener(withIds: boolean): StateListener {
    return {
      event: (event: StateEvent) => {
        const id = withIds && event.event !== 'schema' ? event.version : undefined;
        const chunk = frame(event.event, event, id);
        if (this.started) this.send(chunk);
        else this.early.push(chunk);
      },
      end: (error) => {
        if (this.started) this.finish(error ? errorFrame(error) : undefined);
        else this.endedEarly = error;
      },
    };
  }

  /** Send `ready` and whatever waited for it, then keep the stream alive with pings. */
  start(subscription: StateSubscription, ready: Uint8Array): void {
    this.subscription = subscription;
    this.open.add(this.stop);
    this.allowance += ready.byteLength;
    this.send(ready);
    this.started = true;
    for (const chunk of this.early.splice(0)) this.send(chunk);
    if (this.endedEarly !== undefined) {
      this.finish(this.endedEarly ? errorFrame(this.endedEarly) : undefined);
    }
    if (!this.done) {
      this.ping = setInterval(() => this.send(PING), this.tuning.pingMs);
      this.ping.unref();
    }
  }

  private queuedBytes(): number {
    return -(this.controller.desiredSize ?? 0);
  }

  private send(chunk: Uint8Array): void {
    if (this.done) return;
    this.controller.enqueue(chunk);
    const queued = this.queuedBytes();
    if (queued > this.allowance) {
      this.finish(
        frame('error', {
          error: {
            code: 'RATE_LIMITED',
            message:
              `the client fell more than ${this.tuning.maxQueuedBytes} bytes of events behind; ` +
              'reconnect and resume (Last-Event-ID, sinceVersion or since)',
            details: { reason: 'slow_consumer', queuedBytes: queued },
          },
        }),
      );
    }
  }

  /** Close the subscription and stop the pings. */
  private release(): void {
    this.done = true;
    this.subscription?.close();
    clearInterval(this.ping);
    clearTimeout(this.grace);
    this.open.delete(this.stop);
  }

  /** End the stream after what is queued and `last`, if any. */
  private finish(last?: Uint8Array): void {
    if (this.done) return;
    this.release();
    if (last) this.controller.enqueue(last);
    this.controller.close();
    // A client that stopped reading would hold what is queued (and the connection) forever.
    if (this.queuedBytes() > 0) {
      this.grace = setTimeout(() => {
        if (this.queuedBytes() > 0) this.controller.error(new Error('event stream not read'));
      }, this.tuning.slowConsumerGraceMs);
      this.grace.unref();
    }
  }
}

/**
 * Subscribe to state changes and answer them as server-sent events: first `ready`
 * (`{versions, truncated}`), then one event per change (`value`, `delete`, `schema`), with a
 * `: ping` comment every {@link StateEventStreamTuning.pingMs}. Resolves once the subscription
 * is registered, so scope and input failures reject (and become ordinary error answers) before
 * any byte is streamed.
 *
 * The subscription closes when the client goes away (the stream is cancelled), when the engine
 * ends it (a revoked key: an `error` event comes first), when the client falls more than
 * {@link StateEventStreamTuning.maxQueuedBytes} behind (an `error` event with `RATE_LIMITED`), or
 * when {@link closeStateEventStreams} drains the server.
 */
export async function openStateEventStream(options: StateEventStreamOptions): Promise<Response> {
  const { memnex, withIds, call } = options;
  let open = openStreams.get(memnex);
  if (!open) openStreams.set(memnex, (open = new Set()));
  const stream = new EventStream({ ...STATE_STREAM_TUNING, ...options.tuning }, open);
  const subscription = await memnex.state.subscribe(call, stream.listener(withIds));
  const { ready } = subscription;
  stream.start(
    subscription,
    frame('ready', ready, withIds ? readyVersion(ready, call.pattern) : undefined),
  );
  return new Response(stream.body, {
    status: 200,
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // Tells nginx-style proxies not to buffer the stream.
      'x-accel-buffering': 'no',
    },
  });
}

/** The version an exact-key subscription starts from, as the `id:` of its `ready` event. */
function readyVersion(ready: StateReady, key: string): number {
  return ready.versions[key] ?? 0;
}
