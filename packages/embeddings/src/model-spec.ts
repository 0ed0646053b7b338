import { type EmbedderResolver, type Logger, MemnexError } from '@memnex/core';
import { createEmbedder, type EmbedderConfig } from './create-embedder.js';
import { LOCAL_MODEL_ID } from './local-embedder.js';

/** What an instance builds embedders of model specs with: its own endpoints and keys. */
export interface EmbedderCredentials {
  /** The OpenAI-compatible endpoint `openai:<model>` specs are embedded with. */
  openai?: { url: string; apiKey?: string };
  /** The Gemini API key `google:<model>` specs are embedded with. */
  google?: { apiKey: string };
  /** Given to the HTTP providers; silent by default. */
  logger?: Logger;
}

/** Options of {@link createEmbedderResolver}. */
export interface EmbedderResolverOptions extends EmbedderCredentials {
  /** Spec of the model this instance is configured with, e.g. from {@link modelSpecOf}. */
  configured: string;
}

function invalidSpec(spec: string, message: string): MemnexError {
  return MemnexError.validation(
    [{ path: 'spec', message, code: 'invalid_string' }],
    `invalid embedding model spec ${JSON.stringify(spec)}: ${message}`,
  );
}

/**
 * The spec of a provider configuration: the string every instance can turn back into the same
 * embedder with its own credentials (`local`, `hash:256`, `openai:<model>`, `google:<model>`).
 * For every provider but `local` it equals the model id of the vectors.
 */
export function modelSpecOf(config: EmbedderConfig): string {
  // Building an embedder reaches no network; its model id is a spec of itself (the local one's
  // names its weights, and `local` is shorter).
  return config.provider === 'local' ? 'local' : createEmbedder(config).model;
}

/**
 * The {@link createEmbedder} configuration of a spec: `local` (or its model id
 * `local:use-lite-512`), `hash` or `hash:<dimensions>`, `openai:<model>` (needs the `openai`
 * endpoint), `google` or `google:<model>` (needs the `google` key). A model id of these providers
 * is a spec of itself. `VALIDATION_FAILED` for anything else.
 */
export function embedderConfigOf(
  spec: string,
  credentials: EmbedderCredentials = {},
): EmbedderConfig {
  const trimmed = spec.trim();
  const colon = trimmed.indexOf(':');
  const provider = colon < 0 ? trimmed : trimmed.slice(0, colon);
  const model = colon < 0 ? '' : trimmed.slice(colon + 1).trim();
  const { logger } = credentials;
  switch (provider) {
    case 'local':
      if (model !== '' && `local:${model}` !== LOCAL_MODEL_ID) {
        throw invalidSpec(spec, `the local provider has one model, ${LOCAL_MODEL_ID}`);
      }
      return { provider: 'local', ...(logger ? { logger } : {}) };
    case 'hash': {
      if (model === '') return { provider: 'hash' };
      const dimensions = Number(model);
      if (!/^\d+$/.test(model) || !Number.isSafeInteger(dimensions) || dimensions < 1) {
        throw invalidSpec(spec, 'use hash:<dimensions>, e.g. hash:256');
      }
      return { provider: 'hash', dimensions };
    }
    case 'openai':
      if (model === '')
        throw invalidSpec(spec, 'name the model, e.g. openai:text-embedding-3-small');
      if (!credentials.openai) {
        throw invalidSpec(
          spec,
          'no OpenAI-compatible endpoint is configured (MEMNEX_EMBEDDING_URL)',
        );
      }
      return { provider: 'openai', ...credentials.openai, model, ...(logger ? { logger } : {}) };
    case 'google':
      if (!credentials.google) throw invalidSpec(spec, 'no Google API key is configured');
      return {
        provider: 'google',
        ...credentials.google,
        ...(model === '' ? {} : { model }),
        ...(logger ? { logger } : {}),
      };
    default:
      throw invalidSpec(spec, 'start with local, hash, openai: or google');
  }
}

/**
 * An {@link EmbedderResolver} for `createMemnex({ embedders })`: it builds a new embedder for
 * any spec with these credentials, so an instance can embed with whichever model the index
 * serves. The configured spec is checked at once.
 */
export function createEmbedderResolver(options: EmbedderResolverOptions): EmbedderResolver {
  const { configured, ...credentials } = options;
  embedderConfigOf(configured, credentials);
  return {
    configured,
    resolve: (spec) => createEmbedder(embedderConfigOf(spec, credentials)),
  };
}
