import { modelStateConflict, type EmbeddingModelState, type ModelStateChange } from '@memnex/core';
import { and, eq } from 'drizzle-orm';
import type { Transaction } from './database.js';
import { embeddingModels } from './schema.js';

/** The one row of `embedding_models`. */
const ROW_ID = 1;

type Row = typeof embeddingModels.$inferSelect;

function stateOf(row: Row): EmbeddingModelState {
  return {
    active: row.active,
    target: row.target ?? null,
    previous: row.previous ?? null,
    revision: row.revision,
    updatedAt: row.updatedAt,
  };
}

/** The recorded models, or null before any were. */
export async function readModelState(
  transaction: Transaction,
): Promise<EmbeddingModelState | null> {
  const [row] = await transaction
    .select()
    .from(embeddingModels)
    .where(eq(embeddingModels.id, ROW_ID));
  return row ? stateOf(row) : null;
}

/**
 * Record the models in one conditional statement: an insert that does nothing when a row exists
 * (`expectedRevision` null), or an update of the row still at `expectedRevision`. Two instances
 * racing cannot both succeed; the loser gets `CONFLICT` with the stored revision.
 */
export async function writeModelState(
  transaction: Transaction,
  change: ModelStateChange,
): Promise<EmbeddingModelState> {
  const values = {
    active: change.active,
    target: change.target,
    previous: change.previous,
    updatedAt: change.at,
  };
  const [row] =
    change.expectedRevision === null
      ? await transaction
          .insert(embeddingModels)
          .values({ id: ROW_ID, revision: 1, ...values })
          .onConflictDoNothing()
          .returning()
      : await transaction
          .update(embeddingModels)
          .set({ ...values, revision: change.expectedRevision + 1 })
          .where(
            and(
              eq(embeddingModels.id, ROW_ID),
              eq(embeddingModels.revision, change.expectedRevision),
            ),
          )
          .returning();
  if (row) return stateOf(row);
  const stored = await readModelState(transaction);
  throw modelStateConflict(stored?.revision ?? null, change.expectedRevision);
}
