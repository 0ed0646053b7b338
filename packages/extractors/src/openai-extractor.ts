import { extractionFailed, MemnexError, type FactExtractor } from '@memnex/core';
import { OptionIssues } from '@memnex/provider-utils';
import { extractionEndpoint, type ExtractorRequestOptions } from './extraction-request.js';
import { FACTS_JSON_SCHEMA, parseFactsAnswer } from './fact-schema.js';
import { conversationOf, SYSTEM_PROMPT } from './prompt.js';

/** Options of {@link createOpenAIExtractor}. */
export interface OpenAIExtractorOptions extends ExtractorRequestOptions {
  /** Base URL of the OpenAI-compatible API, e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`. */
  url: string;
  /** Model name sent to the endpoint, e.g. `gpt-4o-mini`. */
  model: string;
  /** Sent as `Authorization: Bearer <apiKey>` when given. */
  apiKey?: string;
  /** Sampling temperature; defaults to 0 for repeatable answers. */
  temperature?: number;
}

/**
 * A fact extractor for any OpenAI-compatible `/chat/completions` endpoint that supports
 * structured outputs: the answer is constrained with `response_format: { type: 'json_schema',
 * json_schema: { strict: true, schema } }` and validated again on arrival. Failures are
 * `EXTRACTION_FAILED` with `details.reason`.
 */
export function createOpenAIExtractor(options: OpenAIExtractorOptions): FactExtractor {
  new OptionIssues('createOpenAIExtractor', MemnexError.validation)
    .httpUrl('url', options.url, true)
    .text('model', options.model, true)
    .text('apiKey', options.apiKey, false)
    .number('timeoutMs', options.timeoutMs, 1, 600_000, true)
    .number('temperature', options.temperature, 0, 2, false)
    .callable('fetch', options.fetch)
    .throwIfAny();
  const post = extractionEndpoint({
    provider: 'openai',
    url: `${options.url.replace(/\/+$/u, '')}/chat/completions`,
    headers: options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` },
    secrets: options.apiKey === undefined ? [] : [options.apiKey],
    options,
  });

  return {
    async extract(input) {
      const response = await post(
        {
          model: options.model,
          temperature: options.temperature ?? 0,
          messages: [
            { role: 'system', content: SYSTEM_PROMPT },
            { role: 'user', content: conversationOf(input) },
          ],
          response_format: {
            type: 'json_schema',
            json_schema: { name: 'memnex_facts', strict: true, schema: FACTS_JSON_SCHEMA },
          },
        },
        input.signal,
      );
      return parseFactsAnswer('openai', answerOf(response));
    },
  };
}

/** The JSON the model answered with, parsed; the answer must be complete and not a refusal. */
function answerOf(response: unknown): unknown {
  const choice = (response as { choices?: unknown[] } | null)?.choices?.[0] as
    { message?: { content?: unknown; refusal?: unknown }; finish_reason?: unknown } | undefined;
  const message = choice?.message;
  if (typeof message?.refusal === 'string' && message.refusal) {
    throw extractionFailed('FAILED', `openai model refused: ${message.refusal.slice(0, 200)}`);
  }
  if (typeof message?.content !== 'string') {
    throw extractionFailed('SCHEMA_MISMATCH', 'openai answer has no choices[0].message.content');
  }
  if (choice?.finish_reason === 'length') {
    throw extractionFailed('INVALID_JSON', 'openai answer was cut off at the token limit');
  }
  try {
    return JSON.parse(message.content) as unknown;
  } catch (error) {
    throw extractionFailed(
      'INVALID_JSON',
      `openai model content is not JSON: ${message.content.slice(0, 200)}`,
      {
        cause: error,
      },
    );
  }
}
