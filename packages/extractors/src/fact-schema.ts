import { extractedFactSchema, extractionFailed, type ExtractedFact } from '@memnex/core';
import { z } from 'zod';

const FACT_TYPES = ['profile', 'preference', 'intent', 'issue', 'resolution'] as const;

/**
 * The JSON Schema the model must answer with: OpenAI's strict structured outputs and Anthropic's
 * tool input both take it (every property required, no other properties).
 */
export const FACTS_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['facts'],
  properties: {
    facts: {
      type: 'array',
      description: 'Every durable fact about the customer; empty when there is none.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'text', 'entities', 'messageId', 'confidence'],
        properties: {
          type: { type: 'string', enum: [...FACT_TYPES] },
          text: {
            type: 'string',
            description: 'One short, self-contained statement about the customer.',
          },
          entities: {
            type: 'array',
            description: 'Entities as "type:value", e.g. "order:4521", "amount:INR499".',
            items: { type: 'string' },
          },
          messageId: {
            type: 'string',
            description: 'Id of the message the fact was said in.',
          },
          confidence: { type: 'number', description: 'How sure, from 0 to 1.' },
        },
      },
    },
  },
} as const;

/** The model's answer as it must parse. */
const answerSchema = z.strictObject({
  facts: z.array(extractedFactSchema.extend({ confidence: z.number().min(0).max(1) })),
});

/**
 * The facts of a model's answer, or `EXTRACTION_FAILED` with reason `SCHEMA_MISMATCH` naming the
 * first problems when it does not match {@link FACTS_JSON_SCHEMA} and the engine's fact rules.
 */
export function parseFactsAnswer(provider: string, answer: unknown): ExtractedFact[] {
  const parsed = answerSchema.safeParse(answer);
  if (parsed.success) return parsed.data.facts;
  const problems = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  throw extractionFailed(
    'SCHEMA_MISMATCH',
    `${provider} answer does not match the fact schema: ${problems}`,
    {
      details: { provider },
    },
  );
}
