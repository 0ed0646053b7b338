import { z } from 'zod';
import { NotAvailableError } from '../errors.js';
import { defineTool } from './tool.js';

const stateKeySchema = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[^\s]+$/u, 'must not contain whitespace')
  .meta({ description: 'State key, e.g. "plan:goal".' });

const entrySchema = z.object({
  key: z.string(),
  value: z.unknown(),
  version: z.number().int(),
  updatedAt: z.string(),
});

const unavailable = () =>
  new NotAvailableError('shared state is not available in this release of Memnex');

/** `state_get`: read a shared state value (answers `NOT_AVAILABLE` until shared state ships). */
export const stateGet = defineTool({
  name: 'state_get',
  title: 'Read shared state',
  description:
    'Read a live value agents of your team share under a key. Not available in this release: ' +
    'answers NOT_AVAILABLE.',
  input: z.strictObject({ key: stateKeySchema }),
  output: entrySchema,
  annotations: { readOnlyHint: true },
  run: () => Promise.reject(unavailable()),
});

/** `state_set`: write a shared state value (answers `NOT_AVAILABLE` until shared state ships). */
export const stateSet = defineTool({
  name: 'state_set',
  title: 'Write shared state',
  description:
    'Set a live JSON value shared by agents of your team, optionally compare-and-set with if_version. ' +
    'Not available in this release: answers NOT_AVAILABLE.',
  input: z.strictObject({
    key: stateKeySchema,
    value: z
      .unknown()
      .refine((value) => value !== undefined, 'is required')
      .meta({ description: 'Any JSON value.' }),
    if_version: z.number().int().nonnegative().optional().meta({
      description: 'Write only if the current version is this one.',
    }),
    ttl: z.number().int().positive().optional().meta({ description: 'Time to live in seconds.' }),
  }),
  output: entrySchema,
  annotations: { readOnlyHint: false },
  run: () => Promise.reject(unavailable()),
});
