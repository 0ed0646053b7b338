/** True and false counts of one row of the table. */
export interface Counts {
  /** Predictions that matched. */
  matched: number;
  predicted: number;
  expected: number;
}

export const emptyCounts = (): Counts => ({ matched: 0, predicted: 0, expected: 0 });

/** Precision, recall and F1 of counts; NaN where a denominator is 0. */
export function scores(counts: Counts): { precision: number; recall: number; f1: number } {
  const precision = counts.predicted === 0 ? Number.NaN : counts.matched / counts.predicted;
  const recall = counts.expected === 0 ? Number.NaN : counts.matched / counts.expected;
  const f1 =
    Number.isNaN(precision) || Number.isNaN(recall) || precision + recall === 0
      ? precision + recall === 0
        ? 0
        : Number.NaN
      : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/** Add `more` into `into`. */
export function addCounts(into: Counts, more: Counts): void {
  into.matched += more.matched;
  into.predicted += more.predicted;
  into.expected += more.expected;
}
