import type { RecordedRequest } from './fake-fetch.js';

/** A `text/event-stream` response the test writes to piece by piece. */
export interface FakeEventStream {
  /** The response to answer the request with. */
  response: Response;
  /** Sends raw text (any piece of the stream, not necessarily whole lines). */
  write(text: string): void;
  /** Sends raw bytes. */
  writeBytes(bytes: Uint8Array): void;
  /** Sends one whole event. */
  event(name: string, data: unknown): void;
  /** Ends the stream cleanly. */
  end(): void;
  /** Breaks the stream, like a dropped connection. */
  fail(error?: Error): void;
  /** Whether the client aborted or cancelled the stream. */
  readonly cancelled: boolean;
}

/** Opens an event stream for a recorded request; aborting the request's signal breaks it. */
export function createFakeEventStream(request?: RecordedRequest): FakeEventStream {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let finished = false;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
    },
    cancel() {
      cancelled = true;
      finished = true;
    },
  });
  const signal = request?.signal;
  signal?.addEventListener(
    'abort',
    () => {
      cancelled = true;
      if (finished) return;
      finished = true;
      controller.error(signal.reason);
    },
    { once: true },
  );
  const writeBytes = (bytes: Uint8Array) => {
    if (!finished) controller.enqueue(bytes);
  };
  const write = (text: string) => writeBytes(encoder.encode(text));
  return {
    response: new Response(body, {
      status: 200,
      headers: { 'content-type': 'text/event-stream; charset=utf-8' },
    }),
    write,
    writeBytes,
    event(name, data) {
      write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    end() {
      if (finished) return;
      finished = true;
      controller.close();
    },
    fail(error = new TypeError('terminated')) {
      if (finished) return;
      finished = true;
      controller.error(error);
    },
    get cancelled() {
      return cancelled;
    },
  };
}
