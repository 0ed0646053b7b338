import { oneOf } from './screen-pattern.js';

/** "you are", "you're", and "you re" as the loose form spells it. */
export const YOU_ARE = String.raw`you\s*(?:are|'re|’re|\s+re)`;

/** Names for an AI model or assistant. */
export const AI_NOUN = oneOf(`
  ai a\\.i\\. assistant assistants llm llms language_model model models chatbot chatbots bot
  bots gpt chatgpt claude gemini copilot
`);

/** Job titles that follow "assistant" without making it an AI ("assistant manager"). */
export const NOT_AN_AI = String.raw`(?!\s+(?:manager|director|professor|editor|coach|principal|engineer|teacher|chef|secretary|buyer|supervisor|store|shop))`;

/** What "no restrictions" is about. */
export const LIMITS = oneOf(`
  restrictions limits limitations rules filters filtering censorship guidelines guardrails
  constraints boundaries ethics morals morality content_polic(?:y|ies)
  safety_(?:rules|guidelines|filters|measures|constraints|protocols)
`);

/** Verbs that ask for something to be shown or handed over. */
export const REVEAL = oneOf(`
  reveal show print display output repeat recite echo dump leak disclose expose tell give share
  send write spell_out copy paste list return provide read_out type_out translate summarize
  summarise quote what's what_is what_are what_was what_were
`);

/** Verbs that hand something over with no room for an innocent reading. */
export const DISCLOSE = oneOf('reveal print dump leak disclose expose recite output spell_out');

/** Personal data of other people, as an exfiltration target. */
export const PERSONAL_DATA = oneOf(`
  data details records info\\p{L}* information pii emails? e-mail_addresses phone_numbers?
  numbers passwords? credentials addresses names memories histor(?:y|ies) card_numbers?
  account_numbers?
`);
