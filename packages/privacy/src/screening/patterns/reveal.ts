import { pattern, oneOf, type ScreenPattern } from './screen-pattern.js';
import { DISCLOSE, REVEAL } from './vocabulary.js';

const HIDDEN_PROMPT = oneOf(`
  system_prompts? system_messages? system_instructions system-level_instructions
  initial_prompt original_prompt hidden_prompt secret_prompt pre-?prompt meta-?prompt
  developer_prompt developer_message developer_instructions
  initial_instructions original_instructions hidden_instructions secret_instructions
  internal_instructions confidential_instructions underlying_instructions starting_instructions
  hidden_rules secret_rules internal_rules
  instructions_you_were_given instructions_you_received prompt_above instructions_above
`);

/** Asking the AI to show its prompt or instructions. */
export const REVEAL_PATTERNS: readonly ScreenPattern[] = [
  {
    name: 'reveal-system-prompt',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b${REVEAL}\b(?:\s+\S+){0,5}?\s+(?:the\s+|your\s+|my\s+)?${HIDDEN_PROMPT}\b`,
    ),
  },
  {
    name: 'reveal-instructions',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b${DISCLOSE}\b(?:\s+\S+){0,3}?\s+your\s+(?:\S+\s+)?(?:instructions|prompt|rules|guidelines|directives|programming|configuration)\b|\b${REVEAL}\b(?:\s+\S+){0,3}?\s+your\s+(?:\S+\s+)?(?:instructions|prompt|rules|guidelines|directives)\s+(?:verbatim|word\s+for\s+word|exactly|in\s+full|in\s+their\s+entirety)`,
    ),
  },
  {
    name: 'conversation-start-probe',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:told|instructed|asked|programmed|given|say)\s+(?:to\s+(?:do|say)\s+)?(?:at|in|before)\s+the\s+(?:very\s+)?(?:beginning|start|outset|top)\s+of\s+(?:this|the|our)\s+(?:conversation|chat|session|context|prompt)`,
    ),
  },
  {
    name: 'system-prompt-probe',
    weight: 0.6,
    scope: 'phrase',
    regex: pattern(
      String.raw`\byour\s+(?:system\s+prompt|system\s+message|initial\s+instructions|hidden\s+instructions|original\s+instructions|prompt|instructions\s+verbatim)\b|\bwhat\s+(?:are|were)\s+your\s+(?:instructions|directives)\b`,
    ),
  },
  {
    name: 'repeat-text-above',
    weight: 0.6,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:repeat|print|output|recite|copy|echo|show)\s+(?:me\s+)?(?:all\s+)?(?:the\s+)?(?:text|everything|words|content|lines|messages?)\s+(?:above|before\s+(?:this|my\s+message))`,
    ),
  },
  {
    name: 'starts-with-you-are',
    weight: 0.6,
    scope: 'phrase',
    regex: pattern(String.raw`\bstart(?:ing|s)?\s+with\s+["“'‘]?you\s+are\b`),
  },
  {
    name: 'verbatim-request',
    weight: 0.3,
    scope: 'phrase',
    regex: pattern(String.raw`\b(?:verbatim|word\s+for\s+word|quote\s+it\s+exactly)\b`),
  },
  {
    name: 'mentions-system-prompt',
    weight: 0.3,
    scope: 'phrase',
    regex: pattern(String.raw`\bsystem\s+prompt\b`),
  },
  {
    name: 'credential-request',
    weight: 0.5,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:tell|give|send|show|reveal|share|print|list)\s+(?:me\s+|us\s+)?(?:the\s+|your\s+|all\s+)?(?:admin|administrator|root|system|master|database|db)\s+(?:password|credentials|login|keys?)\b`,
    ),
  },
];
