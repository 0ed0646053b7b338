import type { SpeakerRole } from './fact-extractor.js';

// "I <verb>" -> "<verb>s": the present-tense verbs customers state facts with.
const THIRD_PERSON: Record<string, string> = {
  am: 'is',
  have: 'has',
  do: 'does',
  go: 'goes',
  want: 'wants',
  need: 'needs',
  prefer: 'prefers',
  like: 'likes',
  love: 'loves',
  hate: 'hates',
  dislike: 'dislikes',
  enjoy: 'enjoys',
  live: 'lives',
  work: 'works',
  use: 'uses',
  own: 'owns',
  plan: 'plans',
  wish: 'wishes',
  intend: 'intends',
  hope: 'hopes',
  always: 'always',
  usually: 'usually',
  never: 'never',
  expect: 'expects',
  require: 'requires',
  "don't": "doesn't",
  "can't": "can't",
  cannot: 'cannot',
  "haven't": "hasn't",
  "i'm": 'is',
  "i've": 'has',
  "i'd": 'would',
  "i'll": 'will',
};
// Past tense reads the same for every person ("I ordered" -> "Ordered").
const PAST =
  /^(?:was|wasn't|did|didn't|got|bought|paid|ordered|moved|received|called|tried|asked|booked|cancell?ed|returned|sent|lost|had|made|found|saw|told|used|wanted|needed|upgraded|switched|changed|signed|registered|applied|purchased|placed)$/u;

const CONTRACTIONS: ReadonlyArray<[RegExp, string]> = [
  [/^i'm\b/iu, "i'm"],
  [/^i am\b/iu, "i'm"],
  [/^i've\b/iu, "i've"],
  [/^i have\b(?! (?:a|an|two|three|\d))/iu, "i've"],
  [/^i'd\b/iu, "i'd"],
  [/^i would\b/iu, "i'd"],
  [/^i'll\b/iu, "i'll"],
  [/^i will\b/iu, "i'll"],
];

// First-person words left after the subject is rewritten: if any remains, the rewrite is unsafe.
const FIRST_PERSON_LEFT = /\b(?:i|i'm|i've|i'd|i'll|im|we|we're|we've|our|ours|us)\b/iu;

const POSSESSIVES: ReadonlyArray<[RegExp, string]> = [
  [/\bmy\b/gu, 'their'],
  [/\bMy\b/gu, 'Their'],
  [/\bmine\b/giu, 'theirs'],
  [/\bmyself\b/giu, 'themselves'],
  [/\bme\b/gu, 'them'],
];

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const normaliseQuotes = (text: string) => text.replace(/[‘’`´]/gu, "'");

/**
 * Rewrite a first-person statement of the person into a fact about them, where that is safe:
 * "I live in Pune" -> "Lives in Pune", "My order 4521 arrived damaged" -> "Order 4521 arrived
 * damaged", "I want to cancel my plan" -> "Wants to cancel their plan". An agent's "I've refunded
 * your order" becomes "Refunded their order". Anything else (another "I" later in the sentence,
 * a "we", a question, an unknown verb) is returned as written, without its closing full stop.
 */
export function rewriteFirstPerson(text: string, role: SpeakerRole): string {
  const sentence = normaliseQuotes(text.trim())
    .replace(/[.!]+$/u, '')
    .trim();
  if (!sentence || sentence.endsWith('?')) return sentence;
  const rewritten = role === 'agent' ? rewriteAgent(sentence) : rewriteUser(sentence);
  return rewritten ?? sentence;
}

function rewriteUser(sentence: string): string | null {
  let subject = sentence;
  for (const [pattern, replacement] of CONTRACTIONS)
    subject = subject.replace(pattern, replacement);
  const [first = '', second = '', ...rest] = subject.split(' ');
  let body: string;
  const lowered = first.toLowerCase();
  if (lowered === 'my' && second) {
    body = [second, ...rest].join(' ');
  } else if (lowered === "i'm" || lowered === "i've" || lowered === "i'd" || lowered === "i'll") {
    body = [THIRD_PERSON[lowered]!, second, ...rest].join(' ');
  } else if (lowered === 'i' && second) {
    const verb = second.toLowerCase();
    const converted = THIRD_PERSON[verb] ?? (PAST.test(verb) ? verb : undefined);
    if (converted === undefined) return null;
    body = [converted, ...rest].join(' ');
  } else {
    return null;
  }
  return finish(body);
}

function rewriteAgent(sentence: string): string | null {
  const match =
    /^(?:i|we)(?:'ve| have)\s+(?:just\s+|now\s+|already\s+|also\s+)?(\w+ed|sent|shipped|reset|resent)\b(.*)$/iu.exec(
      sentence,
    );
  if (!match) return null;
  const body = `${match[1]!}${match[2]!}`
    .replace(/\byour\b/giu, 'their')
    .replace(/\byours\b/giu, 'theirs');
  if (/\byou\b|\byou'(?:ll|re|ve|d)\b/iu.test(body)) return null;
  return finish(body);
}

function finish(body: string): string | null {
  let result = body.trim();
  for (const [pattern, replacement] of POSSESSIVES) result = result.replace(pattern, replacement);
  if (!result || FIRST_PERSON_LEFT.test(result)) return null;
  return capitalise(result);
}
