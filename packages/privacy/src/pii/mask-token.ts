import { PII_KINDS, type PiiKind } from './pii-kind.js';

/** `credit_card` -> `CREDIT_CARD`: the label a kind carries inside a mask token. */
export function tokenLabel(kind: PiiKind): string {
  return kind.toUpperCase();
}

const LABELS = PII_KINDS.map(tokenLabel).join('|');

/**
 * Any token a masker writes: `[EMAIL]`, `[EMAIL:5f0c1a9e2b7d]` or `[EMAIL:enc:<base64url>]`.
 * Detection skips these so masking is idempotent and tokens never get masked again.
 */
export const MASK_TOKEN = new RegExp(
  `\\[(${LABELS})(?::[0-9a-f]{12}|:enc:[A-Za-z0-9_-]{39,8192})?\\]`,
  'g',
);

/** An `encrypt` token; group 1 is the label, group 2 the base64url payload. */
export const ENCRYPTED_TOKEN = new RegExp(`\\[(${LABELS}):enc:([A-Za-z0-9_-]{39,8192})\\]`, 'g');

/** The kind a token label stands for. */
export function kindOfLabel(label: string): PiiKind {
  return label.toLowerCase() as PiiKind;
}

/** `[start, end)` ranges of the mask tokens already in a text. */
export function findMaskTokens(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  if (!text.includes('[')) return ranges;
  for (const match of text.matchAll(MASK_TOKEN)) {
    ranges.push([match.index, match.index + match[0].length]);
  }
  return ranges;
}

/**
 * The text with every mask token overwritten by spaces, offsets unchanged, so an external
 * analyzer neither reports a token nor reads its label as a word.
 */
export function blankMaskTokens(text: string): string {
  if (!text.includes('[')) return text;
  return text.replace(MASK_TOKEN, (token) => ' '.repeat(token.length));
}
