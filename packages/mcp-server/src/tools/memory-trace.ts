import { traceInputSchema, traceResultSchema } from '@memnex/core/wire';
import { z } from 'zod';
import { SCOPES } from '../auth.js';
import { defineTool } from './tool.js';
import { notBoth, personCallOf, personShape } from './person.js';

const traceShape = traceInputSchema.shape;

const input = z
  .strictObject({
    ...personShape,
    agent_output: traceShape.draft.meta({
      description: 'Your draft reply, before you send it.',
    }),
    threshold: traceShape.threshold.meta({
      description: 'Lowest support score (0-1) that counts a claim as supported.',
    }),
  })
  .superRefine(notBoth);

/** `memory_trace`: which claims of a draft reply the person's memories support. */
export const memoryTrace = defineTool({
  name: 'memory_trace',
  title: 'Check a draft against memory',
  description:
    'Before sending a reply that states facts about the person, pass the draft: each claim comes back ' +
    'supported (with the memories behind it) or unsupported. An unsupported claim about the person is a ' +
    'suspected hallucination: drop it or ask the person instead.',
  scope: SCOPES.read,
  input,
  output: traceResultSchema,
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(args, session) {
    return session.memnex.trace({
      ...(await personCallOf(args, session)),
      draft: args.agent_output,
      ...(args.threshold !== undefined ? { threshold: args.threshold } : {}),
    });
  },
});
