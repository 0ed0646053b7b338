/** How much speech clean-up a channel gets. */
export interface DisfluencyOptions {
  /**
   * Spoken-language clean-up (voice transcripts): discourse fillers ("you know", "I mean", "like"
   * used as a filler, "basically") and repeated words and phrases ("I I I", "my order my order").
   * Typed hesitations ("um", "uh", "hmm") are removed on every channel.
   */
  spoken: boolean;
}

interface Word {
  /** The word as written, punctuation attached. */
  raw: string;
  /** Lower-cased letters and digits only, for comparisons. */
  core: string;
}

const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
const HESITATION = /^(?:u+m+|u+h+m*|e+r+m+|e+r+|h+m+|m+h*m+|a+h+|e+h+|mhm|uhuh)$/u;
const SPOKEN_FILLERS = new Set(['basically', 'literally', 'actually', 'honestly']);
const FINAL_PUNCTUATION = /[.?!]+$/u;

/** Words after which "like" is a verb or a preposition ("I'd like", "looks like"), not a filler. */
const LIKE_KEPT_AFTER = new Set(
  (
    "i you we they he she people who would i'd you'd we'd they'd he'd she'd don't didn't doesn't " +
    'do does did not really also still just looks look looked feel feels felt sounds sound ' +
    "seems seem something anything nothing things stuff more much exactly kinda would've i'll " +
    "you'll we'll they'll to customers kids"
  ).split(' '),
);
/** Words after which "like" is a filler ("it was like broken", "and like the box"). */
const LIKE_FILLER_AFTER = new Set(
  "is was were are it's that's and but so or be been um uh".split(' '),
);
/** Words before "you know" that make it a real question ("do you know"). */
const KNOW_KEPT_AFTER = new Set(
  "do did does don't didn't would will if as let what how whether to could can".split(' '),
);
/** Words after "you know" that make it a real clause ("you know what I ordered"). */
const KNOW_KEPT_BEFORE = new Set(
  'what where how why when who whom which if whether that about the my me him her them it this'.split(
    ' ',
  ),
);
const NUMBER_WORDS = new Set(
  'one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred a an'.split(
    ' ',
  ),
);

function wordOf(raw: string): Word {
  return { raw, core: raw.toLowerCase().replace(EDGE_PUNCTUATION, '') };
}

const trailingComma = (word: Word | undefined) => word !== undefined && /,$/u.test(word.raw);
const endsSentence = (word: Word | undefined) =>
  word === undefined || FINAL_PUNCTUATION.test(word.raw);

/**
 * Remove hesitations, and on spoken channels fillers and repetitions, from one message. Runs in
 * time linear in the length of the text; never returns more text than it was given.
 */
export function removeDisfluencies(text: string, options: DisfluencyOptions): string {
  const lines = text.split('\n').map((line) => cleanLine(line, options));
  return lines
    .join('\n')
    .replace(/\n{3,}/gu, '\n\n')
    .trim();
}

function cleanLine(line: string, options: DisfluencyOptions): string {
  const words = line.split(/\s+/u).filter(Boolean).map(wordOf);
  const kept: Word[] = [];
  let capitaliseNext = false;

  /** Drop words[index..index+count) as a filler, keeping sentence punctuation and capitals. */
  const drop = (index: number, count: number, phrase: boolean): number => {
    const last = words[index + count - 1]!;
    const previous = kept[kept.length - 1];
    const final = FINAL_PUNCTUATION.exec(last.raw)?.[0];
    if (final && previous) {
      previous.raw = previous.raw.replace(/[,;:]+$/u, '') + final;
    } else if (previous && trailingComma(previous) && !phrase && trailingComma(last)) {
      // "it was, like, broken" -> "it was broken"; "membership, I mean, I'm" keeps one comma.
      previous.raw = previous.raw.slice(0, -1);
    }
    if (endsSentence(previous) && /^\p{Lu}/u.test(words[index]!.raw)) capitaliseNext = true;
    return index + count;
  };

  for (let index = 0; index < words.length;) {
    const word = words[index]!;
    const next = words[index + 1];
    const previous = kept[kept.length - 1];
    if (word.core !== '' && HESITATION.test(word.core)) {
      index = drop(index, 1, false);
      continue;
    }
    if (options.spoken) {
      if (SPOKEN_FILLERS.has(word.core)) {
        index = drop(index, 1, false);
        continue;
      }
      if (word.core === 'like' && isFillerLike(word, previous, next)) {
        index = drop(index, 1, false);
        continue;
      }
      if (
        word.core === 'you' &&
        next?.core === 'know' &&
        isFillerPhrase(previous, next, words[index + 2], KNOW_KEPT_AFTER)
      ) {
        index = drop(index, 2, true);
        continue;
      }
      if (
        word.core === 'i' &&
        next?.core === 'mean' &&
        isFillerPhrase(previous, next, words[index + 2], new Set(['what', 'which', 'that']))
      ) {
        index = drop(index, 2, true);
        continue;
      }
    }
    const copy = { ...word };
    if (capitaliseNext) {
      copy.raw = copy.raw.replace(
        /^(\P{L}*)(\p{Ll})/u,
        (_, lead: string, letter: string) => lead + letter.toUpperCase(),
      );
      capitaliseNext = false;
    }
    kept.push(copy);
    if (options.spoken) collapseRepetition(kept);
    index += 1;
  }
  return kept.map((word) => word.raw).join(' ');
}

function isFillerLike(word: Word, previous: Word | undefined, next: Word | undefined): boolean {
  if (!next) return trailingComma(previous);
  if (previous && LIKE_KEPT_AFTER.has(previous.core) && !trailingComma(previous)) return false;
  if (trailingComma(word) || trailingComma(previous) || endsSentence(previous)) return true;
  if (previous && LIKE_FILLER_AFTER.has(previous.core)) return true;
  return /^\d/u.test(next.core) || NUMBER_WORDS.has(next.core);
}

/** "you know" / "I mean" set off as an aside, not used as a verb. */
function isFillerPhrase(
  previous: Word | undefined,
  second: Word,
  after: Word | undefined,
  keptAfter: Set<string>,
): boolean {
  if (previous && keptAfter.has(previous.core) && !trailingComma(previous)) return false;
  if (!after || trailingComma(second) || FINAL_PUNCTUATION.test(second.raw)) return true;
  if (trailingComma(previous)) return true;
  return endsSentence(previous) && !KNOW_KEPT_BEFORE.has(after.core);
}

const MAX_PHRASE = 4;

/**
 * When the words just kept end with the same phrase twice ("my order my order"), keep the later
 * copy: a restart usually corrects the first attempt. Compares at most 2 x 4 words per step.
 */
function collapseRepetition(kept: Word[]): void {
  for (let size = 1; size <= MAX_PHRASE && size * 2 <= kept.length; size += 1) {
    const start = kept.length - size * 2;
    let same = true;
    for (let offset = 0; offset < size && same; offset += 1) {
      const first = kept[start + offset]!;
      same = first.core !== '' && first.core === kept[start + size + offset]!.core;
    }
    // A phrase that ends a sentence and is said again opens the next one: leave it.
    if (!same || FINAL_PUNCTUATION.test(kept[start + size - 1]!.raw)) continue;
    const later = kept.splice(start + size, size);
    const earlierFirst = kept[start]!;
    if (/^\p{Lu}/u.test(earlierFirst.raw) && later[0]) {
      later[0].raw = later[0].raw.replace(
        /^(\P{L}*)(\p{Ll})/u,
        (_, lead: string, letter: string) => lead + letter.toUpperCase(),
      );
    }
    kept.splice(start, size, ...later);
    return;
  }
}
