import { countTokens as countBpeTokens } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * Number of tokens of `text` under the o200k_base BPE encoding (the GPT-4o family's), which is
 * within a few percent of other modern tokenizers for English and exact for OpenAI models.
 */
export function countTokens(text: string): number {
  return text.length === 0 ? 0 : countBpeTokens(text);
}
