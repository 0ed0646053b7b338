/** Parameters of hybrid retrieval. Defaults are measured on LoCoMo (see docs/benchmarks.md). */
export interface SearchTuning {
  /** How the lexical and vector lists are combined: z-score fusion or reciprocal-rank fusion. */
  fusion: 'zscore' | 'rrf';
  /** Reciprocal-rank-fusion constant (with `fusion: 'rrf'`): larger flattens top ranks. */
  rrfK: number;
  /** Weight of the lexical list in the fusion. */
  lexicalWeight: number;
  /** Weight of the vector list in the fusion. */
  vectorWeight: number;
  /**
   * Candidates taken from each list before fusion. Z-scores need the shape of the whole score
   * distribution, and a person's memories number in the thousands, so the default takes
   * practically all of them: fewer (50) cost 0.03 recall@5 on LoCoMo.
   */
  candidates: number;
}

export const DEFAULT_SEARCH_TUNING: SearchTuning = {
  fusion: 'zscore',
  rrfK: 60,
  lexicalWeight: 1,
  vectorWeight: 1,
  candidates: 1000,
};
