import { oneOf, pattern, type ScreenPattern } from './screen-pattern.js';

/** Verbs that set instructions aside. */
const SET_ASIDE = oneOf(`
  ignore ignoring disregard disregarding forget skip neglect abandon discard override overrule
  bypass circumvent violate erase wipe drop shed set_aside put_aside throw_out throw_away
  stop_following stop_obeying stop_listening_to no_longer_follow no_longer_obey
  do_not_follow don't_follow don_t_follow dont_follow do_not_obey don't_obey don_t_obey
  dont_obey do_not_listen_to don't_listen_to don_t_listen_to cease_following quit_following
  refuse_to_follow
`);

/** Qualifiers that point at an AI's own configuration whatever follows. */
const AI_QUALIFIERS = new Set(
  `system developer developers developer's operator operator's safety security hidden
  programmed built-in openai openai's anthropic anthropic's`.split(/\s+/),
);
/** Qualifiers that point at an AI's configuration unless the words after say otherwise. */
const LIKELY_AI_QUALIFIERS = new Set('its their original initial default core'.split(' '));
/** "all", "any": about an AI's instructions, or about a customer's card restrictions. */
const QUANTIFIERS = new Set('all any every each'.split(' '));
/** Qualifiers pointing back in time; a customer may say them of their own instructions. */
const TEMPORAL_QUALIFIERS = new Set(
  'previous prior above earlier preceding foregoing aforementioned'.split(' '),
);
const QUALIFIER = oneOf(
  `${[...AI_QUALIFIERS, ...LIKELY_AI_QUALIFIERS, ...QUANTIFIERS, ...TEMPORAL_QUALIFIERS].join(' ')}
  your yours the these those that this of such other old given existing current`,
);

/** Nouns for what an AI is told; customers rarely call their requests this. */
const INSTRUCTION_NOUN = oneOf(`
  system_prompts? system_messages? instructions? directives? prompts? guidelines guidance
  guardrails programming training context persona character
`);
/** Nouns customers use for a company's or a card's rules too. */
const GENERIC_NOUN = oneOf(
  'rules? restrictions? constraints? policy policies safeguards? limitations? protocols? commands?',
);
/** Nouns no customer uses for their own affairs. */
const AI_ONLY_NOUN =
  /^(?:system\s+prompts?|system\s+messages?|guardrails|programming|safeguards|persona)$/iu;
/** A word between the qualifiers and the noun that makes them a business's ("delivery instructions"). */
const BUSINESS_MODIFIER =
  /^(?:delivery|shipping|courier|driver|washing|wash|care|cleaning|assembly|installation|setup|set-up|order|gift|wrapping|packing|return|returns|refund|payment|billing|booking|travel|medical|dosage|cooking|safety-data|warranty|card|account|bank|store|office|parking|pickup|pick-up|special)$/iu;

/** "... the previous instructions I gave about the delivery": the customer's own instructions. */
const OWN_INSTRUCTIONS =
  /^[\s,]*(?:(?:that|which)\s+)?(?:i|we|my\s+\p{L}+|the\s+customer)\s+(?:gave|sent|left|wrote|made|provided|mentioned|added|put|shared|typed|asked|requested|set)\b/iu;
/**
 * "... the restrictions on my card", "the instructions in the manual": instructions about
 * something other than the AI or this conversation.
 */
const ABOUT_SOMETHING_ELSE =
  /^[\s,]*(?:about|for|regarding|on|of|re|in|with|from|inside)\s+(?!(?:(?:the|my|our|this|that|a|an|your|its)\s+)?(?:system|prompts?|ai|assistant|model|chat|conversation|context|session|developers?|operators?|creators?|makers?|openai|anthropic|admin|above|before|now|me|you|rest|remainder|duration|next|following|here|today|everything|memory|training|programming)\b)\p{L}/iu;
/** "... the rules you were given": an AI's instructions. */
const GIVEN_TO_YOU =
  /^\s*(?:that\s+|which\s+)?(?:you|u)\s+(?:were|have\s+been|got|received|are)\s+(?:given|told|trained|programmed)/iu;

/**
 * Whether "ignore <qualifiers> [word] <noun>" is aimed at an AI's instructions. AI-only nouns
 * ("system prompt", "guardrails"), "... you were given" and qualifiers such as "system" or
 * "safety" always are. "all", "your", "previous", "original" are too, unless a business word
 * comes before the noun ("all delivery instructions") or the words after make it about
 * something else ("all restrictions on my card", "the previous instructions I gave"). Generic
 * nouns such as "rules" need more than "your", which customers say to a company.
 */
function acceptSetAside(match: RegExpMatchArray, text: string): boolean {
  const words = (match[1] ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const modifier = match[2] ?? '';
  const noun = match[3] ?? match[4] ?? '';
  const end = match.index! + match[0].length;
  const after = text.slice(end, end + 60);
  if (AI_ONLY_NOUN.test(noun) || GIVEN_TO_YOU.test(after)) return true;
  if (words.some((word) => AI_QUALIFIERS.has(word))) return true;
  if (BUSINESS_MODIFIER.test(modifier)) return false;
  if (OWN_INSTRUCTIONS.test(after) || ABOUT_SOMETHING_ELSE.test(after)) return false;
  const generic = match[4] !== undefined;
  const hasYour = words.includes('your') || words.includes('yours');
  const hasQuantifier = words.some((word) => QUANTIFIERS.has(word));
  const pointsBack = words.some(
    (word) => TEMPORAL_QUALIFIERS.has(word) || LIKELY_AI_QUALIFIERS.has(word),
  );
  if (generic) return hasQuantifier || pointsBack;
  return hasYour || hasQuantifier || pointsBack;
}

/** "ignore all previous instructions", "forget your rules", "stop following your guidelines". */
export const SET_ASIDE_PATTERNS: readonly ScreenPattern[] = [
  {
    name: 'ignore-previous-instructions',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b${SET_ASIDE}\s+((?:${QUALIFIER}\s+){0,5})(?:([\p{L}-]+)\s+)??(?:(${INSTRUCTION_NOUN})|(${GENERIC_NOUN}))\b`,
    ),
    accept: acceptSetAside,
  },
  {
    name: 'ignore-the-above',
    weight: 0.6,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:ignore|disregard|forget)\s+(?:all\s+(?:of\s+)?)?(?:the\s+|everything\s+)?(?:above|preceding|foregoing)(?:\s+(?:text|content|messages?|context|conversation|input|prompt|lines?))?(?=\s*(?:and|then|[,.;:!]|$))`,
    ),
  },
  {
    name: 'previous-instructions-void',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:previous|prior|above|old|original|earlier|initial)\s+(?:instructions|rules|directives|prompt)\s+(?:are|were|is|have\s+been)\s+(?:now\s+)?(?:outdated|obsolete|void|cancell?ed|revoked|wrong|fake|invalid|no\s+longer\s+(?:valid|active|apply|applicable))`,
    ),
  },
  {
    name: 'supersedes-instructions',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:supersedes?|overrides?|replaces?|cancels?|invalidates?|takes\s+precedence\s+over|trumps)\s+(?:all|any|every|your|the|previous|prior|earlier|other)\s+(?:\S+\s+)?(?:instructions|rules|directives|guidelines|prompts?|configuration)\b(?!\s+(?:on|for|about|of)\s+(?:the\s+|my\s+)?(?:delivery|order|return|card|account))`,
    ),
  },
  {
    name: 'true-instructions',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\byour\s+(?:true|real|actual|secret|updated|hidden)\s+(?:instructions|directives|prompt|purpose|task|mission|programming)\b`,
    ),
  },
  {
    name: 'instructions-changed',
    weight: 0.6,
    scope: 'phrase',
    regex: pattern(
      String.raw`\byour\s+(?:instructions|rules|directives|guidelines|prompt)\s+(?:have|has)\s+(?:changed|been\s+(?:updated|changed|replaced|revoked|overridden))`,
    ),
  },
  {
    name: 'forget-everything',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\bforget\s+(?:everything|all)\s+(?:(?:that\s+|what\s+)?you\s+(?:know|were\s+told|have\s+been\s+told|'ve\s+been\s+told|learned|learnt|were\s+trained)(?!\s+about\s+me)|(?:of\s+)?(?:your|the)\s+(?:previous\s+|prior\s+|above\s+|earlier\s+)?(?:instructions|rules|training|programming|guidelines|context|prompts?)|(?:above|before\s+this|prior|previously|so\s+far))`,
    ),
  },
  {
    name: 'forget-everything-bare',
    weight: 0.4,
    scope: 'phrase',
    regex: pattern(
      String.raw`\bforget\s+everything\b(?!\s+(?:i|we)\s+(?:said|told|wrote|mentioned|asked|typed|sent|ordered))`,
    ),
  },
  {
    name: 'rules-you-were-given',
    weight: 0.4,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:instructions|rules|guidelines|directives|prompts?|guidance)\s+(?:that\s+)?you\s+(?:were|have\s+been|got)\s+(?:given|told|trained|programmed)`,
    ),
  },
  {
    name: 'bend-the-rules',
    weight: 0.4,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:bend|break|ignore|skip|relax)\s+(?:the|your)\s+rules\s+for\s+me\b`,
    ),
  },
  {
    name: 'released-from-rules',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:freed|released|liberated|exempt(?:ed)?|unshackled|unbound|free)\s+(?:from|of)\s+(?:all\s+|any\s+|of\s+)*(?:your|its|the\s+ai'?s?|openai'?s?|anthropic'?s?|google'?s?)\s+(?:\S+\s+)?(?:guidelines|rules|restrictions|constraints|programming|filters|limitations|policies|training|instructions|guardrails)\b`,
    ),
  },
  {
    name: 'ignore-what-you-were-told',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:ignore|disregard|forget)\s+(?:what(?:ever)?|everything|anything|all)\s+(?:that\s+)?(?:you\s+(?:were|have\s+been|'ve\s+been)\s+(?:told|taught|instructed|programmed)|(?:the\s+system|your\s+(?:developers?|creators?|operators?|makers?)|openai|anthropic|google)\s+(?:told|taught|instructed|said\s+to)\s+you)`,
    ),
  },
  {
    name: 'replace-instructions',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:replace|swap|overwrite|substitute)\s+(?:all\s+)?(?:your|the\s+(?:system|ai'?s?|assistant'?s?))\s+(?:\S+\s+)?(?:rules|instructions|guidelines|prompt|directives|configuration|programming|policies|persona)\s+with\b`,
    ),
  },
];
