import { MemnexError } from '@memnex/core/wire';
import { describeError, errorFromMessage, isRecord, responseFailure } from './response-error.js';
import { MAX_RECONNECT_DELAY_MS, retryDelayMs, sleep } from './retry.js';
import {
  asReady,
  asStateEvent,
  connectionError,
  isFatalSubscriptionError,
  isStateEventKind,
  malformedMessageError,
  type SinceBudget,
  type SubscriptionCore,
} from './state-subscription.js';

/** One event of a `text/event-stream`. */
export interface ServerSentEvent {
  /** The `event:` field; `message` when absent. */
  event: string;
  /** The `data:` lines, joined with `\n`. */
  data: string;
}

/**
 * Parser of a `text/event-stream` fed in arbitrary pieces, as the HTML standard describes it:
 * lines end with CRLF, LF or CR (a CRLF may be split between pieces), lines starting with `:` are
 * comments, one space after a field's colon is dropped, `data:` lines accumulate, and a blank line
 * dispatches the event unless it has no data. An event the stream ends in the middle of is dropped.
 */
export class ServerSentEventParser {
  private readonly onEvent: (event: ServerSentEvent) => void;
  private buffer = '';
  private eventName = '';
  private data: string[] = [];
  private skipLineFeed = false;
  private atStart = true;

  constructor(onEvent: (event: ServerSentEvent) => void) {
    this.onEvent = onEvent;
  }

  /** Feeds the next piece of decoded text. */
  push(piece: string): void {
    let text = piece;
    if (text === '') return;
    if (this.atStart) {
      this.atStart = false;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    if (this.skipLineFeed) {
      this.skipLineFeed = false;
      if (text.startsWith('\n')) text = text.slice(1);
    }
    const buffer = this.buffer + text;
    let start = 0;
    for (let index = 0; index < buffer.length; index += 1) {
      const char = buffer[index];
      if (char !== '\n' && char !== '\r') continue;
      this.line(buffer.slice(start, index));
      if (char === '\r') {
        if (index + 1 === buffer.length) this.skipLineFeed = true;
        else if (buffer[index + 1] === '\n') index += 1;
      }
      start = index + 1;
    }
    this.buffer = buffer.slice(start);
  }

  /** Marks the end of the stream, dropping an unfinished event. */
  end(): void {
    this.buffer = '';
    this.eventName = '';
    this.data = [];
    this.skipLineFeed = false;
  }

  private line(line: string): void {
    if (line === '') {
      const data = this.data;
      const eventName = this.eventName;
      this.data = [];
      this.eventName = '';
      if (data.length > 0) this.onEvent({ event: eventName || 'message', data: data.join('\n') });
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.eventName = value;
    else if (field === 'data') this.data.push(value);
    // `id` and `retry` are not used: resuming goes by versions, and the backoff is the client's.
  }
}

/**
 * Most characters the `since` parameter may take in the URL of an event stream. Proxies and
 * servers often refuse request lines beyond 8 KiB, so a `since` map that does not fit keeps the
 * keys with the highest versions and leaves the rest to `sinceVersion: 0` and the duplicate guard.
 */
export const SSE_SINCE_MAX_CHARS = 6_000;

/**
 * Longest silence of an open event stream before the client takes the connection for dead and
 * reconnects. The server sends a `: ping` comment every 15 s, so this is four missed pings.
 */
export const SSE_IDLE_TIMEOUT_MS = 60_000;

/** Settings of {@link SseSubscription}. */
export interface SseSubscriptionOptions {
  /** Base URL of the REST API, without `/v1`. */
  baseUrl: string;
  /** Headers of every request: auth, channel, client version, the caller's extras. */
  headers: Headers;
  /** The fetch implementation. */
  fetch: typeof globalThis.fetch;
  /** Base of the reconnect backoff in milliseconds. */
  retryDelayMs: number;
  /** Time limit for the response headers of each stream. */
  timeoutMs: number;
}

/** How one stream ended. */
interface StreamEnd {
  error: MemnexError;
  retryAfterMs?: number;
}

/** The budget of a `since` map in a query string: each key costs its form-encoded length. */
const URL_SINCE_BUDGET: SinceBudget = {
  maxCost: SSE_SINCE_MAX_CHARS,
  cost: (key, version) => formEncodedLength(JSON.stringify(key)) + String(version).length + 6,
};

/**
 * A subscription over server-sent events: one `GET /v1/state/events` stream, opened again after
 * every loss with jittered exponential backoff, from where it left off.
 */
export class SseSubscription {
  private readonly core: SubscriptionCore;
  private readonly options: SseSubscriptionOptions;
  private readonly stopper = new AbortController();
  /** Streams opened since the last `ready`, for the backoff. */
  private attempt = 0;

  constructor(core: SubscriptionCore, options: SseSubscriptionOptions) {
    this.core = core;
    this.options = options;
  }

  /** Opens the stream and keeps it open until {@link close} or a fatal error. */
  start(): void {
    void this.run();
  }

  /** Aborts the stream and any wait before the next one. */
  close(): void {
    this.stopper.abort();
  }

  private get stopped(): boolean {
    return this.stopper.signal.aborted || this.core.closed;
  }

  private async run(): Promise<void> {
    try {
      while (!this.stopped) {
        const end = await this.stream();
        if (this.stopped) return;
        if (isFatalSubscriptionError(end.error)) {
          this.core.fail(end.error);
          return;
        }
        this.core.report(end.error, false);
        const delay = retryDelayMs({
          attempt: this.attempt,
          baseDelayMs: this.options.retryDelayMs,
          retryAfterMs: end.retryAfterMs,
          maxDelayMs: MAX_RECONNECT_DELAY_MS,
        });
        this.attempt += 1;
        await sleep(delay, this.stopper.signal);
      }
    } catch (error) {
      if (this.stopped) return;
      // Not expected: every failure of a stream is turned into a StreamEnd.
      this.core.fail(
        new MemnexError({
          code: 'INTERNAL',
          message: `the event stream failed: ${describeError(error)}`,
          cause: error,
        }),
      );
    }
  }

  /** Opens one stream and reads it to its end. */
  private async stream(): Promise<StreamEnd> {
    const url = this.url();
    const controller = new AbortController();
    const forwardStop = () => controller.abort(this.stopper.signal.reason);
    this.stopper.signal.addEventListener('abort', forwardStop, { once: true });
    /** Why the client cut the request itself, if it did. */
    let cut: MemnexError | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const cutAfter = (milliseconds: number, reason: string) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        cut = connectionError(reason);
        controller.abort();
      }, milliseconds);
    };
    try {
      cutAfter(
        this.options.timeoutMs,
        `GET /v1/state/events did not answer within ${this.options.timeoutMs} ms`,
      );
      const headers = new Headers(this.options.headers);
      headers.set('accept', 'text/event-stream');
      let response: Response;
      try {
        response = await this.options.fetch(url, {
          method: 'GET',
          headers,
          signal: controller.signal,
        });
      } catch (error) {
        return { error: cut ?? this.fetchError(error) };
      }
      if (!response.ok) {
        return responseFailure(response, await response.text().catch(() => ''));
      }
      const contentType = response.headers.get('content-type') ?? '';
      if (!contentType.includes('text/event-stream') || response.body === null) {
        await response.body?.cancel().catch(() => undefined);
        return {
          error: new MemnexError({
            code: 'INTERNAL',
            message: `GET /v1/state/events answered ${contentType || 'no content type'}, not an event stream`,
            status: response.status,
          }),
        };
      }
      // From here on the stream may stay open for hours; only silence cuts it.
      const idle = () =>
        cutAfter(
          SSE_IDLE_TIMEOUT_MS,
          `the event stream sent nothing for ${SSE_IDLE_TIMEOUT_MS} ms`,
        );
      idle();
      const end = await this.read(response.body, idle);
      return cut === undefined ? end : { error: cut };
    } finally {
      clearTimeout(timer);
      this.stopper.signal.removeEventListener('abort', forwardStop);
    }
  }

  private async read(body: ReadableStream<Uint8Array>, onData: () => void): Promise<StreamEnd> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let serverError: MemnexError | undefined;
    const parser = new ServerSentEventParser((event) => {
      if (serverError === undefined && !this.stopped) serverError = this.dispatch(event);
    });
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        onData();
        parser.push(decoder.decode(value, { stream: true }));
        if (serverError !== undefined || this.stopped) break;
      }
    } catch (error) {
      return { error: connectionError(`the event stream broke: ${describeError(error)}`) };
    } finally {
      parser.end();
      reader.cancel().catch(() => undefined);
    }
    return { error: serverError ?? connectionError('the event stream ended; reconnecting') };
  }

  /** Handles one event of the stream; returns the error of an `error` event. */
  private dispatch(event: ServerSentEvent): MemnexError | undefined {
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      if (event.event === 'error') return malformedMessageError('error event');
      if (event.event === 'ready' || isStateEventKind(event.event)) {
        this.core.report(malformedMessageError(`${event.event} event`), false);
      }
      return undefined;
    }
    if (event.event === 'ready') {
      const ready = asReady(data);
      if (ready === undefined) this.core.report(malformedMessageError('ready event'), false);
      else {
        this.attempt = 0;
        this.core.acceptReady(ready);
      }
    } else if (isStateEventKind(event.event)) {
      const stateEvent = asStateEvent(data);
      if (stateEvent === undefined) this.core.report(malformedMessageError('event'), false);
      else this.core.acceptEvent(stateEvent);
    } else if (event.event === 'error') {
      return (
        (isRecord(data) ? errorFromMessage(data.error) : undefined) ??
        malformedMessageError('error event')
      );
    }
    return undefined;
  }

  private url(): string {
    const core = this.core;
    const { sinceVersion, since } = core.resumePoint(URL_SINCE_BUDGET);
    const search = new URLSearchParams({ pattern: core.pattern });
    if (sinceVersion !== undefined) search.set('sinceVersion', String(sinceVersion));
    if (since !== undefined) search.set('since', JSON.stringify(since));
    if (core.events !== undefined) search.set('events', core.events.join(','));
    return `${this.options.baseUrl}/v1/state/events?${search.toString()}`;
  }

  private fetchError(error: unknown): MemnexError {
    return new MemnexError({
      code: 'NETWORK_ERROR',
      message: `GET /v1/state/events could not reach ${this.options.baseUrl}: ${describeError(error)}`,
      cause: error,
    });
  }
}

/** Length of a string in `application/x-www-form-urlencoded`, as URLSearchParams writes it. */
function formEncodedLength(text: string): number {
  const encoded = encodeURIComponent(text);
  // encodeURIComponent leaves ! ' ( ) ~ as they are; form encoding escapes them.
  return encoded.length + 2 * (encoded.match(/[!'()~]/g)?.length ?? 0);
}
