import { extractionFailed, MemnexError, type FactExtractor } from '@memnex/core';
import { OptionIssues } from '@memnex/provider-utils';
import { extractionEndpoint, type ExtractorRequestOptions } from './extraction-request.js';
import { FACTS_JSON_SCHEMA, parseFactsAnswer } from './fact-schema.js';
import { conversationOf, SYSTEM_PROMPT } from './prompt.js';

/** Anthropic's API base URL. */
export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com/v1';
/** The `anthropic-version` header sent with every request. */
export const ANTHROPIC_VERSION = '2023-06-01';

const TOOL_NAME = 'record_facts';

/** Options of {@link createAnthropicExtractor}. */
export interface AnthropicExtractorOptions extends ExtractorRequestOptions {
  /** Anthropic API key, sent as `x-api-key`. */
  apiKey: string;
  /** Model name, e.g. `claude-3-5-haiku-latest`. */
  model: string;
  /** API base URL; defaults to {@link ANTHROPIC_BASE_URL}. */
  url?: string;
  /** Most tokens the answer may take; defaults to 2048. */
  maxTokens?: number;
}

/**
 * A fact extractor on Anthropic's Messages API: the model is made to call one tool whose
 * `input_schema` is the fact schema (`tool_choice: { type: 'tool' }`), and the tool input is
 * validated on arrival. Failures are `EXTRACTION_FAILED` with `details.reason`.
 */
export function createAnthropicExtractor(options: AnthropicExtractorOptions): FactExtractor {
  new OptionIssues('createAnthropicExtractor', MemnexError.validation)
    .text('apiKey', options.apiKey, true)
    .text('model', options.model, true)
    .httpUrl('url', options.url, false)
    .number('maxTokens', options.maxTokens, 1, 200_000, true)
    .number('timeoutMs', options.timeoutMs, 1, 600_000, true)
    .callable('fetch', options.fetch)
    .throwIfAny();
  const post = extractionEndpoint({
    provider: 'anthropic',
    url: `${(options.url ?? ANTHROPIC_BASE_URL).replace(/\/+$/u, '')}/messages`,
    headers: { 'x-api-key': options.apiKey, 'anthropic-version': ANTHROPIC_VERSION },
    secrets: [options.apiKey],
    options,
  });

  return {
    async extract(input) {
      const response = await post(
        {
          model: options.model,
          max_tokens: options.maxTokens ?? 2048,
          temperature: 0,
          system: SYSTEM_PROMPT,
          messages: [{ role: 'user', content: conversationOf(input) }],
          tools: [
            {
              name: TOOL_NAME,
              description: 'Record the durable facts about the customer found in the conversation.',
              input_schema: FACTS_JSON_SCHEMA,
            },
          ],
          tool_choice: { type: 'tool', name: TOOL_NAME },
        },
        input.signal,
      );
      return parseFactsAnswer('anthropic', toolInputOf(response));
    },
  };
}

/** The input of the forced tool call; a cut-off or missing call is a failure. */
function toolInputOf(response: unknown): unknown {
  const { content, stop_reason: stopReason } = (response ?? {}) as {
    content?: unknown;
    stop_reason?: unknown;
  };
  if (stopReason === 'max_tokens') {
    throw extractionFailed('INVALID_JSON', 'anthropic answer was cut off at max_tokens');
  }
  const call = Array.isArray(content)
    ? (content as Array<{ type?: unknown; name?: unknown; input?: unknown }>).find(
        (block) => block?.type === 'tool_use' && block.name === TOOL_NAME,
      )
    : undefined;
  if (!call)
    throw extractionFailed('SCHEMA_MISMATCH', `anthropic answer has no ${TOOL_NAME} tool call`);
  return call.input;
}
