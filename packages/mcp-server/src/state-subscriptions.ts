import { type StateSubscription } from '@memnex/core';
import { stateCallOf, type SessionContext } from './auth.js';

/** One session's subscriptions to `memnex://state/{key}` resources. */
export interface StateSubscriptions {
  /**
   * Follow `key`, notifying with `uri` (as the client wrote it) on every new value or deletion.
   * Resolves once the engine subscription runs; rejects when the engine refuses it (`FORBIDDEN`
   * for a key the session's scopes do not cover). Subscribing to `uri` again replaces it.
   */
  add(uri: string, key: string): Promise<void>;
  /** Stop following `uri`; unknown URIs are ignored. */
  remove(uri: string): void;
  /** End every engine subscription, starting ones included. Idempotent. */
  close(): void;
}

interface Entry {
  /** False once removed or ended: no more notifications, and a late start is closed at once. */
  active: boolean;
  subscription: StateSubscription | null;
}

/**
 * One engine state subscription per subscribed URI. The engine delivers changes from every
 * instance; a subscription it ends (the key revoked, the engine closing) stops notifying and is
 * logged.
 */
export function createStateSubscriptions(
  { memnex, auth, logger }: SessionContext,
  notify: (uri: string) => Promise<void>,
): StateSubscriptions {
  const entries = new Map<string, Entry>();
  let closed = false;

  const stop = (entry: Entry) => {
    entry.active = false;
    entry.subscription?.close();
  };

  const remove = (uri: string) => {
    const entry = entries.get(uri);
    if (!entry) return;
    entries.delete(uri);
    stop(entry);
  };

  return {
    async add(uri, key) {
      if (closed) return;
      remove(uri);
      const entry: Entry = { active: true, subscription: null };
      entries.set(uri, entry);
      const forget = () => {
        entry.active = false;
        if (entries.get(uri) === entry) entries.delete(uri);
      };
      try {
        entry.subscription = await memnex.state.subscribe(
          { ...stateCallOf(auth), pattern: key, events: ['value', 'delete'] },
          {
            event() {
              if (!entry.active) return;
              notify(uri).catch((error: unknown) =>
                logger.debug('resource update not delivered', { uri, error }),
              );
            },
            end(error) {
              if (!entry.active) return;
              forget();
              if (error) {
                logger.warn('state subscription ended by the engine', {
                  uri,
                  code: error.code,
                  reason: error.message,
                });
              } else logger.info('state subscription ended: the engine closed', { uri });
            },
          },
        );
      } catch (error) {
        forget();
        throw error;
      }
      // Unsubscribed, replaced or closed while the engine was starting it.
      if (!entry.active) entry.subscription.close();
    },
    remove,
    close() {
      closed = true;
      for (const entry of entries.values()) stop(entry);
      entries.clear();
    },
  };
}
