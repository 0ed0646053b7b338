/** Chat spellings expanded so that one set of cues reads every channel. */
const EXPANSIONS: ReadonlyArray<[RegExp, string]> = [
  [/[‘’`´]/gu, "'"],
  [/\b(?:pls|plz|plse)\b/gu, 'please'],
  [/\bim\b/gu, "i'm"],
  [/\bive\b/gu, "i've"],
  [/\bid like\b/gu, "i'd like"],
  [/\b(do|does|did|is|are|was|were|has|have|had|ca|wo|could|should|would)nt\b/gu, "$1n't"],
  [/\bcant\b/gu, "can't"],
  [/\bwont\b/gu, "won't"],
  [/\bu\b/gu, 'you'],
  [/\bur\b/gu, 'your'],
  [/\bwanna\b/gu, 'want to'],
  [/\bgonna\b/gu, 'going to'],
  [/\b(?:tmrw|tmr|tmw)\b/gu, 'tomorrow'],
  [/\bmsgs?\b/gu, 'messages'],
  [/\byrs\b/gu, 'years'],
  [/\bpwd\b/gu, 'password'],
  [/\s+/gu, ' '],
];

/** Lower-cased text with chat spellings expanded ("pls dont" -> "please don't"), for cues. */
export function cueText(text: string): string {
  let result = text.normalize('NFKC').toLowerCase();
  for (const [pattern, replacement] of EXPANSIONS) result = result.replace(pattern, replacement);
  return result.trim();
}
