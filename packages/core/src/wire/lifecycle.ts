import { z } from 'zod';
import { memoryTypeSchema, userInputSchema } from './common.js';

/** Input of `memnex.lifecycle.compact`. */
export const compactInputSchema = z.strictObject({
  user: userInputSchema
    .optional()
    .meta({ description: 'Compact this person only; every person of the tenant when absent.' }),
  dryRun: z
    .boolean()
    .default(false)
    .meta({ description: 'List what would change and change nothing.' }),
  similarity: z
    .number()
    .min(0.5)
    .max(1)
    .default(0.8)
    .meta({ description: 'Lowest term similarity (Jaccard) of two facts merged as one.' }),
});
export type CompactInput = z.input<typeof compactInputSchema>;

const factRefSchema = z.object({ id: z.string(), type: memoryTypeSchema, text: z.string() });

/** What compaction did, or would do in a dry run. */
export const compactResultSchema = z.object({
  dryRun: z.boolean(),
  /** People examined. */
  users: z.number().int(),
  /** Near-duplicates merged: the fact kept and the facts now in its history. */
  merges: z.array(
    z.object({ user: z.string(), keep: factRefSchema, merged: z.array(factRefSchema) }),
  ),
  /** Old facts never seen again whose salience went down. */
  decays: z.array(z.object({ user: z.string(), id: z.string(), from: z.number(), to: z.number() })),
  /** Facts left alone because they belong to an open issue or are pinned. */
  protected: z.number().int(),
});
export type CompactResult = z.infer<typeof compactResultSchema>;
