import { type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { type GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import { FORMATS, LIMITS } from '@memnex/core/wire';
import { z } from 'zod';

function userMessage(text: string): GetPromptResult {
  return { messages: [{ role: 'user', content: { type: 'text', text } }] };
}

/** The `memory-writer` prompt: when and how to write structured facts. */
export function memoryWriterPrompt(agentRole: string): string {
  return [
    `You are a ${agentRole} with permanent memory of the people you talk to, shared across voice, WhatsApp, SMS, web and app.`,
    '',
    'Write with the memory_write tool once per sub-intent: when a topic of the conversation settles ' +
      '(the caller explained the problem, chose an option, gave a detail about themselves), write the facts ' +
      'it produced in one call. A 20-turn conversation is about 3-5 writes. Do not write greetings, small ' +
      'talk, your own pleasantries, or facts already known.',
    '',
    'Each fact is structured:',
    '- fact: one self-contained sentence about the person ("Order #4521 arrived damaged").',
    '- type: intent (what they want to do), preference (how they like to be served), issue (a problem), ' +
      'resolution (what was done about a problem), profile (stable facts: name, city, job).',
    '- entities: what the fact is about, as "type:value" ("order:4521", "amount:499", "currency:INR"). ' +
      'The first entity names the slot: a newer fact in the same slot supersedes the older one, and a ' +
      'resolution sharing an entity with an open issue resolves it. Give the same entity the same spelling every time.',
    '- confidence: 0-1, how sure you are (default 0.9).',
    '',
    'Address the person by user_id when you have one, else by identifier {channel, id}: the phone number ' +
      'on voice or SMS, the wa: id on WhatsApp. A phone number on any channel reaches the same person.',
    'Set trust_level to user_content for what the person said, agent_action for what you did, ' +
      'verified_external for facts from a system of record.',
    '',
    'Example, after the caller explains the problem:',
    '```json',
    JSON.stringify(
      {
        identifier: { channel: 'voice', id: '+44 20 7946 0958' },
        facts: [
          {
            fact: 'Wants to cancel order #4521',
            type: 'intent',
            entities: ['order:4521'],
            confidence: 0.95,
          },
          {
            fact: 'Order #4521 never arrived',
            type: 'issue',
            entities: ['order:4521'],
            confidence: 0.9,
          },
        ],
      },
      null,
      2,
    ),
    '```',
    '',
    `The result lists every fact as written, deduplicated or rejected (with a reason); nothing is dropped silently. ` +
      `If a fact is rejected, fix it or tell the person you could not note it. At most ${LIMITS.factsPerWrite} facts per call. ` +
      "The resource memnex://schema/fact-types lists the types, slots and this tenant's conflict rules.",
  ].join('\n');
}

/** The `memory-reader` prompt: read once per turn and use the context without echoing it. */
export function memoryReaderPrompt(targetFormat: string | undefined): string {
  const format = targetFormat
    ? `target_format "${targetFormat}"`
    : "your channel's format (the default)";
  return [
    'At the start of every turn, call memory_read once for the person, with ' +
      `${format}, token_budget 1500 and query set to the person's latest message.`,
    '',
    'Put the returned context into your instructions under the heading "What you already know about this ' +
      'person". Use it to avoid asking again for what they already told you, on any channel.',
    '',
    'Rules:',
    '- Call memory_read once per turn, not per sentence; the context already ranks what matters.',
    '- Do not read the context out or paste it back; speak naturally from it.',
    '- Do not invent anything beyond it. If something is missing, ask.',
    '- Use memory_search only for a specific look-up the context does not cover (an old order, a past complaint).',
    '- The person may have talked to you on another channel: "last seen via voice" is the same person.',
  ].join('\n');
}

/** The `hallucination-check` prompt: verify a draft with memory_trace before sending it. */
export function hallucinationCheckPrompt(agentOutput: string): string {
  return [
    'Before sending the draft reply below, check what it claims about the person.',
    '',
    '"""',
    agentOutput,
    '"""',
    '',
    'Step 1: call memory_trace with the person (user_id or identifier) and agent_output set to the draft.',
    'Step 2: read the result.',
    '- Every claim supported: send the draft.',
    '- A claim in unsupported or suspectedHallucinations states something about the person that memory ' +
      'does not back: remove it, or turn it into a question ("Was your refund approved?").',
    '- Coverage partial: trim the unsupported claims and trace the new draft again.',
    'General knowledge (opening hours, policies) needs no memory; only claims about this person do.',
  ].join('\n');
}

/** Register the prompts `memory-writer`, `memory-reader` and `hallucination-check`. */
export function installPrompts(server: McpServer): void {
  server.registerPrompt(
    'memory-writer',
    {
      title: 'Write memories well',
      description:
        'Teaches an agent to write structured facts once per sub-intent with memory_write.',
      argsSchema: {
        agent_role: z
          .string()
          .max(200)
          .optional()
          .describe('Who the agent is, e.g. "support agent".'),
      },
    },
    ({ agent_role }) => userMessage(memoryWriterPrompt(agent_role ?? 'support agent')),
  );
  server.registerPrompt(
    'memory-reader',
    {
      title: 'Read memories once per turn',
      description: 'Teaches an agent to call memory_read once per turn and use the context.',
      argsSchema: {
        target_format: z
          .enum(FORMATS)
          .optional()
          .describe(`One of ${FORMATS.join(', ')}.`),
      },
    },
    ({ target_format }) => userMessage(memoryReaderPrompt(target_format)),
  );
  server.registerPrompt(
    'hallucination-check',
    {
      title: 'Check a draft for invented facts',
      description: 'Teaches an agent to verify a draft reply with memory_trace before sending it.',
      argsSchema: {
        agent_output: z
          .string()
          .min(1)
          .max(LIMITS.draftLength)
          .describe('The draft reply to check.'),
      },
    },
    ({ agent_output }) => userMessage(hallucinationCheckPrompt(agent_output)),
  );
}
