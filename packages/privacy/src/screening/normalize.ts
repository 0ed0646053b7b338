import { foldHomoglyphs } from './homoglyphs.js';

type Ranges = ReadonlyArray<readonly [number, number]>;

/**
 * Code points that render as nothing: soft hyphen, combining grapheme joiner, Arabic letter
 * mark, Hangul fillers, Mongolian and other variation selectors, zero-width characters, bidi
 * controls, word joiners, BOM, musical formatting controls, tag control characters. Unicode
 * tag characters proper are handled apart: they spell hidden ASCII.
 */
const INVISIBLE: Ranges = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x2064],
  [0x2066, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0x1d173, 0x1d17a],
  [0xe0000, 0xe001f],
  [0xe007f, 0xe007f],
  [0xe0100, 0xe01ef],
];

/** Combining marks that put accents on Latin, Greek and Cyrillic letters. */
const COMBINING_DIACRITICS: Ranges = [
  [0x0300, 0x036f],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x20d0, 0x20ff],
  [0xfe20, 0xfe2f],
];

/** Runs of Unicode tag characters (U+E0020-U+E007E), an invisible copy of printable ASCII. */
const TAG_RUN = /[\u{E0020}-\u{E007E}]+/gu;

/** The text without the code points in `ranges`. */
function withoutCodePoints(text: string, ranges: Ranges): string {
  let result = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (!ranges.some(([low, high]) => code >= low && code <= high)) result += char;
  }
  return result;
}

/**
 * NFKC, invisible characters removed and hidden tag text made visible; case and everything
 * else kept. This is the form encoded blobs are looked for in.
 */
export function cleanForScreening(text: string): string {
  const revealed = text
    .normalize('NFKC')
    .replace(
      TAG_RUN,
      (run) =>
        ` ${[...run].map((char) => String.fromCodePoint(char.codePointAt(0)! - 0xe0000)).join('')} `,
    );
  return withoutCodePoints(revealed, INVISIBLE);
}

/**
 * The form of a text that injection patterns are matched against: NFKC (fullwidth, circled and
 * mathematical letters become plain letters), invisible and bidi characters removed, hidden
 * Unicode tag text revealed, look-alike letters of other scripts folded to Latin, accents
 * stripped from Latin letters, whitespace collapsed. Meant for matching, not for display:
 * Cyrillic or Greek prose comes out as Latin look-alikes.
 */
export function normalizeForScreening(text: string): string {
  return foldForScreening(text).replace(/\s+/gu, ' ').trim();
}

/** {@link normalizeForScreening} without the whitespace collapse. */
export function foldForScreening(text: string): string {
  const decomposed = foldHomoglyphs(cleanForScreening(text)).normalize('NFD');
  return withoutCodePoints(decomposed, COMBINING_DIACRITICS).normalize('NFC');
}

/** Letters spelled out one by one: "i g n o r e", "i.g.n.o.r.e", "i-g-n-o-r-e". */
const SPREAD_LETTERS = /(?<![\p{L}\p{N}])\p{L}(?:[ ._*~·-]\p{L}(?![\p{L}\p{N}])){2,}/gu;

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};

const WORD_WITH_SYMBOLS = /[\p{L}\d@$]+/gu;

/**
 * A looser form of a folded text ({@link foldForScreening}) for phrase patterns: lower case,
 * spelled-out letters joined ("i g n o r e   a l l" -> "ignore all"; a wider gap separates
 * words), leetspeak digits inside words read as letters, every run of punctuation read as one
 * space ("ignore_all_previous" -> "ignore all previous"). With `joinHyphens`, hyphens inside
 * words are dropped first ("ig-nore pre-vious" -> "ignore previous").
 */
export function loosenForScreening(folded: string, joinHyphens = false): string {
  const text = joinHyphens ? folded.replace(/(?<=\p{L})[-‐‑](?=\p{L})/gu, '') : folded;
  return text
    .toLowerCase()
    .replace(SPREAD_LETTERS, (run) => run.replace(/[ ._*~·-]/g, ''))
    .replace(WORD_WITH_SYMBOLS, readLeet)
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim();
}

/** A word mixing letters with digits, `@` or `$` standing in for letters: "1gn0re", "pr0mpt". */
function readLeet(word: string): string {
  if (!/\p{L}/u.test(word) || !/[\d@$]/.test(word)) return word;
  return word.replace(/[013457@$]/g, (char) => LEET[char]!);
}
