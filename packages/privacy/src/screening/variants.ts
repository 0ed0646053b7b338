import { decodeHidden, rot13 } from './decode.js';
import {
  cleanForScreening,
  foldForScreening,
  loosenForScreening,
  normalizeForScreening,
} from './normalize.js';

/** One form of a screened text. */
export interface TextVariant {
  /** The text in this form. */
  text: string;
  /** Where it comes from: the text as given, a normalised form, or a decoding. */
  variant: 'original' | 'normalized' | 'decoded';
  /** Match phrase patterns (every form but the raw input when a normalised form exists). */
  phrases: boolean;
  /** Match role and delimiter tokens, which need punctuation. */
  boundaries: boolean;
}

/** Longest text that is also read backwards and in ROT13. */
const MAX_TRANSFORMED = 8192;

/**
 * The forms of a text that the screen checks, without duplicates: as given (for role tokens),
 * cleaned (NFKC, invisible characters removed, other scripts kept), normalised (look-alike
 * letters folded), loosened (with and without hyphens inside words), every decoding of hidden
 * content and its forms, and for texts up to 8 KiB the text backwards and in ROT13.
 */
export function variantsOf(text: string): TextVariant[] {
  const variants: TextVariant[] = [];
  const seen = new Set<string>();
  const add = (value: string, variant: TextVariant['variant'], keepsPunctuation: boolean) => {
    const key = `${keepsPunctuation ? 'p' : 'l'}${value}`;
    if (value.length === 0 || seen.has(key)) return;
    seen.add(key);
    variants.push({ text: value, variant, phrases: true, boundaries: keepsPunctuation });
  };
  const addForms = (value: string, variant: TextVariant['variant']) => {
    const folded = foldForScreening(value);
    add(folded.replace(/\s+/gu, ' ').trim(), variant, true);
    add(loosenForScreening(folded), variant, false);
    if (/\p{L}[-‐‑]\p{L}/u.test(folded)) add(loosenForScreening(folded, true), variant, false);
  };

  const normalized = normalizeForScreening(text);
  const cleaned = cleanForScreening(text);
  const collapsed = cleaned.replace(/\s+/gu, ' ').trim();
  if (collapsed !== text) {
    // Phrase patterns ignore whitespace and case, so the cleaned form finds all they would find
    // in the raw text; the raw text is kept for role tokens that cleaning might hide.
    seen.add(`p${text}`);
    variants.push({ text, variant: 'original', phrases: false, boundaries: true });
  }
  // Other scripts and accents as written, for the patterns of other languages.
  add(collapsed, collapsed === text ? 'original' : 'normalized', true);
  addForms(text, normalized === text ? 'original' : 'normalized');
  for (const decoded of decodeHidden(cleaned)) {
    add(decoded.text, 'decoded', true);
    addForms(decoded.text, 'decoded');
  }
  // Text written backwards or in ROT13 is unreadable to a customer and readable to a model.
  if (text.length <= MAX_TRANSFORMED) {
    add([...normalized].reverse().join(''), 'decoded', true);
    add(rot13(normalized), 'decoded', true);
  }
  return variants;
}
