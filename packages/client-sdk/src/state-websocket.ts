import { MemnexError, type StateClientMessage } from '@memnex/core/wire';
import { describeError, errorFromMessage, isRecord } from './response-error.js';
import { MAX_RECONNECT_DELAY_MS, retryDelayMs } from './retry.js';
import {
  asReady,
  asStateEvent,
  connectionError,
  isAuthError,
  isFatalSubscriptionError,
  malformedMessageError,
  type SubscriptionCore,
} from './state-subscription.js';
import type { StateWebSocket, StateWebSocketConstructor } from './types.js';

/** `readyState` of an open socket. */
const OPEN = 1;
/** Close code of a socket whose API key was refused or revoked: never reconnect. */
export const CLOSE_UNAUTHENTICATED = 4401;
/** Close code of a socket the client no longer needs. */
const CLOSE_NORMAL = 1000;

/** Settings of {@link StateSocketHub}. */
export interface StateSocketHubOptions {
  /** Base URL of the REST API, without `/v1`. */
  baseUrl: string;
  /** Sent in the first message, since browsers cannot set headers on a WebSocket. */
  apiKey: string;
  /** The WebSocket class. */
  WebSocket: StateWebSocketConstructor;
  /** Base of the reconnect backoff in milliseconds. */
  retryDelayMs: number;
  /** Time limit for the socket to open. */
  timeoutMs: number;
}

/** One subscription on the socket. */
interface Member {
  core: SubscriptionCore;
  /** Id of its current subscribe on the socket, when one is live. */
  wireId: string | undefined;
  /** Retries of its subscribe after errors of its own, for the backoff. */
  attempt: number;
  retryTimer: ReturnType<typeof setTimeout> | undefined;
}

/** `ws` and `wss` URL of the state socket, from the `http` or `https` base URL. */
export function stateSocketUrl(baseUrl: string): string {
  const url = new URL(`${baseUrl}/v1/state/ws`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/**
 * The one WebSocket of a client, carrying all its subscriptions. It opens with the first
 * subscription and closes with the last; while any is open it reconnects after every loss, with
 * jittered exponential backoff, and subscribes each again from where it left off. Each subscribe
 * gets a fresh id, so messages of an earlier subscribe are never taken for the current one.
 */
export class StateSocketHub {
  private readonly options: StateSocketHubOptions;
  private readonly url: string;
  private readonly members = new Map<SubscriptionCore, Member>();
  private readonly byWireId = new Map<string, Member>();
  private socket: StateWebSocket | undefined;
  private isOpen = false;
  /** Connection attempts since the last `ready`, for the backoff. */
  private attempt = 0;
  private nextId = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: StateSocketHubOptions) {
    this.options = options;
    this.url = stateSocketUrl(options.baseUrl);
  }

  /** Starts a subscription, opening the socket if it is not open or opening. */
  add(core: SubscriptionCore): void {
    if (this.members.has(core)) return;
    const member: Member = { core, wireId: undefined, attempt: 0, retryTimer: undefined };
    this.members.set(core, member);
    if (this.isOpen) this.subscribe(member);
    else if (this.socket === undefined && this.reconnectTimer === undefined) this.connect();
  }

  /** Stops a subscription; the last one closes the socket and clears every timer. */
  remove(core: SubscriptionCore): void {
    const member = this.members.get(core);
    if (member === undefined) return;
    this.members.delete(core);
    clearTimeout(member.retryTimer);
    if (member.wireId !== undefined) {
      this.byWireId.delete(member.wireId);
      this.send({ type: 'unsubscribe', id: member.wireId });
    }
    if (this.members.size === 0) this.shutDown();
  }

  private connect(): void {
    let socket: StateWebSocket;
    try {
      socket = new this.options.WebSocket(this.url);
    } catch (error) {
      this.lost(connectionError(`could not open ${this.url}: ${describeError(error)}`));
      return;
    }
    this.socket = socket;
    // Handlers stay on a socket after it is dropped (the `ws` package throws on an `error` event
    // without a listener); each first checks that its socket is still the current one.
    socket.onopen = () => {
      if (socket === this.socket) this.opened();
    };
    socket.onmessage = (event: { data: unknown }) => {
      if (socket === this.socket) this.received(event.data);
    };
    socket.onclose = (event: { code?: number; reason?: string }) => {
      if (socket === this.socket) this.closed(event.code ?? 1006, event.reason ?? '');
    };
    socket.onerror = () => undefined;
    this.connectTimer = setTimeout(() => {
      if (socket !== this.socket || this.isOpen) return;
      this.dropSocket();
      this.lost(connectionError(`${this.url} did not open within ${this.options.timeoutMs} ms`));
    }, this.options.timeoutMs);
  }

  private opened(): void {
    clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
    this.isOpen = true;
    this.send({ type: 'auth', apiKey: this.options.apiKey });
    for (const member of this.members.values()) {
      clearTimeout(member.retryTimer);
      member.retryTimer = undefined;
      this.subscribe(member);
    }
  }

  private subscribe(member: Member): void {
    this.nextId += 1;
    const id = `s${this.nextId}`;
    member.wireId = id;
    this.byWireId.set(id, member);
    const { core } = member;
    this.send({
      type: 'subscribe',
      id,
      pattern: core.pattern,
      ...core.resumePoint(),
      ...(core.events === undefined ? {} : { events: core.events }),
    });
  }

  private received(data: unknown): void {
    const message = parseMessage(data);
    if (message === undefined) return;
    const member = typeof message.id === 'string' ? this.byWireId.get(message.id) : undefined;
    switch (message.type) {
      case 'ready': {
        if (member === undefined) return;
        const ready = asReady(message);
        if (ready === undefined) {
          member.core.report(malformedMessageError('ready message'), false);
          return;
        }
        this.attempt = 0;
        member.attempt = 0;
        member.core.acceptReady(ready);
        return;
      }
      case 'event': {
        if (member === undefined) return;
        const event = asStateEvent(message.event);
        if (event === undefined) member.core.report(malformedMessageError('event'), false);
        else member.core.acceptEvent(event);
        return;
      }
      case 'error':
        this.serverError(message, member);
        return;
      default:
        // A message type of a newer server.
        return;
    }
  }

  private serverError(message: Record<string, unknown>, member: Member | undefined): void {
    const error = errorFromMessage(message.error) ?? malformedMessageError('error message');
    if (message.id === undefined) {
      // About the socket itself. A refused key ends every subscription now; anything else is
      // reported, and a close, if one follows, reconnects.
      if (isAuthError(error)) this.failAll(error);
      else for (const other of [...this.members.values()]) other.core.report(error, false);
      return;
    }
    if (member === undefined) return;
    // The server has ended this subscribe.
    if (member.wireId !== undefined) this.byWireId.delete(member.wireId);
    member.wireId = undefined;
    if (isFatalSubscriptionError(error)) {
      member.core.fail(error);
      return;
    }
    member.core.report(error, false);
    const delay = this.delay(member.attempt);
    member.attempt += 1;
    member.retryTimer = setTimeout(() => {
      member.retryTimer = undefined;
      if (this.isOpen && this.members.get(member.core) === member) this.subscribe(member);
    }, delay);
  }

  private closed(code: number, reason: string): void {
    this.dropSocket();
    if (code === CLOSE_UNAUTHENTICATED) {
      const message = reason === '' ? 'the API key was refused or revoked' : reason;
      this.failAll(
        new MemnexError({ code: 'UNAUTHENTICATED', message, details: { closeCode: code } }),
      );
      return;
    }
    const suffix = reason === '' ? '' : `: ${reason}`;
    this.lost(
      connectionError(`the state socket closed with code ${code}${suffix}; reconnecting`, {
        closeCode: code,
        reason,
      }),
    );
  }

  /** Reports a lost or failed connection to every subscription and schedules the next one. */
  private lost(error: MemnexError): void {
    for (const member of [...this.members.values()]) member.core.report(error, false);
    if (this.members.size === 0 || this.reconnectTimer !== undefined) return;
    const delay = this.delay(this.attempt);
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.members.size > 0 && this.socket === undefined) this.connect();
    }, delay);
  }

  private failAll(error: MemnexError): void {
    for (const member of [...this.members.values()]) member.core.fail(error);
    // Each fail removed its member; the last removal shut the socket down.
    this.shutDown();
  }

  /** Forgets the current socket and the subscribes on it, leaving the members. */
  private dropSocket(): StateWebSocket | undefined {
    const socket = this.socket;
    this.socket = undefined;
    this.isOpen = false;
    clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
    this.byWireId.clear();
    for (const member of this.members.values()) {
      member.wireId = undefined;
      clearTimeout(member.retryTimer);
      member.retryTimer = undefined;
    }
    if (socket !== undefined && socket.readyState !== 3) {
      try {
        socket.close(CLOSE_NORMAL);
      } catch {
        // Closing a socket that is already failing may throw; it is gone either way.
      }
    }
    return socket;
  }

  private shutDown(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.attempt = 0;
    this.dropSocket();
  }

  private delay(attempt: number): number {
    return retryDelayMs({
      attempt,
      baseDelayMs: this.options.retryDelayMs,
      maxDelayMs: MAX_RECONNECT_DELAY_MS,
    });
  }

  private send(message: StateClientMessage): void {
    const socket = this.socket;
    if (socket === undefined || socket.readyState !== OPEN) return;
    try {
      socket.send(JSON.stringify(message));
    } catch {
      // The socket is closing; its close event reconnects.
    }
  }
}

interface ParsedMessage extends Record<string, unknown> {
  type: string;
  id?: unknown;
}

function parseMessage(data: unknown): ParsedMessage | undefined {
  let text: string;
  if (typeof data === 'string') text = data;
  // The server sends text frames; a binary one is read as UTF-8 all the same.
  else if (data instanceof ArrayBuffer || data instanceof Uint8Array) {
    text = new TextDecoder().decode(data);
  } else return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || typeof parsed.type !== 'string') return undefined;
  return parsed as ParsedMessage;
}
