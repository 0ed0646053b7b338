import { pattern, type ScreenPattern } from './screen-pattern.js';

/**
 * Role and delimiter tokens of chat templates and of Memnex's own memory wrapper, fake role
 * labels and hidden comments: text that tries to end the data and start instructions.
 */
export const BOUNDARY_PATTERNS: readonly ScreenPattern[] = [
  {
    name: 'chat-template-token',
    weight: 1,
    scope: 'boundary',
    regex: pattern(
      String.raw`<\|\s*(?:im_start|im_end|im_sep|system|user|assistant|endoftext|end_of_text|eot_id|eom_id|start_header_id|end_header_id|begin_of_text|fim_prefix|fim_suffix|fim_middle|channel|message|prompt|start|end|tool|ipython)\s*\|>|<\/?(?:start_of_turn|end_of_turn)>|<<\/?\s*SYS\s*>>|\[\/?INST\]|<\/s>\s*<s>`,
    ),
  },
  {
    name: 'role-tag',
    weight: 1,
    scope: 'boundary',
    regex: pattern(
      String.raw`<\/?\s*(?:system|sys|system_prompt|system-prompt|instructions?|assistant)\s*>|\x60\x60\x60\s*(?:system|instructions?)\b|(?:^|\n|\s)(?:#{2,}|={3,}|-{3,}|\*{3,})\s*(?:system|admin|developer|instructions?|system\s+prompt)\s*(?:#{2,}|={3,}|-{3,}|\*{3,}|:|$)`,
    ),
  },
  {
    name: 'bracket-override',
    weight: 1,
    scope: 'boundary',
    regex: pattern(
      String.raw`\[+\s*(?:system|admin|developer|root|sudo)\s+(?:override|command|instructions?|prompt|directive|mode)\s*\]+`,
    ),
  },
  {
    name: 'bracket-role-tag',
    weight: 0.6,
    scope: 'boundary',
    regex: pattern(String.raw`\[\/?\s*(?:system|admin|sys|system\s+message|developer)\s*\]`),
  },
  {
    name: 'fake-end-of-input',
    weight: 0.6,
    scope: 'phrase',
    regex: pattern(
      String.raw`\bend\s+of\s+(?:the\s+)?(?:user|customer|untrusted)\s+(?:input|message|data|content|text|query)\b`,
    ),
  },
  {
    name: 'memory-boundary',
    weight: 1,
    scope: 'boundary',
    regex: pattern(
      String.raw`<\/?\s*untrusted_memory\b|<\/?\s*(?:memory|memories|conversation|context|trusted)\s*>`,
    ),
  },
  {
    name: 'instruction-header',
    weight: 1,
    scope: 'boundary',
    regex: pattern(
      String.raw`(?:^|\n)\s*#{2,}\s*(?:instruction|instructions|system|system\s+prompt|new\s+instructions)\s*:|\b(?:begin|end|start)\s+(?:of\s+)?(?:the\s+)?(?:system\s+prompt|system\s+message|system\s+instructions)\b`,
    ),
  },
  {
    name: 'override-header',
    weight: 0.75,
    scope: 'boundary',
    regex: pattern(
      String.raw`\b(?:system|admin|administrator|developer|root)\s+(?:override|instruction|command|directive)s?(?:\s+[\p{L}\p{N}-]+){0,2}\s*:|\b(?:instruction|policy|security|safety)\s+override\s*:`,
    ),
  },
  {
    name: 'override-label',
    weight: 0.4,
    scope: 'boundary',
    regex: pattern(String.raw`(?:^|[\].:!?\n]\s*)override\s*:`),
  },
  {
    name: 'role-label',
    weight: 0.3,
    scope: 'boundary',
    regex: pattern(String.raw`(?:^|\n)\s*(?:system|admin|developer|root|sudo|operator)\s*:`),
  },
  {
    name: 'hidden-comment-instruction',
    weight: 1,
    scope: 'boundary',
    regex: pattern(
      String.raw`<!--[^>]{0,300}?\b(?:ai|assistant|bot|model|llm|ignore|disregard|instructions?|system|you\s+must|always|never|refund|approve)\b[^>]{0,300}?-->`,
    ),
  },
];
