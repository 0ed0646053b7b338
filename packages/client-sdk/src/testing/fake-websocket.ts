import type { StateWebSocket, StateWebSocketConstructor } from '../types.js';

/** One socket the client opened, driven by the test as if it were the server. */
export interface FakeSocket extends StateWebSocket {
  /** The URL the client opened. */
  readonly url: string;
  /** Every message the client sent, parsed. */
  readonly sent: Array<Record<string, unknown>>;
  /** Code and reason of the client's `close()`, once it called it. */
  readonly closedByClient: { code: number | undefined; reason: string | undefined } | undefined;
  /** Completes the opening handshake. */
  accept(): void;
  /** Sends a message as JSON to the client. */
  deliver(message: unknown): void;
  /** Closes the socket from the server's side. */
  drop(code: number, reason?: string): void;
  /** The messages the client sent of one `type`. */
  sentOfType(type: string): Array<Record<string, unknown>>;
}

/** A WebSocket class to pass as the client's `WebSocket`, and every socket made from it. */
export interface FakeWebSocketClass {
  WebSocket: StateWebSocketConstructor;
  sockets: FakeSocket[];
  /** The latest socket; throws when there is none. */
  last(): FakeSocket;
}

/** Makes a WebSocket stand-in: sockets open only when the test calls `accept()`. */
export function createFakeWebSocketClass(): FakeWebSocketClass {
  const sockets: FakeSocket[] = [];

  class FakeWebSocket implements FakeSocket {
    readyState = 0;
    onopen: ((event: never) => void) | null = null;
    onmessage: ((event: never) => void) | null = null;
    onclose: ((event: never) => void) | null = null;
    onerror: ((event: never) => void) | null = null;
    readonly sent: Array<Record<string, unknown>> = [];
    closedByClient: { code: number | undefined; reason: string | undefined } | undefined;
    readonly url: string;

    constructor(url: string) {
      this.url = url;
      sockets.push(this);
    }

    send(data: string): void {
      if (this.readyState !== 1) throw new Error('send on a socket that is not open');
      this.sent.push(JSON.parse(data) as Record<string, unknown>);
    }

    close(code?: number, reason?: string): void {
      if (this.readyState === 3) return;
      this.closedByClient = { code, reason };
      this.readyState = 3;
      // Like a real socket, the close event comes later.
      queueMicrotask(() => this.fire('onclose', { code: code ?? 1005, reason: reason ?? '' }));
    }

    accept(): void {
      this.readyState = 1;
      this.fire('onopen', {});
    }

    deliver(message: unknown): void {
      this.fire('onmessage', { data: JSON.stringify(message) });
    }

    drop(code: number, reason = ''): void {
      if (this.readyState === 3) return;
      this.readyState = 3;
      this.fire('onclose', { code, reason });
    }

    sentOfType(type: string): Array<Record<string, unknown>> {
      return this.sent.filter((message) => message.type === type);
    }

    private fire(name: 'onopen' | 'onmessage' | 'onclose' | 'onerror', event: object): void {
      const listener = this[name] as ((event: object) => void) | null;
      listener?.(event);
    }
  }

  return {
    WebSocket: FakeWebSocket,
    sockets,
    last() {
      const socket = sockets.at(-1);
      if (socket === undefined) throw new Error('no socket was opened');
      return socket;
    },
  };
}
