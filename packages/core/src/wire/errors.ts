import { z } from 'zod';
import { ERROR_CODES } from '../errors.js';

export { MemnexError, ERROR_CODES, ERROR_STATUS } from '../errors.js';
export type { MemnexErrorCode, MemnexErrorOptions, ValidationIssue } from '../errors.js';

/** The body of every failed HTTP response: `{error: {code, message, details?}}`. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).meta({ description: 'Stable error code.' }),
      message: z.string().meta({ description: 'Human-readable; safe to show.' }),
      details: z
        .record(z.string(), z.unknown())
        .optional()
        .meta({ description: 'Validation issues with their paths, the needed scope, ...' }),
    }),
  })
  .meta({ description: 'The body of every failed request.' });
export type ErrorBody = z.infer<typeof errorBodySchema>;
