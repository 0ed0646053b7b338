import { describe, expect, it } from 'vitest';
import { createEmbedder } from './create-embedder.js';
import { createEmbedderResolver, embedderConfigOf, modelSpecOf } from './model-spec.js';

const credentials = {
  openai: { url: 'http://127.0.0.1:1/v1', apiKey: 'sk-test' },
  google: { apiKey: 'google-key' },
};

describe('model specs', () => {
  it('name the same embedder as the configuration they come from', () => {
    for (const config of [
      { provider: 'local' as const },
      { provider: 'hash' as const, dimensions: 64 },
      { provider: 'openai' as const, url: 'http://127.0.0.1:1/v1', model: 'nomic-embed-text:v1.5' },
      { provider: 'google' as const, apiKey: 'google-key', model: 'models/gemini-embedding-001' },
    ]) {
      const spec = modelSpecOf(config);
      const rebuilt = createEmbedder(embedderConfigOf(spec, credentials));
      expect(rebuilt.model, spec).toBe(createEmbedder(config).model);
    }
  });

  it('accept every model id of these providers as a spec of itself', () => {
    for (const id of [
      'local:use-lite-512',
      'hash:32',
      'openai:text-embedding-3-small',
      'google:text-embedding-004',
    ]) {
      expect(createEmbedder(embedderConfigOf(id, credentials)).model).toBe(id);
    }
    expect(createEmbedder(embedderConfigOf('hash', credentials)).model).toBe('hash:256');
    expect(createEmbedder(embedderConfigOf('google', credentials)).model).toBe(
      'google:text-embedding-004',
    );
  });

  it('take the endpoint and key of this instance, never from the spec', () => {
    expect(embedderConfigOf('openai:bge-m3', credentials)).toMatchObject({
      provider: 'openai',
      model: 'bge-m3',
      url: 'http://127.0.0.1:1/v1',
      apiKey: 'sk-test',
    });
  });

  it.each([
    ['cohere:embed-v3', 'start with local, hash, openai: or google'],
    ['hash:0', 'hash:<dimensions>'],
    ['hash:12x', 'hash:<dimensions>'],
    ['local:other', 'one model'],
    ['openai:', 'name the model'],
  ])('refuse %s with VALIDATION_FAILED', (spec, message) => {
    expect(() => embedderConfigOf(spec, credentials)).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        message: expect.stringContaining(message),
      }),
    );
  });

  it('refuse a provider whose credentials this instance lacks, naming what is missing', () => {
    expect(() => embedderConfigOf('openai:text-embedding-3-small')).toThrow(/MEMNEX_EMBEDDING_URL/);
    expect(() => embedderConfigOf('google:text-embedding-004')).toThrow(/Google API key/);
  });

  it('resolve specs lazily into new embedders, and check the configured one at once', () => {
    const resolver = createEmbedderResolver({ configured: 'hash:16', ...credentials });
    expect(resolver.configured).toBe('hash:16');
    expect(resolver.resolve('hash:8').dimensions).toBe(8);
    expect(resolver.resolve('hash:16')).not.toBe(resolver.resolve('hash:16'));
    expect(() => createEmbedderResolver({ configured: 'google' })).toThrow(/Google API key/);
  });
});
