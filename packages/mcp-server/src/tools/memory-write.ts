import {
  LIMITS,
  factInputSchema,
  messageInputSchema,
  rawMessageSchema,
  rawTextSchema,
  sourceSchema,
  trustSchema,
  writeResultSchema,
} from '@memnex/core/wire';
import { z } from 'zod';
import { SCOPES } from '../auth.js';
import { isoTimestamp } from './timestamps.js';
import { defineTool } from './tool.js';
import { notBoth, personCallOf, personShape } from './person.js';

const factShape = factInputSchema.shape;
const messageShape = messageInputSchema.shape;

/** A fact as MCP agents write it: `fact` is the text (the original product's name). */
const factArgument = z
  .strictObject({
    fact: factShape.text.meta({
      description:
        'One self-contained statement about the person, e.g. "Order #4521 arrived damaged".',
    }),
    type: factShape.type.meta({ description: 'intent, preference, issue, resolution or profile.' }),
    entities: factShape.entities.meta({
      description:
        'Things the fact is about, as "type:value" (e.g. "order:4521"); the first one names the slot.',
    }),
    confidence: factShape.confidence,
    slot: factShape.slot,
    supersedes: factShape.supersedes.meta({
      description: 'Ids of memories this fact replaces, when the conflict rules would not see it.',
    }),
    observed_at: isoTimestamp.optional().meta({ description: 'When it was said (ISO-8601).' }),
    ttl: factShape.ttl,
    metadata: factShape.metadata,
  })
  .meta({ description: 'A structured fact.' });

const messageArgument = z.strictObject({
  id: messageShape.id,
  speaker: messageShape.speaker,
  text: messageShape.text,
  observed_at: isoTimestamp.optional(),
  metadata: messageShape.metadata,
});

const rawMessageShape = rawMessageSchema.shape;
const [rawString] = rawTextSchema.options;

/** Raw text as MCP agents send it: a string, or messages with `observed_at`. */
const rawTextArgument = z
  .union([
    rawString,
    z
      .array(
        z.strictObject({
          id: rawMessageShape.id,
          speaker: rawMessageShape.speaker,
          text: rawMessageShape.text,
          observed_at: isoTimestamp.optional(),
        }),
      )
      .min(1)
      .max(LIMITS.rawMessagesPerWrite),
  ])
  .meta({
    description:
      'Conversation text to extract facts from, instead of or besides `facts`: a transcript ' +
      '("Agent: ... / Caller: ..."), a WhatsApp export, an email, or a list of messages. It is ' +
      'cleaned for the channel (voice loses fillers and repeated words), stored as messages, and ' +
      'every fact found comes back like a given fact; `extraction` says how they were found.',
  });

const input = z
  .strictObject({
    ...personShape,
    facts: z.array(factArgument).max(LIMITS.factsPerWrite).default([]).meta({
      description: 'Facts learnt in this sub-intent of the conversation (at most 50).',
    }),
    messages: z.array(messageArgument).max(LIMITS.messagesPerWrite).default([]).meta({
      description: 'Verbatim conversation messages to keep (stored as events).',
    }),
    raw_text: rawTextArgument.optional(),
    session_id: z.string().min(1).max(LIMITS.sessionIdLength).optional(),
    trust_level: trustSchema.default('user_content').meta({
      description:
        'How far the facts can be trusted: user_content (what the person said), agent_action, verified_external, system.',
    }),
    source: sourceSchema.shape.agentId.meta({
      description: 'Id of the agent writing, e.g. "billing-bot".',
    }),
    idempotency_key: z.string().min(1).max(LIMITS.idempotencyKeyLength).optional().meta({
      description:
        'Replaying a write with the same key returns the first result and writes nothing.',
    }),
  })
  .superRefine(notBoth)
  .refine(
    (value) => value.facts.length + value.messages.length > 0 || value.raw_text !== undefined,
    { message: 'pass at least one fact or message, or raw_text', path: ['facts'] },
  );

/** `memory_write`: store structured facts (and messages) about a person. */
export const memoryWrite = defineTool({
  name: 'memory_write',
  title: 'Write memories',
  description:
    'Remember what you learnt about the person, once per sub-intent (a 20-turn call is about 3-5 writes). ' +
    'Pass structured facts with a type and "type:value" entities, or the raw conversation as `raw_text` ' +
    'to have the facts extracted. Every fact comes back in exactly one of written, deduplicated or ' +
    'rejected (with a reason); older facts in the same slot are superseded.',
  scope: SCOPES.write,
  input,
  output: writeResultSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async run(args, session) {
    const { auth, memnex } = session;
    const source = {
      ...(auth.channel ? { channel: auth.channel } : {}),
      ...(args.source ? { agentId: args.source } : {}),
    };
    return memnex.write({
      ...(await personCallOf(args, session)),
      facts: args.facts.map(({ fact, observed_at, ...rest }) => ({
        ...rest,
        text: fact,
        ...(observed_at ? { observedAt: observed_at } : {}),
      })),
      messages: args.messages.map(({ observed_at, ...rest }) => ({
        ...rest,
        ...(observed_at ? { observedAt: observed_at } : {}),
      })),
      ...(args.raw_text === undefined ? {} : { rawText: rawTextOf(args.raw_text) }),
      trust: args.trust_level,
      ...(args.session_id ? { sessionId: args.session_id } : {}),
      ...(Object.keys(source).length > 0 ? { source } : {}),
      ...(args.idempotency_key ? { idempotencyKey: args.idempotency_key } : {}),
    });
  },
});

/** `raw_text` as the engine takes it: `observed_at` becomes `observedAt`. */
function rawTextOf(rawText: z.output<typeof rawTextArgument>) {
  if (typeof rawText === 'string') return rawText;
  return rawText.map(({ observed_at, ...rest }) => ({
    ...rest,
    ...(observed_at ? { observedAt: observed_at } : {}),
  }));
}
