/** Latencies in milliseconds. */
export type Latencies = number[];

/** The p-th percentile (0-100) of a list of numbers, nearest-rank. */
export function percentile(values: Latencies, p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}

/** `p50 … ms, p99 … ms, n=…` */
export function summarise(values: Latencies): string {
  const p = (q: number) => `${percentile(values, q).toFixed(2)} ms`;
  return `p50 ${p(50)}, p99 ${p(99)}, max ${p(100)} (n=${values.length})`;
}
