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

/** Input of `memnex.lifecycle.applyRetention`. */
export const applyRetentionInputSchema = z.strictObject({
  user: userInputSchema
    .optional()
    .meta({ description: 'Apply to this person only; every person of the tenant when absent.' }),
  dryRun: z
    .boolean()
    .default(false)
    .meta({ description: 'Count what would change and change nothing.' }),
});
export type ApplyRetentionInput = z.input<typeof applyRetentionInputSchema>;

/** What applying the tenant's retention policy to stored memories did, or would do. */
export const applyRetentionResultSchema = z.object({
  dryRun: z.boolean(),
  /** The policy applied: seconds to live per memory type, from the tenant's settings. */
  retention: z.partialRecord(memoryTypeSchema, z.number().int()),
  /** People examined. */
  users: z.number().int(),
  /** Memories whose expiry was brought forward. */
  memories: z.number().int(),
  /** The same, by memory type. */
  byType: z.partialRecord(memoryTypeSchema, z.number().int()),
  /** Of those, the ones already past their new expiry: out of reads at once, expired at the next sweep. */
  due: z.number().int(),
});
export type ApplyRetentionResult = z.infer<typeof applyRetentionResultSchema>;
