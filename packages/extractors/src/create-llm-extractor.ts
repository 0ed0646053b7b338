import { MemnexError, type FactExtractor } from '@memnex/core';
import { createAnthropicExtractor, type AnthropicExtractorOptions } from './anthropic-extractor.js';
import { createOpenAIExtractor, type OpenAIExtractorOptions } from './openai-extractor.js';

/** Provider names accepted by {@link createLlmExtractor}. */
export const LLM_PROVIDERS = ['openai', 'anthropic'] as const;

/** One of {@link LLM_PROVIDERS}. */
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

/** Configuration of {@link createLlmExtractor}: a provider name plus that provider's options. */
export type LlmExtractorConfig =
  | ({ provider: 'openai' } & OpenAIExtractorOptions)
  | ({ provider: 'anthropic' } & AnthropicExtractorOptions);

/** Build the extractor named by `config.provider`; the composition root's single entry point. */
export function createLlmExtractor(config: LlmExtractorConfig): FactExtractor {
  switch (config.provider) {
    case 'openai': {
      const { provider: _provider, ...options } = config;
      return createOpenAIExtractor(options);
    }
    case 'anthropic': {
      const { provider: _provider, ...options } = config;
      return createAnthropicExtractor(options);
    }
    default: {
      const provider: unknown = (config as { provider?: unknown }).provider;
      throw MemnexError.validation(
        [
          {
            path: 'provider',
            message: `must be one of ${LLM_PROVIDERS.join(', ')}`,
            code: 'invalid_enum_value',
          },
        ],
        `unknown LLM provider ${JSON.stringify(provider)}`,
      );
    }
  }
}
