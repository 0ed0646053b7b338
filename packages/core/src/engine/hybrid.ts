import type { IndexFilter } from '../ports/index.js';
import type { EngineContext } from './context.js';
import { reciprocalRankFusion, zScoreFusion, type FusedHit, type RankedList } from './fusion.js';

/** Options of {@link hybridSearch}. */
export interface HybridQuery {
  tenantId: string;
  userId: string;
  query: string;
  /** Candidates taken from each list. */
  candidates: number;
  filter: IndexFilter;
}

/**
 * Lexical and vector candidates for a query, fused (z-score or reciprocal rank, per tuning). Uses whichever
 * of the two the index and the embedder can give; with neither, returns nothing.
 */
export async function hybridSearch(
  context: EngineContext,
  query: HybridQuery,
): Promise<FusedHit[]> {
  const { semantic } = context.stores;
  const tuning = context.search;
  const base = {
    tenantId: query.tenantId,
    userId: query.userId,
    limit: query.candidates,
    filter: query.filter,
  };
  // The active model only: its vectors are complete, and one model is never fused with another.
  const embedder = await context.models.activeEmbedder();

  const [lexical, vector] = await Promise.all([
    semantic.capabilities.lexical
      ? semantic.searchLexical({ ...base, query: query.query })
      : Promise.resolve([]),
    embedder
      ? embedder
          .embed([query.query])
          .then(([vector]) =>
            vector ? semantic.searchVector({ ...base, vector, model: embedder.model }) : [],
          )
          .catch((error: unknown) => {
            context.logger.warn('query embedding failed; lexical results only', { error });
            return [];
          })
      : Promise.resolve([]),
  ]);
  const lists: RankedList[] = [
    { hits: lexical, weight: tuning.lexicalWeight, missingScore: 0 },
    { hits: vector, weight: tuning.vectorWeight },
  ];
  return tuning.fusion === 'rrf' ? reciprocalRankFusion(lists, tuning.rrfK) : zScoreFusion(lists);
}
