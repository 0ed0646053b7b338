import { describe, expect, it } from 'vitest';
import { createEmbedder, type EmbedderConfig } from './create-embedder.js';

describe('createEmbedder', () => {
  it('selects the provider named in the config', () => {
    expect(createEmbedder({ provider: 'hash', dimensions: 32 }).model).toBe('hash:32');
    // The local model id is known without loading the weights.
    expect(createEmbedder({ provider: 'local' }).model).toBe('local:use-lite-512');
    expect(
      createEmbedder({ provider: 'openai', url: 'http://127.0.0.1:1/v1', model: 'bge-m3' }).model,
    ).toBe('openai:bge-m3');
    expect(createEmbedder({ provider: 'google', apiKey: 'key' }).model).toBe(
      'google:text-embedding-004',
    );
  });

  it('rejects an unknown provider with VALIDATION_FAILED', () => {
    expect(() => createEmbedder({ provider: 'cohere' } as unknown as EmbedderConfig)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });
});
