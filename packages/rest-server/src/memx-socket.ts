import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { MemnexError, type StateSubscription } from '@memnex/core';
import { stateKeySchema, type StateEvent } from '@memnex/core/wire';
import { callerOf } from './auth.js';
import { stateCallOf, type Caller } from './caller.js';
import { memxKeyOf, memxTs } from './memx-auth.js';
import {
  refuseUpgrade,
  socketFailure,
  type SocketContext,
  type SocketPeer,
} from './state-socket-peer.js';
import { headerOf } from './http-request.js';

/** Path prefix of memX's subscription socket. */
export const MEMX_SUBSCRIBE_PREFIX = '/subscribe/';

/** A message of memX's subscription socket, with Memnex's `version` and `ts` added to values. */
export type MemxSocketMessage =
  | { event: 'value'; key: string; value: unknown; version: number; ts: number }
  | { event: 'value'; key: string; value: null; deleted: true; version: number; ts: number }
  | { event: 'schema'; action: 'set'; key: string; schema: unknown }
  | { event: 'schema'; action: 'delete'; key: string };

/** A Memnex state event as memX's subscribers expect it. */
export function toMemxMessage(event: StateEvent): MemxSocketMessage {
  switch (event.event) {
    case 'value':
      return {
        event: 'value',
        key: event.key,
        value: event.value,
        version: event.version,
        ts: memxTs(event.updatedAt),
      };
    case 'delete':
      return {
        event: 'value',
        key: event.key,
        value: null,
        deleted: true,
        version: event.version,
        ts: memxTs(event.updatedAt),
      };
    case 'schema':
      return event.action === 'set'
        ? { event: 'schema', action: 'set', key: event.key, schema: event.schema }
        : { event: 'schema', action: 'delete', key: event.key };
  }
}

/**
 * memX's `GET /subscribe/{key}?event=value|schema`. The key and the subscription are checked
 * before the handshake completes, so once the socket is open every later change is delivered;
 * failures still complete the handshake and then close with memX's codes (4401 missing key, 4403
 * invalid key or no read scope) or 4400 (bad key or `event`).
 */
export function startMemxSession(
  context: SocketContext,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  path: string,
): void {
  context.track(runMemxSession(context, request, socket, head, path));
}

async function runMemxSession(
  context: SocketContext,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  path: string,
): Promise<void> {
  let gone = false;
  const onGone = () => void (gone = true);
  socket.once('close', onGone);
  socket.on('error', () => socket.destroy());
  /** Whether to stop: the client left, or the server is shutting down. */
  const stop = () => {
    if (context.closing && !gone) refuseUpgrade(socket, 503, 'Service Unavailable');
    return gone || context.closing;
  };
  const refuse = (code: number, reason: string) => {
    socket.off('close', onGone);
    context.accept(request, socket, head, 'memx')?.close(code, reason);
  };

  const raw = memxKeyOf((name) => headerOf(request, name));
  if (raw === null) return refuse(4401, 'Missing API key');
  let caller: Caller;
  try {
    caller = callerOf(await context.memnex.keys.verify({ key: raw }));
    if (stop()) return;
    const wait = await context.consume(caller.keyId);
    if (stop()) return;
    if (wait !== null) return refuse(4429, `rate limited; retry in ${wait} s`);
  } catch (error) {
    if (stop()) return;
    return refuse(...socketFailure(error, context.logger, [4403, 'Invalid API key']));
  }

  const url = new URL(request.url ?? '/', 'http://localhost');
  const event = url.searchParams.get('event') ?? 'value';
  if (event !== 'value' && event !== 'schema') {
    return refuse(4400, `unknown event ${JSON.stringify(event)}: use value or schema`);
  }
  let stateKey: string;
  try {
    stateKey = decodeURIComponent(path.slice(MEMX_SUBSCRIBE_PREFIX.length));
  } catch {
    return refuse(4400, 'the key is not valid percent-encoding');
  }
  if (!stateKeySchema.safeParse(stateKey).success) {
    return refuse(4400, 'invalid key: 1-512 letters, digits and _ : / . - @ + = ~ # ! $ % &');
  }

  let peer: SocketPeer | null = null;
  const early: object[] = [];
  let endedEarly: MemnexError | null | undefined;
  let handle: StateSubscription;
  const end = (error: MemnexError | null) => {
    // A revoked key gets what it would get on reconnecting: memX's "invalid key".
    if (error?.code === 'UNAUTHENTICATED') peer!.close(4403, 'Invalid API key');
    else if (error === null) peer!.close(1001, 'server shutting down');
    else peer!.close(...socketFailure(error, context.logger));
  };
  try {
    handle = await context.memnex.state.subscribe(
      {
        pattern: stateKey,
        events: event === 'value' ? ['value', 'delete'] : ['schema'],
        ...stateCallOf(caller),
      },
      {
        event: (change) => {
          const message = toMemxMessage(change);
          if (peer) peer.send(message, true);
          else early.push(message);
        },
        end: (error) => {
          if (peer) end(error);
          else endedEarly = error;
        },
      },
    );
  } catch (error) {
    if (stop()) return;
    if (MemnexError.isInstance(error) && error.code === 'FORBIDDEN') {
      return refuse(4403, 'Unauthorized to subscribe to this key');
    }
    if (MemnexError.isInstance(error) && error.code === 'VALIDATION_FAILED') {
      return refuse(4400, error.message);
    }
    return refuse(...socketFailure(error, context.logger, [4403, 'Invalid API key']));
  }
  if (stop()) {
    handle.close();
    return;
  }
  socket.off('close', onGone);
  peer = context.accept(request, socket, head, 'memx');
  if (!peer) {
    handle.close();
    return;
  }
  peer.onClose(() => handle.close());
  if (endedEarly !== undefined) {
    end(endedEarly);
    return;
  }
  for (const message of early.splice(0)) peer.send(message, true);
}
