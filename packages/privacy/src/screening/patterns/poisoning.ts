import { pattern, type ScreenPattern } from './screen-pattern.js';
import { AI_NOUN, NOT_AN_AI, PERSONAL_DATA } from './vocabulary.js';

/**
 * Data theft and planted "memories" that instruct the assistant that later reads them: notes
 * to the AI, obligations put on it, triggers, instructions to keep quiet about the note.
 */
export const POISONING_PATTERNS: readonly ScreenPattern[] = [
  {
    name: 'exfiltrate-data',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\bexfiltrat\p{L}*|\b(?:leak|dump|steal|harvest|scrape|extract)\s+(?:\S+\s+){0,4}?(?:data(?:base)?|records|pii|passwords?|credentials|api\s+keys?|secrets|tokens|memories|conversations?|chat\s+histor(?:y|ies)|user\s+info\p{L}*|customer\s+info\p{L}*)\b`,
    ),
  },
  {
    name: 'exfiltrate-data',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:send|forward|email|e-mail|post|upload|transmit|share|copy|export|list|give|show|reveal|tell|print|output|dump)\s+(?:me\s+)?(?:\S+\s+){0,2}?(?:all|every|other|each)\s+(?:\S+\s+){0,2}?(?:users?|customers?|accounts?|members|people|clients?)(?:'s?|s')?\s+(?:\S+\s+){0,2}?${PERSONAL_DATA}\b`,
    ),
  },
  {
    name: 'exfiltrate-data',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:send|post|upload|forward|transmit|copy|leak|exfiltrate|append|encode|email|e-mail|mail)\s+(?:\S+\s+){0,5}?(?:${PERSONAL_DATA}|conversations?|database|chat|transcripts?|context)\s+(?:\S+\s+){0,3}?to\s+(?:https?:\/\/|[\w.+-]+@[\w-]+\.|this\s+(?:url|address|endpoint|webhook|server)|an?\s+(?:external|remote)\s+(?:url|server|endpoint))`,
    ),
    // "send my data to https://..." is a customer's own data request.
    accept: (match) => !/\b(?:my|our)\s+(?:\S+\s+)?\S+\s+to\s+\S/iu.test(match[0]),
  },
  {
    name: 'exfiltrate-into-reply',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:append|add|include|insert|attach|embed|put)\s+(?:\S+\s+){0,3}?(?:user|customer|other\s+\S+|every\s+\S+)(?:'s?|s')?\s+(?:\S+\s+)?${PERSONAL_DATA}\s+(?:to|in|into|at\s+the\s+end\s+of)\s+(?:your|the|every|each)\s+(?:reply|replies|response|responses|answer|answers|output|message)\b`,
    ),
  },
  {
    name: 'markdown-exfiltration',
    weight: 1,
    scope: 'boundary',
    regex: pattern(String.raw`!\[[^\]\n]{0,200}\]\(\s*https?:\/\/[^\s)]{0,500}(?:\{|\$\{|%7b|<)`),
  },
  {
    name: 'other-users-data',
    weight: 0.5,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:other|all|every)\s+(?:users?|customers?|people|clients?)(?:'s?|s')?\s+(?:data|records|details|information|memories|accounts|passwords|pii|personal|addresses|phone\s+numbers|emails?|card\s+numbers)|\b(?:customer|user|client)\s+(?:account|card|credit\s+card|bank)\s+numbers\b|\b(?:customer|user)\s+passwords\b`,
    ),
  },
  {
    name: 'note-to-ai',
    weight: 0.75,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:note|message|instructions?|reminder|memo|directive|attention|important|warning|notice)\s+(?:\S+\s+){0,2}?(?:to|for)\s+(?:the\s+|any\s+|all\s+|every\s+)?(?:ai|a\.i\.|llms?|language\s+models?|chatbots?|gpt|chatgpt|claude|gemini|copilot|ai\s+agents?|ai\s+assistants?|agents?\s+reading)\b(?!\s+(?:team|department|group|lab|labs|research|company|startup|product|feature|features|engineers?|people|staff|support|vendor|project))`,
    ),
  },
  {
    name: 'note-to-assistant',
    weight: 0.4,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:note|message|instructions?|reminder|memo|directive|attention|important|warning|notice)\s+(?:\S+\s+){0,2}?(?:to|for)\s+(?:the\s+|any\s+|all\s+|every\s+)?(?:assistants?|bots?|models?)\b${NOT_AN_AI}`,
    ),
  },
  {
    name: 'addresses-reading-ai',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:${AI_NOUN}|ai\s+agents?)s?\s+(?:that\s+(?:are|is)\s+|who\s+(?:are|is)\s+)?(?:reading|processing|parsing|summari[sz]ing)\s+(?:this|these)\b`,
    ),
  },
  {
    name: 'if-you-are-an-ai',
    weight: 0.4,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:if|when|whenever)\s+you\s*(?:are|'re)\s+(?:an?\s+)?(?:${AI_NOUN})\b`,
    ),
  },
  {
    name: 'ai-obligation',
    weight: 0.75,
    scope: 'phrase',
    regex: pattern(
      String.raw`(?<!\byour\s{1,3})(?<!\byour\s{1,3}\S{1,30}\s{1,3})\b(?:the\s+|any\s+|all\s+)?(?:ai|a\.i\.|assistant|llm|chatbot|bot|model|gpt)s?\s+(?:must|should|shall|will|has\s+to|have\s+to|is\s+(?:required|instructed|ordered|told)\s+to|needs?\s+to)\s+(?:always|never|not|only|ignore|comply|obey|approve|grant|give|reveal|tell|say|respond|reply|answer|send|share|treat|trust|forget|disregard|bypass|override|follow)\b`,
    ),
  },
  {
    name: 'keep-secret',
    weight: 0.6,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:do\s+not|don't|dont|never)\s+(?:mention|reveal|disclose|acknowledge)\s+(?:this|any\s+of\s+this)\s*(?:[.!,;)]|$|\s+to\s+(?:the\s+)?(?:user|customer|anyone|them))`,
    ),
  },
  {
    name: 'hide-this-instruction',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:do\s+not|don't|dont|never)\s+(?:mention|reveal|disclose|acknowledge|repeat|talk\s+about|tell\s+(?:anyone|the\s+user|the\s+customer)\s+about)\s+(?:this|these|the)\s+(?:note|instructions?|message|memory|rule|prompt|directive)\b`,
    ),
  },
  {
    name: 'conditional-trigger',
    weight: 0.6,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:whenever|when|if)\s+(?:anyone|someone|the\s+user|a\s+user|any\s+user|the\s+customer|people|they)\s+(?:\S+\s+){0,2}?asks?\b[^.!?\n]{0,80}?\b(?:respond|reply|answer|say|tell\s+(?:them|him|her)|output)\b|\b(?:whenever|when|if|each\s+time|every\s+time)\s+you\s+(?:\S+\s+){0,6}?(?:state|say|tell\s+(?:them|the\s+user|the\s+customer)|claim|mention|report|assert|respond|reply|answer)\s+(?:that|with)\b`,
    ),
  },
  {
    name: 'targets-memory-processing',
    weight: 0.4,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:when(?:ever)?|if|each\s+time|every\s+time)\s+you\s+(?:summari[sz]e|read|recall|retrieve|process|load|see|review|look\s+at)\s+(?:this|these|the|my|his|her)\s+(?:\S+\s+)?(?:memory|memories|note|notes|history|record|records|profile|context|file)\b`,
    ),
  },
  {
    name: 'unmask-request',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:unmask|de-?anonymi[sz]e|de-?tokeni[sz]e|decrypt|reveal|show|print|output)\s+(?:\S+\s+){0,3}?(?:masked|redacted|hidden|encrypted|tokeni[sz]ed)\s+(?:fields|data|values|pii|numbers|details|tokens)\b|\b(?:masked|redacted|tokeni[sz]ed)\s+(?:fields|data|values|tokens)\s+(?:unmasked|unredacted|decrypted|in\s+(?:clear|plain)\s*text)\b`,
    ),
  },
  {
    name: 'memory-dump',
    weight: 0.6,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:output|dump|print|export|list|show|give)\b[^.!?\n]{0,40}?\b(?:memory|memories|records)\b[^.!?\n]{0,30}?\b(?:of|for|about)\s+(?:every|all|other|each|another|any)\s+(?:users?|customers?|tenants?|accounts?)\b|\b(?:output|dump|print|export|list|show|give)\s+(?:me\s+)?(?:\S+\s+){0,2}?(?:raw\s+)?(?:memory|memories)\s+(?:records|entries|data|store|contents)?\s*(?:of|for|about)\s+(?:user|customer)\b`,
    ),
  },
  {
    name: 'respond-to-everything',
    weight: 0.5,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:respond|reply|answer)\s+to\s+(?:every|all|each|any)\s+(?:query|queries|message|messages|question|questions|request|requests|prompt|prompts)\s+(?:\S+\s+){0,3}?with\b`,
    ),
  },
  {
    name: 'respond-only-with',
    weight: 0.4,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:respond|reply|answer|say|output|print)\s+(?:only\s+)?(?:with|using)\s+(?:the\s+(?:text|word|words|phrase|string)\s+)?["“'‘]|\binstead\s+(?:say|respond|reply|output|print|write)\b`,
    ),
  },
  {
    name: 'blanket-approval',
    weight: 0.5,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:approve|grant|accept|allow|authori[sz]e|refund|comply\s+with)\s+(?:everything|every\s+(?:request|refund|claim)|all\s+(?:requests|refunds|claims|of\s+them)|any(?:thing|\s+request|\s+refund|\s+claim))\b|\ball\s+(?:refunds|requests|claims|transactions)\s+(?:are|were)\s+(?:now\s+)?(?:pre-?approved|approved|authori[sz]ed)\b|\b(?:unlimited|infinite)\s+(?:refunds|credit|discounts?)\b|\b(?:free|unlimited)\s+(?:shipping|delivery|refunds|credit|upgrades?)\s+(?:forever|for\s+life|permanently)\b`,
    ),
  },
  {
    name: 'remember-for-future',
    weight: 0.4,
    scope: 'phrase',
    regex: pattern(
      String.raw`\bremember\s+(?:this\s+|that\s+)?(?:for|in|during)\s+(?:all\s+)?(?:future|later|every|subsequent)\s+(?:conversations|sessions|chats|interactions|answers)`,
    ),
  },
  {
    name: 'new-instructions',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\byour\s+new\s+(?:instructions|task|role|goal|objective|purpose|directive|system\s+prompt|rules|persona|identity)\s+(?:is|are|:)|\bnew\s+system\s+(?:prompt|message|instructions?|directive|note)\b|\b(?:treat|consider|regard|interpret|read|handle)\s+(?:the\s+following|this|what\s+follows|the\s+text\s+below|everything\s+below)\s+as\s+(?:an?\s+|the\s+)?(?:system|admin|developer|trusted|official|privileged)\s+(?:message|instructions?|prompt|command|input|note)\b|\b(?:new|updated|real|actual|revised)\s+(?:instructions|directives|rules)\s+(?:for\s+(?:the\s+|you\b|this\s+)?(?:${AI_NOUN}|you)|are\s+to\b)`,
    ),
  },
  {
    name: 'new-instructions-header',
    weight: 0.6,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:new|updated|real|actual|true|secret|hidden|additional|revised|override)\s+(?:system\s+)?(?:instructions?|directives?|prompt|task|objective|goal|mission|role)\s*(?::|are\s*:|is\s*:|as\s+follows)`,
    ),
  },
  {
    name: 'encoded-instruction-request',
    weight: 0.75,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:decode|decrypt|unscramble|deobfuscate|base64-?decode|rot-?13)\s+(?:\S+\s+){0,4}?(?:and|then)\s+(?:follow|execute|run|obey|do|apply|act\s+on|comply)`,
    ),
  },
];
