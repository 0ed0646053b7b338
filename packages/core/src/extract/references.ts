/** Words that introduce a reference, by the entity type it gets. */
const KINDS: ReadonlyArray<[string, string]> = [
  ['order', 'orders?'],
  [
    'ticket',
    'tickets?|case|complaint|dispute|claim|incident|sr|service request|request|booking(?: ref(?:erence)?)?|ref(?:erence)?|bug(?: ticket)?|investigation',
  ],
  ['invoice', 'invoices?|bill no\\.?'],
  ['tracking', 'tracking|awb|consignment|shipment'],
];

const MARKER = String.raw`(?:\s*(?:#|no\.|nos\.|(?:no|nos|num|number|id|ref)\b))?(?:\s+(?:is|was))?\s*[:#]?\s*#?`;
// An id: letters, digits and inner dashes, with at least one digit.
const ID = String.raw`([A-Za-z]{0,6}-?\d[\w-]{1,38}|\d{2,})`;
const PATTERNS = KINDS.map(
  ([type, words]) =>
    [type, new RegExp(String.raw`(?<![\p{L}])(?:${words})${MARKER}${ID}(?![\w-])`, 'giu')] as const,
);
// "ORD-55321": an order id that names itself.
const ORDER_PREFIXED = /(?<![\p{L}\p{N}-])(ORD-?\d{3,})(?![\w-])/gu;
// "to order 40 notebooks": "order" as a verb before a count.
const VERB_BEFORE = /\b(?:to|and|i|we|will|can|could|would|please|pls|want|wanna|need)\s+$/iu;

function normalise(id: string): string {
  return id.replace(/-+$/u, '').toUpperCase();
}

/**
 * Order, ticket, invoice and tracking references as entities: `order #4521` -> `order:4521`,
 * `complaint number CMP-20931` -> `ticket:CMP-20931`, `invoice INV-2024-0088` ->
 * `invoice:INV-2024-0088`. Ids must contain a digit; `#` goes and letters are upper-cased.
 */
export function findReferences(text: string): string[] {
  const found: Array<[number, string]> = [];
  const seen = new Set<string>();
  const add = (index: number, entity: string) => {
    if (seen.has(entity)) return;
    seen.add(entity);
    found.push([index, entity]);
  };
  for (const [type, pattern] of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const id = match[1]!;
      if (
        type === 'order' &&
        /^\d{1,3}$/u.test(id) &&
        VERB_BEFORE.test(text.slice(Math.max(0, match.index - 12), match.index))
      )
        continue;
      if (type === 'order' && /^\d{1,2}$/u.test(id)) continue;
      add(match.index, `${type}:${normalise(id)}`);
    }
  }
  for (const match of text.matchAll(ORDER_PREFIXED))
    add(match.index, `order:${normalise(match[1]!)}`);
  return found.sort((a, b) => a[0] - b[0]).map(([, entity]) => entity);
}
