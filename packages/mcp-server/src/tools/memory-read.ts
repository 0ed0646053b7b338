import {
  LIMITS,
  formatSchema,
  memoryTypeSchema,
  memoryViewSchema,
  readInputSchema,
  readResultSchema,
} from '@memnex/core/wire';
import { z } from 'zod';
import { SCOPES } from '../auth.js';
import { isoTimestamp } from './timestamps.js';
import { defineTool, projection } from './tool.js';
import { notBoth, personCallOf, personShape } from './person.js';

const readShape = readInputSchema.shape;

const input = z
  .strictObject({
    ...personShape,
    token_budget: readShape.tokenBudget.meta({
      description: `Most tokens the context may take, headers included (1-${LIMITS.tokenBudgetMax}, default ${LIMITS.tokenBudgetDefault}).`,
    }),
    target_format: formatSchema.optional().meta({
      description:
        'voice (one spoken paragraph), whatsapp (short bullets), web (markdown), sms (one line), app (JSON). ' +
        "Defaults to the session's channel.",
    }),
    query: readShape.query.meta({
      description: "The person's latest utterance; ranks the most relevant memories first.",
    }),
    types: z.array(memoryTypeSchema).min(1).optional().meta({ description: 'Only these types.' }),
    as_of: isoTimestamp.optional().meta({ description: 'What was true at this time (ISO-8601).' }),
  })
  .superRefine(notBoth);

/** A memory as `memory_read` lists it beside the packed context. */
const readItemSchema = memoryViewSchema.pick({
  id: true,
  type: true,
  text: true,
  entities: true,
  confidence: true,
  source: true,
  observedAt: true,
});

const output = readResultSchema.extend({ items: z.array(readItemSchema) });
const readItemOf = projection(readItemSchema);

/** `memory_read`: the person's current memories, packed under a token budget in a channel format. */
export const memoryRead = defineTool({
  name: 'memory_read',
  title: 'Read memories',
  description:
    'Call once at the start of every turn: returns what is known about the person across every channel, ' +
    'ranked and packed to fit token_budget, formatted for the channel. Put the context in your instructions; ' +
    'do not read it out verbatim.',
  scope: SCOPES.read,
  input,
  output,
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(args, session) {
    const { auth, memnex } = session;
    const result = await memnex.read({
      ...(await personCallOf(args, session)),
      tokenBudget: args.token_budget,
      ...(auth.channel ? { channel: auth.channel } : {}),
      ...(args.target_format ? { format: args.target_format } : {}),
      ...(args.query ? { query: args.query } : {}),
      ...(args.types ? { types: args.types } : {}),
      ...(args.as_of ? { asOf: args.as_of } : {}),
    });
    return { ...result, items: result.items.map(readItemOf) };
  },
  // The packed context is what fits the budget; the items are in structuredContent.
  text: (result) => result.context || 'No memories of this person yet.',
});
