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

/** Word characters of every script, and of ASCII alone. */
const UNICODE_WORD = String.raw`[\p{L}\p{M}\p{N}_]`;
const ASCII_WORD = '[A-Za-z0-9_]';
/** What may come before a `\b` that opens a word: nothing, `|`, `(`, `(?:`, a lookaround. */
const BEFORE_WORD_START = /(?:^|\||\((?:\?:|\?<?[!=])?)$/u;
/** What may follow a `\b` that closes a word: nothing, `|`, `)`, whitespace, a lookaround. */
const AFTER_WORD_END = /^(?:$|\||\)|\\s|\(\?<?[!=]|\[\^)/u;

/** `source` with each `\b` written as a boundary of `word` characters. */
function withBoundaries(source: string, word: string): string {
  const starts = `(?<!${word})`;
  const ends = `(?!${word})`;
  return source.replace(/(?<!\\)\\b/g, (_boundary, offset: number) => {
    if (BEFORE_WORD_START.test(source.slice(0, offset))) return starts;
    if (AFTER_WORD_END.test(source.slice(offset + 2))) return ends;
    return `(?:(?<=${word})${ends}|${starts}(?=${word}))`;
  });
}

/**
 * The ASCII form of each {@link pattern}. Where a text has no letter, mark or digit outside ASCII,
 * ASCII and Unicode word boundaries agree, and the ASCII form is far cheaper to compile and run.
 */
const ASCII_FORMS = new WeakMap<RegExp, RegExp>();
/** A letter, mark or digit outside ASCII: the Unicode form of a pattern is needed. */
const NON_ASCII_WORD = /(?=\P{ASCII})[\p{L}\p{M}\p{N}]/u;

/** Whether {@link firstAccepted} may use the ASCII forms of the patterns on `text`. */
export function asciiWordsOnly(text: string): boolean {
  return !NON_ASCII_WORD.test(text);
}

/**
 * A global, case-insensitive, Unicode regex from a pattern source. JavaScript's `\b` only
 * knows ASCII letters (`\bönceki` never matches), so each `\b` becomes a Unicode boundary;
 * where the source shows that it opens or closes a word, a one-sided check is used, which also
 * keeps scanning long texts fast.
 */
export function pattern(source: string): RegExp {
  const regex = new RegExp(withBoundaries(source, UNICODE_WORD), 'giu');
  ASCII_FORMS.set(regex, new RegExp(withBoundaries(source, ASCII_WORD), 'giu'));
  return regex;
}

/** `(?:a|b|c)` from space-separated alternatives; `_` inside an alternative stands for whitespace. */
export function oneOf(alternatives: string): string {
  return `(?:${alternatives
    .trim()
    .split(/\s+/)
    .map((alternative) => alternative.replace(/_/g, String.raw`\s+`))
    .join('|')})`;
}

/**
 * The first occurrence of `regex` in `text` that `accept` agrees with, or null. `asciiWords` is
 * {@link asciiWordsOnly} of the text, computed once per text by the caller.
 */
export function firstAccepted(
  item: ScreenPattern,
  text: string,
  asciiWords = asciiWordsOnly(text),
): RegExpMatchArray | null {
  const regex = (asciiWords && ASCII_FORMS.get(item.regex)) || item.regex;
  for (const match of text.matchAll(regex)) {
    if (!item.accept || item.accept(match, text)) return match;
  }
  return null;
}
