import type { MemoryKind, MemoryType } from '../wire/common.js';
import type { Lifecycle } from './lifecycle.js';

/** What a semantic index can do. */
export interface SemanticIndexCapabilities {
  /** Keyword search (BM25, tsvector, ...). */
  lexical: boolean;
  /** Nearest-neighbour search over vectors. */
  vector: boolean;
  /**
   * Holds every entry with its text and can list entries across tenants ({@link
   * SemanticIndex.scanEntries}), which re-embedding needs. An index of vectors alone cannot.
   */
  scan: boolean;
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

/** An entry as a scan across tenants returns it: everything but its vectors. */
export interface ScannedEntry extends Omit<IndexEntry, 'vector' | 'model'> {
  tenantId: string;
}

/** Where a scan stopped: the last entry it looked at. Scans run in (tenantId, memoryId) order. */
export interface ScanCursor {
  tenantId: string;
  memoryId: string;
}

/** An embedding model as the index records it: enough for any instance to build its embedder. */
export interface EmbeddingModel {
  /**
   * What every instance turns into an embedder with its own credentials, e.g. `local`,
   * `hash:256`, `openai:text-embedding-3-small`, `google:text-embedding-004`.
   */
  spec: string;
  /** Model id of its vectors (`Embedder.model`). */
  model: string;
  /** Length of its vectors. */
  dimensions: number;
}

/** The model that was active before the last switch, still written for a while. */
export interface RetiringModel extends EmbeddingModel {
  /**
   * Until this instant writes keep adding its vectors, so that an instance that has not yet
   * learnt of the switch still searches complete vectors.
   */
  until: string;
}

/**
 * Which embedding models the index serves, stored with the index and shared by every instance.
 * Searches use `active`, whose vectors are complete; writes add vectors of `active`, of `target`
 * while a re-embed fills it in, and of `previous` until `previous.until`.
 */
export interface EmbeddingModelState {
  active: EmbeddingModel;
  /** The model a re-embed is filling in; never searched until it becomes active. */
  target: EmbeddingModel | null;
  previous: RetiringModel | null;
  /** One more on every change, so that a change can be made conditional on the state it saw. */
  revision: number;
  updatedAt: string;
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

  /**
   * Insert or replace entries by memory id. An entry's `vector` becomes its vector of `model`;
   * vectors it has of other models are kept, and an entry without a vector keeps the ones it has.
   */
  upsert(options: { tenantId: string; entries: IndexEntry[] }): Promise<void>;
  /**
   * Add the vector of each entry (of its `model`) to the entry the index already holds, keeping
   * the vectors of other models. Entries the index does not hold, and entries without a vector,
   * are skipped: a late vector never brings back a deleted memory. Fields other than `memoryId`,
   * `vector` and `model` are used only by an index that keeps them per vector.
   */
  upsertVectors(options: { tenantId: string; entries: IndexEntry[] }): Promise<void>;
  /**
   * Which of `memoryIds` the index holds, and which of those have a vector of `model`. Unknown
   * ids are left out of both lists.
   */
  findVectors(options: {
    tenantId: string;
    model: string;
    memoryIds: string[];
  }): Promise<{ held: string[]; withVector: string[] }>;
  /**
   * Entries of every tenant after `after`, in (tenantId, memoryId) order, at most `limit`; with
   * `missing`, only those without a vector of that model. `next` is where the following page
   * starts, or null when the scan is complete. Throws unless `capabilities.scan`.
   */
  scanEntries(options: {
    after?: ScanCursor | null;
    limit: number;
    missing?: string;
  }): Promise<{ entries: ScannedEntry[]; next: ScanCursor | null }>;
  /**
   * How many entries the index holds across tenants (null when it holds vectors only and cannot
   * tell), and how many have a vector of `model`.
   */
  countVectors(options: { model: string }): Promise<{ entries: number | null; withVector: number }>;
  /** Delete every vector of a model not in `keep`, in every tenant; returns how many went. */
  pruneModels(options: { keep: string[] }): Promise<number>;
  /** The embedding models the index serves, or null before any was recorded. */
  getModelState(): Promise<EmbeddingModelState | null>;
  /**
   * Record the models, when the stored revision is still `expectedRevision` (null: nothing is
   * recorded yet), and return the new state, one revision on. Fails with `CONFLICT` and the
   * stored `revision` in `details` when another change came first.
   */
  setModelState(options: {
    expectedRevision: number | null;
    active: EmbeddingModel;
    target: EmbeddingModel | null;
    previous: RetiringModel | null;
    at: string;
  }): Promise<EmbeddingModelState>;
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
