/** One signal of the injection screen. */
export interface ScreenPattern {
  /** Stable name, shown in hits and reasons, e.g. `ignore-previous-instructions`. */
  name: string;
  /** Contribution to the score: 1 blocks alone, smaller weights block only together. */
  weight: number;
  /** Matched case-insensitively; global, so every occurrence can be checked. */
  regex: RegExp;
  /**
   * `phrase` patterns are matched on every form of the text; `boundary` patterns (role and
   * delimiter tokens) only on the forms that keep punctuation.
   */
  scope: 'phrase' | 'boundary';
  /** Refuses an occurrence the regex alone cannot rule out; `text` is the whole text. */
  accept?: (match: RegExpMatchArray, text: string) => boolean;
}

const WORD = String.raw`[\p{L}\p{M}\p{N}_]`;
const STARTS_WORD = String.raw`(?<!${WORD})`;
const ENDS_WORD = String.raw`(?!${WORD})`;
const EITHER = String.raw`(?:(?<=${WORD})${ENDS_WORD}|${STARTS_WORD}(?=${WORD}))`;
/** What may come before a `\b` that opens a word: nothing, `|`, `(`, `(?:`, a lookaround. */
const BEFORE_WORD_START = /(?:^|\||\((?:\?:|\?<?[!=])?)$/u;
/** What may follow a `\b` that closes a word: nothing, `|`, `)`, whitespace, a lookaround. */
const AFTER_WORD_END = /^(?:$|\||\)|\\s|\(\?<?[!=]|\[\^)/u;

/**
 * A global, case-insensitive, Unicode regex from a pattern source. JavaScript's `\b` only
 * knows ASCII letters (`\bönceki` never matches), so each `\b` becomes a Unicode boundary;
 * where the source shows that it opens or closes a word, a one-sided check is used, which also
 * keeps scanning long texts fast.
 */
export function pattern(source: string): RegExp {
  const converted = source.replace(/(?<!\\)\\b/g, (_boundary, offset: number) => {
    if (BEFORE_WORD_START.test(source.slice(0, offset))) return STARTS_WORD;
    if (AFTER_WORD_END.test(source.slice(offset + 2))) return ENDS_WORD;
    return EITHER;
  });
  return new RegExp(converted, 'giu');
}

/** `(?:a|b|c)` from space-separated alternatives; `_` inside an alternative stands for whitespace. */
export function oneOf(alternatives: string): string {
  return `(?:${alternatives
    .trim()
    .split(/\s+/)
    .map((alternative) => alternative.replace(/_/g, String.raw`\s+`))
    .join('|')})`;
}

/** The first occurrence of `regex` in `text` that `accept` agrees with, or null. */
export function firstAccepted(item: ScreenPattern, text: string): RegExpMatchArray | null {
  for (const match of text.matchAll(item.regex)) {
    if (!item.accept || item.accept(match, text)) return match;
  }
  return null;
}
