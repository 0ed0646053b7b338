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
