export { createLlmExtractor, LLM_PROVIDERS } from './create-llm-extractor.js';
export type { LlmExtractorConfig, LlmProvider } from './create-llm-extractor.js';
export { createOpenAIExtractor } from './openai-extractor.js';
export { DEFAULT_TIMEOUT_MS } from './extraction-request.js';
export type { ExtractorRequestOptions } from './extraction-request.js';
export type { OpenAIExtractorOptions } from './openai-extractor.js';
export {
  ANTHROPIC_BASE_URL,
  ANTHROPIC_VERSION,
  createAnthropicExtractor,
} from './anthropic-extractor.js';
export type { AnthropicExtractorOptions } from './anthropic-extractor.js';
export { FACTS_JSON_SCHEMA } from './fact-schema.js';
