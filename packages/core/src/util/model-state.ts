import { MemnexError } from '../errors.js';
import type { EmbeddingModelState, SemanticIndex } from '../ports/index.js';

/** What `SemanticIndex.setModelState` is given. */
export type ModelStateChange = Parameters<SemanticIndex['setModelState']>[0];

/**
 * The `CONFLICT` of a change that expected revision `expected` of the models when `stored` is
 * the stored one (null: nothing is recorded), with `stored` in `details.revision`.
 */
export function modelStateConflict(stored: number | null, expected: number | null): MemnexError {
  return new MemnexError({
    code: 'CONFLICT',
    message:
      stored === null
        ? 'no embedding models are recorded yet'
        : `the embedding models changed meanwhile (revision ${stored}, expected ${expected ?? 'none'})`,
    details: { revision: stored },
  });
}

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
    throw modelStateConflict(revision, change.expectedRevision);
  }
  return {
    active: { ...change.active },
    target: change.target ? { ...change.target } : null,
    previous: change.previous ? { ...change.previous } : null,
    revision: (revision ?? 0) + 1,
    updatedAt: change.at,
  };
}
