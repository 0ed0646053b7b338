import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { MemnexError, parseInput, type StateSubscription } from '@memnex/core';
import {
  stateClientMessageSchema,
  type StateEvent,
  type StateServerMessage,
} from '@memnex/core/wire';
import type { RawData } from 'ws';
import { authenticate } from './auth.js';
import { stateCallOf, type Caller } from './caller.js';
import { socketFailure, type SocketContext, type SocketPeer } from './state-socket-peer.js';
import { headerOf } from './http-request.js';

/** One subscription of a socket, from its `subscribe` message until it ends. */
interface Subscription {
  id: string;
  /** The engine's subscription, once it started. */
  handle: StateSubscription | null;
  /** `ready` was sent: events go out as they come. */
  live: boolean;
  /** Unsubscribed, ended, or its socket closed. */
  done: boolean;
  /** Events that arrived before `ready` was sent. */
  early: StateEvent[];
}

type ErrorBody = Extract<StateServerMessage, { type: 'error' }>['error'];

const MESSAGE_TYPES = new Set(['auth', 'subscribe', 'unsubscribe']);
/** Messages kept while the key of the upgrade is being verified; more close the socket. */
const MAX_QUEUED = 200;

/**
 * `GET /v1/state/ws`: accept the upgrade, authenticate (key on the upgrade, else a first
 * `{"type":"auth"}` message), then serve `subscribe` / `unsubscribe` until the socket closes.
 */
export function startStateSession(
  context: SocketContext,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  const peer = context.accept(request, socket, head, 'memnex');
  if (peer) new StateSession(context, peer, request).start();
}

class StateSession {
  private caller: Caller | null = null;
  private authenticating = false;
  private readonly queued: Array<{ data: RawData; binary: boolean }> = [];
  private readonly subscriptions = new Map<string, Subscription>();
  private authTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly context: SocketContext,
    private readonly peer: SocketPeer,
    private readonly request: IncomingMessage,
  ) {}

  start(): void {
    const { peer } = this;
    peer.ws.on('message', (data, binary) => this.receive(data, binary));
    peer.onClose(() => {
      clearTimeout(this.authTimer);
      clearTimeout(this.expiryTimer);
      for (const subscription of this.subscriptions.values()) this.drop(subscription);
      this.subscriptions.clear();
    });
    const header = (name: string) => headerOf(this.request, name);
    if (header('authorization') || header('x-api-key')) {
      this.login(header);
      return;
    }
    // A key always wins; without one, the web console's session cookie may authenticate.
    const { sessions } = this.context;
    if (sessions?.present(this.request)) {
      this.startLogin(() => sessions.authenticate(this.request));
      return;
    }
    const seconds = this.context.limits.authTimeoutMs / 1000;
    this.authTimer = setTimeout(
      () => peer.close(4401, `no {"type":"auth"} message within ${seconds} s`),
      this.context.limits.authTimeoutMs,
    );
    this.authTimer.unref();
  }

  private receive(data: RawData, binary: boolean): void {
    if (this.peer.closing) return;
    if (this.authenticating) {
      if (this.queued.length >= MAX_QUEUED) {
        this.peer.close(1008, 'too many messages before authentication');
        return;
      }
      this.queued.push({ data, binary });
      return;
    }
    const decoded = decode(data, binary);
    if (!this.caller) {
      const auth = decoded.ok ? asAuth(decoded.value) : null;
      if (auth === null) {
        this.peer.close(4401, 'authenticate first: {"type":"auth","apiKey":"..."}');
        return;
      }
      clearTimeout(this.authTimer);
      this.login((name) => (name === 'x-api-key' ? auth : undefined));
      return;
    }
    if (!decoded.ok) {
      this.fail(undefined, invalid(decoded.error, 'invalid_json'));
      return;
    }
    this.handle(decoded.value);
  }

  private login(header: (name: string) => string | undefined): void {
    // The channel header means nothing here; a bad one must not refuse the socket.
    this.startLogin(() =>
      authenticate(this.context.memnex, (name) =>
        name === 'x-memnex-channel' ? undefined : header(name),
      ),
    );
  }

  private startLogin(authenticateCaller: () => Promise<Caller>): void {
    const { context, peer } = this;
    this.authenticating = true;
    const work = (async () => {
      try {
        const caller = await authenticateCaller();
        const wait = peer.closing ? null : await context.consume(caller.keyId);
        if (peer.closing) return;
        if (wait !== null) {
          peer.close(4429, `rate limited; retry in ${wait} s`);
          return;
        }
        this.caller = caller;
        if (caller.expiresAt !== undefined) this.closeAt(caller.expiresAt);
      } catch (error) {
        if (!peer.closing) peer.close(...socketFailure(error, context.logger));
        return;
      } finally {
        this.authenticating = false;
      }
      for (const { data, binary } of this.queued.splice(0)) this.receive(data, binary);
    })();
    context.track(work);
  }

  /** Close the socket when the caller's credentials lapse (a console session's expiry). */
  private closeAt(expiresAt: number): void {
    const delay = Math.min(Math.max(expiresAt - Date.now(), 0), 2_147_483_647);
    this.expiryTimer = setTimeout(() => this.peer.close(4401, 'the session expired'), delay);
    this.expiryTimer.unref();
  }

  private handle(value: unknown): void {
    const id = idOf(value);
    const type = (value as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !MESSAGE_TYPES.has(type)) {
      this.fail(
        id,
        invalid(
          `unknown message type ${JSON.stringify(type ?? null)}: send subscribe or unsubscribe`,
          'invalid_union_discriminator',
        ),
      );
      return;
    }
    let message;
    try {
      message = parseInput(stateClientMessageSchema, value);
    } catch (error) {
      this.fail(id, error);
      return;
    }
    if (message.type === 'auth') {
      this.fail(
        undefined,
        invalid('this socket is already authenticated', 'already_authenticated'),
      );
    } else if (message.type === 'unsubscribe') {
      this.unsubscribe(message.id);
    } else {
      const { type: _type, id: subscriptionId, ...options } = message;
      this.subscribe(subscriptionId, options);
    }
  }

  private subscribe(
    id: string,
    options: {
      pattern: string;
      sinceVersion?: number;
      since?: Record<string, number>;
      events?: Array<'value' | 'delete' | 'schema'>;
    },
  ): void {
    const { context, peer } = this;
    const caller = this.caller!;
    if (this.subscriptions.has(id)) {
      this.fail(
        id,
        new MemnexError({
          code: 'CONFLICT',
          message: `subscription id ${JSON.stringify(id)} is already in use on this socket`,
        }),
      );
      return;
    }
    const max = context.limits.maxSubscriptions;
    if (this.subscriptions.size >= max) {
      this.fail(
        id,
        new MemnexError({
          code: 'RATE_LIMITED',
          message: `at most ${max} subscriptions per socket; unsubscribe or open another socket`,
          details: { maxSubscriptions: max },
        }),
      );
      return;
    }
    const subscription: Subscription = { id, handle: null, live: false, done: false, early: [] };
    this.subscriptions.set(id, subscription);
    const work = (async () => {
      try {
        const wait = await context.consume(caller.keyId);
        if (wait !== null) {
          throw new MemnexError({
            code: 'RATE_LIMITED',
            message: `this key made too many requests; retry in ${wait} s`,
            details: { retryAfterSeconds: wait },
          });
        }
        if (subscription.done) return;
        // The engine re-checks the caller's key when the tenant's keys change, and ends the
        // subscription once it is revoked.
        const handle = await context.memnex.state.subscribe(
          { ...options, ...stateCallOf(caller) },
          {
            event: (event) => {
              if (subscription.done) return;
              if (subscription.live) this.sendEvent(id, event);
              else subscription.early.push(event);
            },
            end: (error) => this.ended(subscription, error),
          },
        );
        subscription.handle = handle;
        if (subscription.done || peer.closing) {
          handle.close();
          return;
        }
        peer.send({ type: 'ready', id, ...handle.ready } satisfies StateServerMessage);
        subscription.live = true;
        for (const event of subscription.early.splice(0)) this.sendEvent(id, event);
      } catch (error) {
        if (subscription.done) return;
        this.forget(subscription);
        this.fail(id, error);
      }
    })();
    context.track(work);
  }

  private unsubscribe(id: string): void {
    const subscription = this.subscriptions.get(id);
    if (!subscription) {
      this.fail(
        id,
        new MemnexError({
          code: 'NOT_FOUND',
          message: `no subscription ${JSON.stringify(id)} on this socket`,
        }),
      );
      return;
    }
    this.forget(subscription);
  }

  /** The engine ended a subscription: its key was revoked, or the engine is closing. */
  private ended(subscription: Subscription, error: MemnexError | null): void {
    if (subscription.done) return;
    this.forget(subscription);
    if (error === null) {
      this.peer.close(1001, 'server shutting down');
      return;
    }
    this.fail(subscription.id, error);
    // A revoked key can do nothing more on this socket.
    if (error.code === 'UNAUTHENTICATED') this.peer.close(4401, error.message);
  }

  private forget(subscription: Subscription): void {
    if (this.subscriptions.get(subscription.id) === subscription) {
      this.subscriptions.delete(subscription.id);
    }
    this.drop(subscription);
  }

  private drop(subscription: Subscription): void {
    subscription.done = true;
    subscription.early.length = 0;
    subscription.handle?.close();
  }

  private sendEvent(id: string, event: StateEvent): void {
    this.peer.send({ type: 'event', id, event } satisfies StateServerMessage, true);
  }

  private fail(id: string | undefined, error: unknown): void {
    let body: ErrorBody;
    if (MemnexError.isInstance(error)) body = error.toJSON();
    else {
      this.context.logger.error('state socket message failed', { error });
      body = { code: 'INTERNAL', message: 'internal error' };
    }
    this.peer.send({
      type: 'error',
      ...(id === undefined ? {} : { id }),
      error: body,
    } satisfies StateServerMessage);
  }
}

function decode(
  data: RawData,
  binary: boolean,
): { ok: true; value: unknown } | { ok: false; error: string } {
  if (binary) return { ok: false, error: 'send JSON in text frames, not binary ones' };
  const bytes = Buffer.isBuffer(data)
    ? data
    : Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.from(data);
  const text = bytes.toString('utf8');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: 'the message is not valid JSON' };
  }
}

/** The key of a well-formed `{"type":"auth","apiKey"}` message, else null. */
function asAuth(value: unknown): string | null {
  const parsed = stateClientMessageSchema.safeParse(value);
  return parsed.success && parsed.data.type === 'auth' ? parsed.data.apiKey : null;
}

/** The `id` of a message, to name the subscription an error is about. */
function idOf(value: unknown): string | undefined {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : undefined;
}

function invalid(message: string, code: string): MemnexError {
  return MemnexError.validation([{ path: '', message, code }], message);
}
