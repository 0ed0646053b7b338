import { findAmounts } from './amounts.js';
import { findDates } from './dates.js';
import { findProducts } from './products.js';
import { findReferences } from './references.js';

/** Entity types in the order that best names a fact's slot: what it is about comes first. */
const ORDER = ['order', 'ticket', 'invoice', 'tracking', 'product', 'amount', 'date'];

const rank = (entity: string) => {
  const position = ORDER.indexOf(entity.slice(0, entity.indexOf(':')));
  return position === -1 ? ORDER.length : position;
};

/**
 * Every `type:value` entity of a text: references (order, ticket, invoice, tracking), products,
 * money amounts and dates, ordered by type as above and then by position; duplicates removed.
 */
export function findEntities(text: string, reference: Date): string[] {
  return mergeEntities(
    findReferences(text),
    findProducts(text),
    findAmounts(text),
    findDates(text, reference),
  );
}

/** Merge entity lists, keeping the slot order of {@link findEntities}. */
export function mergeEntities(...lists: string[][]): string[] {
  const unique = [...new Set(lists.flat())];
  return unique
    .map((entity, position) => ({ entity, position }))
    .sort((a, b) => rank(a.entity) - rank(b.entity) || a.position - b.position)
    .map(({ entity }) => entity);
}
