import { type MemnexEvent } from '@memnex/core';
import { type SessionContext } from './auth.js';

/** What a subscribed resource follows. */
export type Topic = { kind: 'user'; userId: string } | { kind: 'stats' } | { kind: 'fact-types' };

/** One session's resource subscriptions. */
export interface Subscriptions {
  /** Follow `topic`, notifying with `uri` (as the client wrote it). */
  add(uri: string, topic: Topic): void;
  /** Stop following `uri`; unknown URIs are ignored. */
  remove(uri: string): void;
  /** Drop every subscription and the engine listener. Idempotent. */
  close(): void;
}

function topicKey(topic: Topic): string {
  return topic.kind === 'user' ? `user:${topic.userId}` : topic.kind;
}

/** The topics an engine event changes, for the session's tenant only. */
function topicsOf(event: MemnexEvent, tenantId: string): string[] {
  if (event.tenantId !== tenantId) return [];
  switch (event.type) {
    case 'memory.changed':
    case 'user.forgotten':
      return [`user:${event.externalId}`, 'stats'];
    case 'tenant.changed':
      return ['fact-types'];
    default:
      return [];
  }
}

/**
 * Subscriptions driven by `memnex.events`, which carries changes from every instance. The engine
 * listener exists only while something is subscribed, and `close` removes it.
 */
export function createSubscriptions(
  { memnex, auth, logger }: SessionContext,
  notify: (uri: string) => Promise<void>,
): Subscriptions {
  const urisByTopic = new Map<string, Set<string>>();
  const topicByUri = new Map<string, string>();
  let stop: (() => void) | null = null;

  const onEvent = (event: MemnexEvent) => {
    for (const key of topicsOf(event, auth.tenantId)) {
      for (const uri of urisByTopic.get(key) ?? []) {
        notify(uri).catch((error: unknown) =>
          logger.debug('resource update not delivered', { uri, error }),
        );
      }
    }
  };

  const remove = (uri: string) => {
    const key = topicByUri.get(uri);
    if (key === undefined) return;
    topicByUri.delete(uri);
    const uris = urisByTopic.get(key);
    uris?.delete(uri);
    if (uris?.size === 0) urisByTopic.delete(key);
    if (topicByUri.size === 0) {
      stop?.();
      stop = null;
    }
  };

  return {
    add(uri, topic) {
      remove(uri);
      const key = topicKey(topic);
      topicByUri.set(uri, key);
      const uris = urisByTopic.get(key) ?? new Set<string>();
      uris.add(uri);
      urisByTopic.set(key, uris);
      stop ??= memnex.events.subscribe(onEvent);
    },
    remove,
    close() {
      urisByTopic.clear();
      topicByUri.clear();
      stop?.();
      stop = null;
    },
  };
}
