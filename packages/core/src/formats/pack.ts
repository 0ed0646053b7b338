import type { MemoryRecord } from '../model.js';
import type { ContextFormatter, FormatContext } from './formatter.js';
import { countTokens } from './tokens.js';

/** Result of {@link packContext}. */
export interface PackedContext {
  context: string;
  items: MemoryRecord[];
  tokens: number;
}

/** Per-section overhead guessed before rendering; the exact count is always checked after. */
const SECTION_OVERHEAD_TOKENS = 6;

/**
 * Fit ranked memories into a token budget. Items are chosen greedily in rank order using their
 * estimated cost, then the rendered context is counted exactly and trimmed from the lowest rank
 * until it fits: the returned `tokens` never exceeds `budget`.
 */
export function packContext(
  formatter: ContextFormatter,
  ranked: MemoryRecord[],
  budget: number,
  context: FormatContext,
  lineCost: (item: MemoryRecord) => number = (item) => countTokens(formatter.line(item)),
  count: (text: string) => number = countTokens,
): PackedContext {
  const first = ranked[0];
  if (!first) return { context: '', items: [], tokens: 0 };
  const header = Math.max(0, count(formatter.render([first], context).text) - lineCost(first));

  const chosen: MemoryRecord[] = [];
  const types = new Set<string>();
  let estimate = header;
  for (const item of ranked) {
    const cost = lineCost(item) + (types.has(item.type) ? 0 : SECTION_OVERHEAD_TOKENS);
    if (estimate + cost > budget) continue;
    chosen.push(item);
    types.add(item.type);
    estimate += cost;
  }

  let rendered = formatter.render(chosen, context);
  let tokens = count(rendered.text);
  while (tokens > budget && chosen.length > 0) {
    chosen.pop();
    rendered = formatter.render(chosen, context);
    tokens = count(rendered.text);
  }
  return { context: rendered.text, items: rendered.used, tokens };
}
