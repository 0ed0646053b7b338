import { forgetInputSchema, forgetReceiptSchema } from '@memnex/core/wire';
import { z } from 'zod';
import { SCOPES } from '../auth.js';
import { defineTool } from './tool.js';
import { notBoth, personCallOf, personShape } from './person.js';

const forgetShape = forgetInputSchema.shape;

const input = z
  .strictObject({
    ...personShape,
    reason: forgetShape.reason.meta({ description: 'Why, e.g. "gdpr_request" (the default).' }),
    memory_ids: forgetShape.memoryIds.meta({
      description: 'Delete only these memories; without it the whole person is forgotten.',
    }),
  })
  .superRefine(notBoth);

/** `memory_forget`: delete a person (or some memories) everywhere; returns the signed receipt. */
export const memoryForget = defineTool({
  name: 'memory_forget',
  title: 'Forget a person',
  description:
    'Permanently delete everything held of the person (memories, history, identifiers, vectors, caches) ' +
    'on every instance, or only memory_ids. Returns a receipt signed with HMAC-SHA256 that proves it.',
  scope: SCOPES.forget,
  input,
  output: forgetReceiptSchema,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  async run(args, session) {
    return session.memnex.forget({
      ...(await personCallOf(args, session)),
      reason: args.reason,
      ...(args.memory_ids ? { memoryIds: args.memory_ids } : {}),
    });
  },
});
