import { countTokens as countBpeTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { expect, it } from 'vitest';
import { countTokens } from './tokens.js';

it('counts the same as the tokenizer, first time, remembered, evicted and too long to keep', () => {
  const long = 'x y '.repeat(60_000);
  const texts = [
    '',
    'Lives in Leeds',
    'Order #4521 arrived damaged 🙂',
    'a b '.repeat(2_000),
    long,
  ];
  for (const text of texts) {
    expect(countTokens(text)).toBe(text ? countBpeTokens(text) : 0);
    expect(countTokens(text)).toBe(text ? countBpeTokens(text) : 0);
  }
  // Well over the cache's character budget: the first texts are evicted and counted again.
  const filler = 'lorem ipsum '.repeat(10_000);
  for (let index = 0; index < 80; index++) countTokens(`${index} ${filler}`);
  expect(countTokens('Lives in Leeds')).toBe(countBpeTokens('Lives in Leeds'));
  expect(countTokens(`79 ${filler}`)).toBe(countBpeTokens(`79 ${filler}`));
});
