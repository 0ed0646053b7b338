import { z } from 'zod';
import { identifierSchema, userInputSchema } from './common.js';

/** Input of `identifiers.resolve` and `identifiers.unlink`: one channel identifier. */
export const identifierInputSchema = z.strictObject({ identifier: identifierSchema });
export type IdentifierInput = z.input<typeof identifierInputSchema>;

/** Input of `identifiers.link`: the identifier and the user it belongs to (created when absent). */
export const linkInputSchema = z.strictObject({
  identifier: identifierSchema,
  user: userInputSchema.meta({ description: 'The user the identifier belongs to.' }),
});
export type LinkInput = z.input<typeof linkInputSchema>;

/** The user an identifier resolves to. */
export const resolvedUserSchema = z.object({ userId: z.string() });
export type ResolvedUser = z.infer<typeof resolvedUserSchema>;

/** A link as stored: the user, the channel and the canonical identifier. */
export const linkResultSchema = z.object({
  userId: z.string(),
  channel: z.string(),
  id: z.string().meta({ description: 'The identifier in canonical form, e.g. "+442079460958".' }),
});
export type LinkResult = z.infer<typeof linkResultSchema>;

export const unlinkResultSchema = z.object({
  removed: z.boolean().meta({ description: 'Whether a link existed.' }),
});
export type UnlinkResult = z.infer<typeof unlinkResultSchema>;
