/** Options of one embedding call. */
export interface EmbedOptions {
  /** Abort the call (timeouts, shutdown). */
  signal?: AbortSignal;
}

/** Turns texts into vectors. Every vector carries `model` and `dimensions` when stored. */
export interface Embedder {
  /** Stable model id, e.g. `local:use-lite-512`; vectors of different ids are never compared. */
  readonly model: string;
  /** Length of every returned vector. */
  readonly dimensions: number;
  /** Embed a batch; the result has one L2-normalised vector per text, in order. */
  embed(texts: string[], options?: EmbedOptions): Promise<Float32Array[]>;
  /** Load weights or check the endpoint; optional. */
  init?(): Promise<void>;
  /** Release resources; optional. */
  close?(): Promise<void>;
}

/**
 * Builds embedders from model specs (`local`, `hash:256`, `openai:text-embedding-3-small`,
 * `google:text-embedding-004`, ...), so that every instance can embed with whichever model the
 * semantic index serves, using its own credentials.
 */
export interface EmbedderResolver {
  /** Spec of the model this instance is configured with. */
  readonly configured: string;
  /** A new embedder for `spec`; throws when this instance cannot build it (unknown, no key). */
  resolve(spec: string): Embedder;
}
