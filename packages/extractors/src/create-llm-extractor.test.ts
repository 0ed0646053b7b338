import { describe, expect, it } from 'vitest';
import { createLlmExtractor } from './create-llm-extractor.js';

describe('createLlmExtractor', () => {
  it('builds the provider it is asked for', () => {
    expect(
      createLlmExtractor({
        provider: 'openai',
        url: 'http://localhost:11434/v1',
        model: 'llama3.1',
      }),
    ).toHaveProperty('extract');
    expect(
      createLlmExtractor({ provider: 'anthropic', apiKey: 'k', model: 'claude' }),
    ).toHaveProperty('extract');
  });

  it('refuses an unknown provider', () => {
    expect(() => createLlmExtractor({ provider: 'cohere' } as never)).toThrow(
      /unknown LLM provider "cohere"/u,
    );
  });
});
