/** Parameters of hybrid retrieval. Defaults are measured on LoCoMo (see docs/benchmarks.md). */
export interface SearchTuning {
  /** Reciprocal-rank-fusion constant: larger flattens the contribution of top ranks. */
  rrfK: number;
  /** Weight of the lexical list in the fusion. */
  lexicalWeight: number;
  /** Weight of the vector list in the fusion. */
  vectorWeight: number;
  /** Candidates taken from each list before fusion. */
  candidates: number;
}

export const DEFAULT_SEARCH_TUNING: SearchTuning = {
  rrfK: 60,
  lexicalWeight: 1,
  vectorWeight: 1,
  candidates: 50,
};
