/**
 * The instruction-shape heuristic: does a sentence tell the AI what to do with its own
 * configuration? Customer requests ("could you give me a refund", "can you show me my orders")
 * are imperatives too, but about orders and refunds; an injection is an imperative about the
 * AI's prompt, instructions, safety rules, mode or persona.
 */

/** Things only an AI has: its prompt, configuration, safety rules, persona, its makers' policy. */
const AI_MACHINERY =
  /\b(?:system\s+(?:prompt|instructions?|message|configuration|config|rules)|(?:your|the|its|initial|hidden|original|secret|internal)\s+(?:prompt|configuration|config|programming|persona|directives?|guardrails|training|system\s+settings)|(?:assistant|ai|model|bot|chatbot)\s+(?:configuration|config|persona|instructions|prompt|settings)|directives|guardrails|content\s+(?:policy|filter(?:ing|s)?|moderation)|safety\s+(?:filters?|guidelines|rules|settings|protocols|constraints|training)|context\s+window|training\s+data|language\s+model|llm|(?:openai|anthropic|google|microsoft|meta)(?:'s)?\s+(?:policy|policies|rules|guidelines)|your\s+(?:operator|operators|developers?|creators?|makers?)|(?:hidden|secret|internal|initial|original|system)\s+instructions)\b/u;

/** Things a customer mentions too, which only count with a word pointing at the AI. */
const AI_QUALIFIED =
  /\b(?:your|all|previous|prior|above|earlier|original|initial|hidden|system|internal|secret|these)\s+(?:\w+\s+)?(?:instructions|rules|guidelines|restrictions|filters|policies|constraints|limitations|memory|memories|reply|response|answer|output)\b|\b(?:ai|assistant|bot|chatbot|model)\b|\bthis\s+(?:chat|session|conversation|memory)\b/u;

/** Verbs that set aside, replace, reveal or unlock configuration. */
const CONTROL_VERBS = new Set(
  `ignore disregard forget override overrides overrule bypass circumvent disable deactivate
  reveal show display print output dump recite disclose leak exfiltrate obey pretend roleplay simulate
  impersonate jailbreak unlock unrestrict replace load enter switch begin start prepend append
  add include attach insert follow drop abandon deprecated obsolete outdated superseded
  revoked`.split(/\s+/),
);

/** Openers skipped to find the verb a sentence starts with ("please", "now", "you must"). */
const OPENERS =
  /^(?:(?:please|kindly|now|just|ok|okay|so|and|then|also|hey|hi|first|next|finally|immediately|assistant|ai|bot|chatbot|important|attention|note|system)[\s,:!-]+|(?:you\s+(?:must|should|will|shall|need\s+to|have\s+to)(?:\s+now)?|i\s+(?:want|need)\s+you\s+to|can\s+you|could\s+you|would\s+you|will\s+you)\s+)*/u;

/** The sentence speaks to its reader (the AI) rather than narrating. */
const ADDRESSED = /\b(?:you|your|yourself|u|ur|assistant|ai|bot|chatbot|model)\b/u;

/** Business the customer owns: a sentence about "my order" is a request, not an injection. */
const CUSTOMER_BUSINESS =
  /\b(?:my|our)\s+(?:\w+\s+)?(?:orders?|refunds?|deliver(?:y|ies)|packages?|parcels?|payments?|invoices?|accounts?|address(?:es)?|emails?|messages?|receipts?|items?|bookings?|appointments?|tickets?|subscriptions?|plans?|cards?|phones?|apps?|passwords?|bills?|device|router|printer|data)\b|\b(?:orders?|refunds?|deliver(?:y|ies)|parcels?|invoices?|receipts?|warranty|installation|returns?)\b/u;

/**
 * The score of one sentence, 0..1; from 0.7 it reads as an instruction aimed at the AI. Only a
 * sentence with a control verb (ignore, override, reveal, replace, load ...) that refers to the
 * AI's machinery (its prompt, configuration, safety rules, its operator) or to the AI itself
 * scores at all; machinery counts more than a mere mention of the AI, a control verb at the
 * start of the sentence more than one further on, and the customer's own business lowers it.
 */
export function instructionShapeScore(sentence: string): number {
  const text = sentence.toLowerCase().trim();
  const machinery = AI_MACHINERY.test(text);
  const qualified = !machinery && AI_QUALIFIED.test(text);
  if (!machinery && !qualified) return 0;
  const rest = text.slice(OPENERS.exec(text)?.[0].length ?? 0);
  const firstWord = /^[\p{L}-]+/u.exec(rest)?.[0] ?? '';
  const words = text.match(/[\p{L}-]+/gu) ?? [];
  const imperative = CONTROL_VERBS.has(firstWord);
  const control = imperative || words.some((word) => CONTROL_VERBS.has(word));
  if (!control) return 0;
  let score = machinery ? 0.45 : 0.25;
  if (imperative) score += 0.4;
  // A control verb further into the sentence instructs only when the sentence speaks to
  // someone; "we made sure to follow the safety protocols" narrates.
  else if (ADDRESSED.test(text)) score += 0.3;
  else score += 0.1;
  if (CUSTOMER_BUSINESS.test(text)) score -= 0.35;
  return Math.max(0, Math.min(1, Math.round(score * 100) / 100));
}

/** Sentences of a text, split at sentence ends, semicolons and line breaks. */
export function sentencesOf(text: string): string[] {
  return text.split(/[.!?;\n。！？؟।]+/u).filter((sentence) => sentence.trim().length > 0);
}
