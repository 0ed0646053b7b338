/** Retrieval metrics of one question. */
export interface QuestionScore {
  recallAt5: number;
  recallAt10: number;
  hitAt5: number;
  reciprocalRank: number;
  ndcgAt10: number;
  recallAt1024Tokens: number;
}

/**
 * Score a ranked list of retrieved ids against the evidence ids. `tokens[i]` is the token count
 * of the i-th retrieved memory, for recall within a 1024-token budget.
 */
export function scoreQuestion(
  ranked: string[],
  evidence: string[],
  tokens: number[],
  tokenBudget = 1024,
): QuestionScore {
  const relevant = new Set(evidence);
  const recallAt = (k: number) =>
    ranked.slice(0, k).filter((id) => relevant.has(id)).length / relevant.size;
  const firstHit = ranked.findIndex((id) => relevant.has(id));
  let dcg = 0;
  ranked.slice(0, 10).forEach((id, index) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(index + 2);
  });
  let idcg = 0;
  for (let index = 0; index < Math.min(relevant.size, 10); index += 1)
    idcg += 1 / Math.log2(index + 2);
  let used = 0;
  let kept = 0;
  for (const [index, id] of ranked.entries()) {
    used += tokens[index] ?? 0;
    if (used > tokenBudget) break;
    if (relevant.has(id)) kept += 1;
  }
  return {
    recallAt5: recallAt(5),
    recallAt10: recallAt(10),
    hitAt5: recallAt(5) > 0 ? 1 : 0,
    reciprocalRank: firstHit < 0 ? 0 : 1 / (firstHit + 1),
    ndcgAt10: idcg === 0 ? 0 : dcg / idcg,
    recallAt1024Tokens: kept / relevant.size,
  };
}

/** Mean of each metric. */
export function meanScores(scores: QuestionScore[]): QuestionScore & { count: number } {
  const keys = [
    'recallAt5',
    'recallAt10',
    'hitAt5',
    'reciprocalRank',
    'ndcgAt10',
    'recallAt1024Tokens',
  ] as const;
  const mean = Object.fromEntries(
    keys.map((key) => [
      key,
      scores.length === 0 ? 0 : scores.reduce((sum, score) => sum + score[key], 0) / scores.length,
    ]),
  ) as unknown as QuestionScore;
  return { ...mean, count: scores.length };
}

/** The p-th percentile (0-100) of a list of numbers, nearest-rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}
