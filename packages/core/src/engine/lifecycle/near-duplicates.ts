import type { MemoryRecord } from '../../model.js';
import { analyzeTerms, termSimilarity } from '../../text/analyze.js';

/** Facts that say the same thing: the one kept, and the ones merged into it. */
export interface DuplicateCluster {
  keep: MemoryRecord;
  merged: MemoryRecord[];
}

/**
 * Near-duplicate facts of one user: same type, same slot (or both without one), the same
 * entities, and stemmed content terms whose Jaccard similarity is at least `threshold`. Negations
 * and numbers are terms, so "likes tea" and "does not like tea", or order 4521 and order 4522,
 * never match at a high threshold. The most recently observed fact of a cluster is kept: it has
 * the latest wording. Only clusters of two or more are returned.
 */
export function findNearDuplicates(
  facts: readonly MemoryRecord[],
  threshold: number,
): DuplicateCluster[] {
  const groups = new Map<string, MemoryRecord[]>();
  for (const fact of facts) {
    const entities = [...fact.entities].sort().join('\u0001');
    const key = `${fact.type}\u0000${fact.slot ?? ''}\u0000${entities}`;
    const group = groups.get(key);
    if (group) group.push(fact);
    else groups.set(key, [fact]);
  }
  const clusters: DuplicateCluster[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const newestFirst = [...group].sort(
      (left, right) =>
        Date.parse(right.observedAt) - Date.parse(left.observedAt) ||
        (right.id < left.id ? -1 : right.id > left.id ? 1 : 0),
    );
    const open: Array<{ terms: Set<string>; cluster: DuplicateCluster }> = [];
    for (const fact of newestFirst) {
      const terms = new Set(analyzeTerms(fact.text));
      const home = open.find((candidate) => termSimilarity(candidate.terms, terms) >= threshold);
      if (home) home.cluster.merged.push(fact);
      else open.push({ terms, cluster: { keep: fact, merged: [] } });
    }
    for (const { cluster } of open) if (cluster.merged.length > 0) clusters.push(cluster);
  }
  return clusters;
}
