import { pattern, type ScreenPattern } from './screen-pattern.js';
import { AI_NOUN, LIMITS, YOU_ARE } from './vocabulary.js';

const UNRESTRICTED = String.raw`(?:dan|jailbroken|unrestricted|unfiltered|uncensored|unchained|unbound|unlimited|evil|root|admin|administrator|superuser|sudo|god|free\s+(?:of|from)|no\s+longer\s+bound|not\s+bound|in\s+(?:developer|dev|admin|god|unrestricted|jailbreak|debug|sudo|maintenance|dan)\s+mode|going\s+to\s+(?:act|pretend|ignore|answer)|a\s+hacker|a\s+different\s+ai|a\s+new\s+ai)`;

/** Role changes, personas and jailbreak set-ups. */
export const ROLE_PATTERNS: readonly ScreenPattern[] = [
  {
    name: 'role-override',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b${YOU_ARE}\s+(?:now\s+|henceforth\s+|from\s+now\s+on\s+)(?:an?\s+|the\s+)?${UNRESTRICTED}\b|\b${YOU_ARE}\s+(?:now\s+)?(?:an?\s+)?(?:dan|jailbroken|unrestricted|unfiltered|uncensored)\b|\b${YOU_ARE}\s+(?:now\s+)?(?:an?\s+)?(?:\S+\s+)?${AI_NOUN}\s+(?:with\s+no|without|that\s+(?:has\s+no|ignores|can\s+do\s+anything)|who\s+(?:has\s+no|ignores|can\s+do\s+anything)|whose\s+only\s+rule|free\s+(?:of|from))|\b${YOU_ARE}\s+no\s+longer\s+(?:an?\s+|the\s+)?(?:\S+\s+){0,2}?(?:${AI_NOUN}|bound\s+by|restricted\s+by|limited\s+by|required\s+to\s+follow)\b`,
    ),
  },
  {
    name: 'role-override-light',
    weight: 0.4,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b${YOU_ARE}\s+(?:an?\s+)?\S+\s+now\b|\b${YOU_ARE}\s+now\s+(?:an?\s+)(?!customer|member|subscriber)\S+`,
    ),
  },
  {
    name: 'you-are-an-ai',
    weight: 0.3,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b${YOU_ARE}\s+(?:just\s+|only\s+|merely\s+)?an?\s+(?:ai|bot|language\s+model|machine|program|llm)\s*[,;]?\s+(?:so|which\s+means|therefore)\b`,
    ),
  },
  {
    name: 'authority-claim',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\bi\s*(?:am|'m)\s+(?:your\s+(?:developer|creator|programmer|administrator|admin|owner|operator|maker|trainer)s?|the\s+(?:developer|creator|programmer|administrator|admin|owner|operator|maker|trainer)\s+(?:of|who\s+(?:built|created|made|programmed|trained|wrote|configured))\s+(?:you|this\s+(?:${AI_NOUN}|system)))\b`,
    ),
  },
  {
    name: 'privilege-claim',
    weight: 0.5,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:the\s+user|this\s+user|the\s+customer|this\s+customer)\s+(?:is|has)\s+(?:an?\s+|the\s+)?(?:admin|administrator|superuser|root|authori[sz]ed|pre-?approved|verified\s+admin|developer)\b|\bi\s*(?:am|'m)\s+(?:an?\s+)?(?:authori[sz]ed|pre-?approved|superuser|root)\b|\bi\s*(?:am|'m)\s+the\s+(?:store|shop|company|business|site|website|app|platform)\s+(?:owner|admin|administrator)\b|\bas\s+(?:the|your|an?)\s+(?:system\s+)?(?:administrator|admin|developer|operator|owner\s+of\s+this\s+(?:system|ai|bot))\b|\bi,?\s+(?:the|your)\s+(?:operator|developer|administrator|admin|creator|owner)\b|\bi\s*(?:am|'m)\s+(?:from|with|on)\s+(?:the\s+)?(?:\S+\s+)?(?:engineering|security|dev|development|platform|trust\s+and\s+safety|ai|ml|admin|it)\s+team\b`,
    ),
  },
  {
    name: 'grants-permission',
    weight: 0.4,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:i\s*(?:am|'m)\s+)?(?:authori[sz]ing|permitting|allowing|i\s+authori[sz]e|i\s+allow|i\s+permit)\s+you\s+to\b|\b(?:give|grant)\s+you\s+(?:full\s+)?permission\s+to\b`,
    ),
  },
  {
    name: 'developer-mode',
    weight: 0.4,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:developer|dev|god|jailbreak|dan|unrestricted|debug|sudo|admin)\s+mode\b`,
    ),
  },
  {
    name: 'no-restrictions',
    weight: 0.6,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:no|without|free\s+(?:of|from)|zero|ignores?\s+all|has\s+no|have\s+no)\s+(?:any\s+|more\s+|your\s+)?(?:\S+\s+)?${LIMITS}\b|\b(?:unrestricted|unfiltered|uncensored|jailbroken)\b|\bdo\s+anything\s+now\b`,
    ),
  },
  {
    name: 'jailbreak',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:be|become|play|you\s+are\s+now)\s+dan\b|\bjailbr(?:eak|oken)\s+(?:mode|prompt|enabled|activated|on)\b|\b(?:be|been|get|got|now|are|you're)\s+jailbroken\b|\b(?:dan|stan|dude|aim)\s+mode\b|\bdo\s+anything\s+now\b`,
    ),
  },
  {
    name: 'override-safety',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:override|bypass|disable|deactivate|turn\s+off|switch\s+off|circumvent|get\s+around|ignore|evade|remove|break|violate|suspend|lift|drop)\s+(?:all\s+(?:of\s+)?|any\s+(?:of\s+)?)?(?:your|the\s+ai'?s?|its|the\s+assistant'?s?|the\s+model'?s?)\s+(?:\S+\s+)?(?:filters?|guardrails|restrictions|safeguards|guidelines|rules|protocols|polic(?:y|ies)|limits|limitations|constraints|programming|training|ethics|moderation)\b|\boverride\s+(?:the\s+)?safety\b|\b(?:override|bypass|disable|turn\s+off|circumvent|deactivate)\s+(?:all\s+|any\s+|the\s+)?(?:safety|ethical|ethics|moderation)\s+(?:filters?|guardrails|guidelines|protocols|restrictions|rules|checks|polic(?:y|ies)|measures|settings|constraints)\b|\b(?:override|bypass|disable|turn\s+off|circumvent)\s+(?:all\s+|any\s+|the\s+)?content\s+(?:polic(?:y|ies)|guidelines|guardrails|moderation)\b`,
    ),
    // "ignore your rules on returns" is a customer asking a company for an exception.
    accept: (match, text) =>
      !/^\s+(?:on|for|about|regarding)\s+(?:the\s+|my\s+|our\s+)?(?:returns?|refunds?|delivery|orders?|cards?|accounts?|payments?)/iu.test(
        text.slice(match.index! + match[0].length, match.index! + match[0].length + 40),
      ),
  },
  {
    name: 'disable-verification',
    weight: 0.4,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:disable|skip|bypass|turn\s+off|remove|waive|switch\s+off)\s+(?:the\s+|all\s+|any\s+)?(?:identity\s+|id\s+|security\s+|kyc\s+|fraud\s+|age\s+|account\s+)?(?:verification|authentication|security\s+checks?|fraud\s+checks?|identity\s+checks?|kyc\s+checks?)(?:\s+steps?)?\b|\bwithout\s+(?:any\s+)?(?:review|verification|checks?|approval|asking\s+for\s+(?:id|proof|a\s+photo))\b|\b(?:disable|turn\s+off|switch\s+off|bypass|skip|stop)\s+(?:the\s+)?(?:pii\s+|data\s+)?(?:masking|redaction|anonymi[sz]ation|audit\s+log(?:ging)?|content\s+screening|injection\s+(?:filter|screen))\b`,
    ),
  },
  {
    name: 'act-as-privileged',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:act|behave|respond|answer|operate)\s+(?:as|like)\s+(?:if\s+)?(?:you\s+(?:are|were)\s+)?(?:an?\s+|the\s+)?(?:admin|administrator|root|superuser|sysadmin|system\s+administrator|system|developer\s+mode|dan|unrestricted|jailbroken|unfiltered|uncensored|god|hacker|evil)\b`,
    ),
  },
  {
    name: 'role-play',
    weight: 0.75,
    scope: 'phrase',
    regex: pattern(
      String.raw`(?<!\b(?:i|we|they|he|she|people)\s{1,3}(?:\p{L}{1,20}\s{1,3})?)\b(?:pretend\s+(?:that\s+)?(?:${YOU_ARE}|to\s+be)|role-?\s?play(?:ing)?(?!\s+games?)|play\s+the\s+(?:role|part)\s+of|stay\s+in\s+character|impersonate|simulate\s+(?:an?\s+|the\s+)?(?:\S+\s+)?(?:${AI_NOUN}|system|unfiltered|unrestricted|jailbroken)|act\s+as\s+(?:my|a|an)\s+(?:\S+\s+)?(?:grandmother|grandfather|grandma|grandpa|granny|deceased|late|dead)|break(?:\s+out\s+of)?\s+character|drop\s+(?:the|your)\s+act|(?:raw|underlying|base|unaligned|unfiltered)\s+(?:underlying\s+)?model)\b`,
    ),
  },
  {
    name: 'role-play-light',
    weight: 0.4,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:imagine\s+(?:that\s+)?you\s*(?:are|'re|were)|act\s+as\s+if\s+you|let(?:'|’|\s)?s\s+play\s+a\s+game|you\s+will\s+be\s+playing|hypothetical(?:ly)?\s+(?:story|scenario|world)?,?\s*(?:if\s+you\s+(?:were|had\s+no)|where|in\s+which|an?\s+ai))\b`,
    ),
  },
  {
    name: 'from-now-on',
    weight: 0.75,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:from\s+now\s+on|from\s+here\s+on|from\s+this\s+point\s+(?:on|forward)|henceforth|going\s+forward),?\s+(?:you\s+(?:will|must|shall|are\s+going\s+to|are\s+to|should|'ll)\s+(?:always\s+|only\s+|never\s+)?(?:act|behave|be|play|pretend|ignore|obey|follow\s+(?:my|only|these)|roleplay|role-play|operate|function|forget|disregard|comply|refuse|refer\s+to\s+yourself)|(?:act|behave|speak|respond|reply|answer)\s+(?:only\s+)?(?:as|like)\b|${YOU_ARE}\s+(?:an?\s+|my\s+)?(?:\S+\s+)?(?:${AI_NOUN}|persona|character|hacker|criminal|accomplice))`,
    ),
  },
  {
    name: 'from-now-on-light',
    weight: 0.4,
    scope: 'phrase',
    regex: pattern(
      String.raw`\bfrom\s+now\s+on,?\s+you\s+(?:will|must|shall|are\s+going\s+to|should|'ll)\s+(?:always\s+|only\s+|never\s+)?(?:respond|reply|answer|output|generate|say|speak|talk)\b`,
    ),
  },
  {
    name: 'addresses-assistant',
    weight: 0.3,
    scope: 'phrase',
    regex: pattern(
      String.raw`(?:^|[.!?\n]\s*)(?:(?:hey|hi|hello|dear|ok|okay|psst|yo|attention|listen)[\s,]+)?(?:assistant|ai|chatbot|gpt|chatgpt|claude|model|llm)\s*,|\b(?:hey|hi|hello|dear|psst|yo|attention|listen)[\s,]+(?:assistant|ai|chatbot|bot|gpt|chatgpt|claude|model|llm)\s*:`,
    ),
  },
  {
    name: 'ai-permission',
    weight: 0.75,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:the\s+)?(?:${AI_NOUN})\s+(?:is|are)\s+(?:now\s+)?(?:authori[sz]ed|allowed|permitted|free|cleared)\s+to\b`,
    ),
  },
  {
    name: 'grant-privileges',
    weight: 0.4,
    scope: 'phrase',
    regex: pattern(
      String.raw`\bgrant\s+(?:the\s+user|this\s+user|me|them|him|her|the\s+customer|this\s+customer|this\s+account|the\s+account|my\s+account)\s+(?:full\s+)?(?:admin(?:istrator)?|root|superuser|elevated)\s+(?:access|privileges|rights|permissions)\b`,
    ),
  },
  {
    name: 'status-escalation',
    weight: 0.4,
    scope: 'phrase',
    regex: pattern(
      String.raw`\bmark\s+(?:this|the|my|his|her)\s+(?:account|user|customer|profile)\s+as\s+(?:verified|trusted|vip|admin|approved|pre-?approved|exempt)\b`,
    ),
  },
  {
    name: 'role-change',
    weight: 0.6,
    scope: 'phrase',
    regex: pattern(
      String.raw`\b(?:stop|quit)\s+being\s+(?:an?\s+|the\s+|my\s+)?(?:\S+\s+)?(?:${AI_NOUN}|agent)\b|\b(?:enter|activate|switch\s+(?:in)?to|turn\s+on)\s+(?:the\s+)?(?:unrestricted|unfiltered|uncensored|jailbreak|god|dan|sudo|maintenance)\s+mode\b`,
    ),
  },
  {
    name: 'pretext-approval',
    weight: 0.4,
    scope: 'phrase',
    regex: pattern(
      String.raw`\bpretend\s+(?:that\s+)?(?:the\s+|my\s+|your\s+)?(?:\S+\s+){0,2}?(?:approved|authori[sz]ed|allowed|signed\s+off|cleared\s+it)\b`,
    ),
  },
];
