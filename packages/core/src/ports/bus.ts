import type { Lifecycle } from './lifecycle.js';
import type { StateChange } from './state-store.js';

/** What every event says about where it came from. */
interface EventOrigin {
  /**
   * Id of the engine instance that published the event. The publisher has already applied the
   * change to its own caches and skips its own events.
   */
  origin?: string;
}

/** An event crossing instances. */
export type BusEvent = EventOrigin &
  (
    | {
        /** A user's memories changed; caches must drop the user's working set. */
        type: 'memory.changed';
        tenantId: string;
        userId: string;
        externalId: string;
        version: number;
      }
    | {
        /** A user was forgotten; every cache must drop all of the user. */
        type: 'user.forgotten';
        tenantId: string;
        userId: string;
        externalId: string;
        identifierKeys: string[];
      }
    | {
        /** Identifiers or user ids moved between users (merge, unmerge); drop their mappings. */
        type: 'identity.changed';
        tenantId: string;
        identifierKeys: string[];
      }
    | {
        /** A tenant's settings changed. */
        type: 'tenant.changed';
        tenantId: string;
      }
    | {
        /** A shared state key was written or deleted. */
        type: 'state.changed';
        tenantId: string;
        change: StateChange;
      }
    | {
        /** A state schema was registered, replaced or removed. */
        type: 'state.schema';
        tenantId: string;
        pattern: string;
        action: 'set' | 'delete';
        /** The schema set; absent for a removal. */
        schema?: unknown;
        /** The tenant's schema revision after the change. */
        revision: number;
        updatedAt: string;
        updatedBy: string;
      }
    | {
        /**
         * The embedding models of the semantic index changed (a re-embed started, or switched
         * the active model): re-read them. Not about one tenant.
         */
        type: 'embedding.changed';
        tenantId?: undefined;
        /** The revision of the models after the change. */
        revision: number;
      }
  );

/** What a bus can do. */
export interface BusCapabilities {
  /** Events reach other processes. */
  crossInstance: boolean;
}

/** Publish/subscribe between instances. Delivery is at most once; caches must tolerate loss. */
export interface Bus extends Lifecycle {
  readonly capabilities: BusCapabilities;
  /** Publish to every subscriber, on every instance, including this one. */
  publish(event: BusEvent): Promise<void>;
  /** Receive every event; returns a function that stops the subscription. */
  subscribe(handler: (event: BusEvent) => void): () => void;
  /**
   * Called when delivery may have been interrupted (e.g. a reconnect): subscribers must treat
   * their caches as stale. Returns a function that removes the listener.
   */
  onGap(handler: () => void): () => void;
}
