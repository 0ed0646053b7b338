import type { MemoryRecord } from '../model.js';
import type { Channel } from '../wire/common.js';
import type { Lifecycle } from './lifecycle.js';

/** What a hot store can do. */
export interface HotStoreCapabilities {
  /** Entries are visible to other processes (e.g. Redis). */
  shared: boolean;
}

/** A user's cached current memories, tagged with the cache generation they were read at. */
export interface WorkingSet {
  /** The user's warm version the memories were read at. */
  version: number;
  /** The user's current facts. */
  memories: MemoryRecord[];
  /** The channel and time of the user's most recent memory of any kind. */
  lastSeen: { channel: Channel | null; at: string } | null;
}

/**
 * Per-user working-set cache, identifier cache and the cache-generation clock. Everything in it
 * can be lost at any time; the engine falls back to the warm store.
 */
export interface HotStore extends Lifecycle {
  readonly capabilities: HotStoreCapabilities;

  /**
   * The cached working set, or null. Treat it as read-only: an in-process store may hand out
   * its own (frozen) object rather than a copy, and may keep and freeze the object given to
   * `setWorkingSet`.
   */
  getWorkingSet(options: { tenantId: string; userId: string }): Promise<WorkingSet | null>;
  /**
   * Cache a working set only if the user's generation still equals `generation` (read before
   * loading from the warm store), so that a slow reader cannot overwrite a newer invalidation.
   * Returns whether it was stored.
   */
  setWorkingSet(options: {
    tenantId: string;
    userId: string;
    generation: number;
    workingSet: WorkingSet;
    ttlSeconds?: number;
  }): Promise<boolean>;

  /** The user's cache generation (0 when unknown). */
  getGeneration(options: { tenantId: string; userId: string }): Promise<number>;
  /** Drop the user's working set and advance its generation; returns entries removed. */
  invalidate(options: { tenantId: string; userId: string }): Promise<number>;

  /** Cached canonical identifier -> internal user id. */
  getIdentifier(options: { tenantId: string; key: string }): Promise<string | null>;
  setIdentifier(options: {
    tenantId: string;
    key: string;
    userId: string;
    ttlSeconds?: number;
  }): Promise<void>;
  deleteIdentifier(options: { tenantId: string; key: string }): Promise<number>;

  /**
   * Drop every entry of a user (working set, identifiers pointing to it) and advance its
   * generation, so a reader that started before cannot cache the user again; returns how many.
   */
  forgetUser(options: {
    tenantId: string;
    userId: string;
    identifierKeys: string[];
  }): Promise<number>;
  /** Drop everything and advance every generation (e.g. after a reconnect that may have missed invalidations). */
  clear(): Promise<void>;
}
