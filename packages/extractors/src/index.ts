export { createLlmExtractor, LLM_PROVIDERS } from './create-llm-extractor.js';
export type { LlmExtractorConfig, LlmProvider } from './create-llm-extractor.js';
export { createOpenAIExtractor, DEFAULT_TIMEOUT_MS } from './openai-extractor.js';
export type { OpenAIExtractorOptions } from './openai-extractor.js';
export {
  ANTHROPIC_BASE_URL,
  ANTHROPIC_VERSION,
  createAnthropicExtractor,
} from './anthropic-extractor.js';
export type { AnthropicExtractorOptions } from './anthropic-extractor.js';
export { FACTS_JSON_SCHEMA } from './fact-schema.js';
