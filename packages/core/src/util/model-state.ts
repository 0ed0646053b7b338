import { MemnexError } from '../errors.js';
import type { EmbeddingModelState, SemanticIndex } from '../ports/index.js';

/** What `SemanticIndex.setModelState` is given. */
export type ModelStateChange = Parameters<SemanticIndex['setModelState']>[0];

/**
 * The state a {@link ModelStateChange} leads to from `stored`, one revision on; `CONFLICT` with
 * the stored revision when the change expected another one. For adapters that check the
 * revision themselves (those that cannot do it in one conditional statement).
 */
export function nextModelState(
  stored: EmbeddingModelState | null,
  change: ModelStateChange,
): EmbeddingModelState {
  const revision = stored?.revision ?? null;
  if (revision !== change.expectedRevision) {
    throw new MemnexError({
      code: 'CONFLICT',
      message:
        revision === null
          ? 'no embedding models are recorded yet'
          : `the embedding models changed meanwhile (revision ${revision}, expected ${change.expectedRevision ?? 'none'})`,
      details: { revision },
    });
  }
  return {
    active: { ...change.active },
    target: change.target ? { ...change.target } : null,
    previous: change.previous ? { ...change.previous } : null,
    revision: (revision ?? 0) + 1,
    updatedAt: change.at,
  };
}
