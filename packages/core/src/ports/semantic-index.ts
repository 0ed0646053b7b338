import type { MemoryKind, MemoryType } from '../wire/common.js';
import type { Lifecycle } from './lifecycle.js';

/** What a semantic index can do. */
export interface SemanticIndexCapabilities {
  /** Keyword search (BM25, tsvector, ...). */
  lexical: boolean;
  /** Nearest-neighbour search over vectors. */
  vector: boolean;
}

/** One searchable memory. */
export interface IndexEntry {
  memoryId: string;
  userId: string;
  text: string;
  /**
   * Text the memory depends on for its meaning, indexed lexically with a lower weight: for a
   * message, the message it follows in the same session ("Yes, in May" answers "When did you
   * move?"). Null or absent for self-contained facts.
   */
  context?: string | null;
  type: MemoryType;
  kind: MemoryKind;
  /** False once superseded, resolved or expired; history searches still see it. */
  current: boolean;
  observedAt: string;
  /** Embedding, or null when none was computed. */
  vector: Float32Array | null;
  /** Model id of `vector`; vectors of different models are never compared. */
  model: string | null;
}

/** Filters every index search applies before ranking. */
export interface IndexFilter {
  types?: MemoryType[];
  kinds?: MemoryKind[];
  /** Include non-current entries. */
  includeHistory?: boolean;
  /** `observedAt >= since`. */
  since?: string;
  /** `observedAt < until`. */
  until?: string;
}

/** One ranked candidate. Ranks start at 1. */
export interface IndexHit {
  memoryId: string;
  score: number;
}

/** Lexical and vector search over one user's memories at a time. */
export interface SemanticIndex extends Lifecycle {
  readonly capabilities: SemanticIndexCapabilities;

  /** Insert or replace entries by memory id. */
  upsert(options: { tenantId: string; entries: IndexEntry[] }): Promise<void>;
  /** Mark entries current or not. Unknown ids are ignored. */
  setCurrent(options: {
    tenantId: string;
    userId: string;
    memoryIds: string[];
    current: boolean;
  }): Promise<void>;
  /** Keyword search, best first. */
  searchLexical(options: {
    tenantId: string;
    userId: string;
    query: string;
    limit: number;
    filter?: IndexFilter;
  }): Promise<IndexHit[]>;
  /** Cosine search among vectors of `model`, best first; score is the cosine similarity. */
  searchVector(options: {
    tenantId: string;
    userId: string;
    vector: Float32Array;
    model: string;
    limit: number;
    filter?: IndexFilter;
  }): Promise<IndexHit[]>;
  /**
   * Give entries of `fromUserId` to `toUserId` (a merge or an unmerge); unknown ids are ignored.
   * Returns how many entries moved.
   */
  reassign(options: {
    tenantId: string;
    fromUserId: string;
    toUserId: string;
    memoryIds: string[];
  }): Promise<number>;
  /** Delete a user's entries (all, or these ids); returns how many were removed. */
  delete(options: { tenantId: string; userId: string; memoryIds?: string[] }): Promise<number>;
}
