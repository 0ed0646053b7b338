import { type Embedder, MemnexError } from '@memnex/core';
import { createGoogleEmbedder, type GoogleEmbedderOptions } from './google-embedder.js';
import { createHashEmbedder, type HashEmbedderOptions } from './hash-embedder.js';
import { createLocalEmbedder, type LocalEmbedderOptions } from './local-embedder.js';
import { createOpenAIEmbedder, type OpenAIEmbedderOptions } from './openai-embedder.js';

/** Provider names accepted by {@link createEmbedder}. */
export const EMBEDDING_PROVIDERS = ['local', 'openai', 'google', 'hash'] as const;

/** One of {@link EMBEDDING_PROVIDERS}. */
export type EmbeddingProvider = (typeof EMBEDDING_PROVIDERS)[number];

/** Configuration of {@link createEmbedder}: a provider name plus that provider's options. */
export type EmbedderConfig =
  | ({ provider: 'local' } & LocalEmbedderOptions)
  | ({ provider: 'openai' } & OpenAIEmbedderOptions)
  | ({ provider: 'google' } & GoogleEmbedderOptions)
  | ({ provider: 'hash' } & HashEmbedderOptions);

/** Build the embedder named by `config.provider`; the composition root's single entry point. */
export function createEmbedder(config: EmbedderConfig): Embedder {
  switch (config.provider) {
    case 'local': {
      const { provider: _provider, ...options } = config;
      return createLocalEmbedder(options);
    }
    case 'openai': {
      const { provider: _provider, ...options } = config;
      return createOpenAIEmbedder(options);
    }
    case 'google': {
      const { provider: _provider, ...options } = config;
      return createGoogleEmbedder(options);
    }
    case 'hash': {
      const { provider: _provider, ...options } = config;
      return createHashEmbedder(options);
    }
    default: {
      const provider: unknown = (config as { provider?: unknown }).provider;
      throw MemnexError.validation(
        [
          {
            path: 'provider',
            message: `must be one of ${EMBEDDING_PROVIDERS.join(', ')}`,
            code: 'invalid_enum_value',
          },
        ],
        `unknown embedding provider ${JSON.stringify(provider)}`,
      );
    }
  }
}
