import type { SpeakerRole } from './fact-extractor.js';

// Words in a speaker name that make it the business side ("Acme Support", "ShopBot", "Agent 2").
const AGENT_NAME =
  /\b(?:agent|assistant|bot|representative|rep|operator|support|advisor|adviser|executive|associate|specialist|technician|system|ivr|helpdesk|csr|cs|care|team|service|services|help|official|store|shop|bank|sales|receptionist|desk|ai|concierge)\b/iu;
const USER_NAME =
  /^(?:caller|customer|client|user|me|guest|patient|human|member)(?:\s?\d{1,2})?$/iu;

// What agents say and customers do not.
const AGENT_SPEECH =
  /\bhow (?:can|may|could) (?:i|we) (?:help|assist)\b|\bthank(?:s| you) for (?:calling|contacting|reaching out|your patience|waiting|choosing|shopping)\b|\blet me (?:check|look|pull|see|verify|confirm)\b|\b(?:we|i)(?:'ve| have) (?:refunded|processed|initiated|credited|reversed|shipped|raised|escalated|arranged|scheduled)\b|\bsorry (?:to hear|for the (?:inconvenience|delay|trouble))\b|\bwe apologi[sz]e\b|\bdear customer\b|\byour (?:registered|original payment)\b|\bis there anything else\b/iu;

/** Split "ShopBot" and "TelcoCare" into words so that their parts can be recognised. */
function words(name: string): string {
  return name.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2');
}

/** The role a speaker name implies on its own: `Agent`, `Acme Support` -> agent; `Caller` -> user. */
export function roleOfName(name: string | null): SpeakerRole {
  if (name === null) return 'unknown';
  if (USER_NAME.test(name.trim())) return 'user';
  return AGENT_NAME.test(words(name)) ? 'agent' : 'unknown';
}

/** A message as roles are decided for it. */
export interface SpokenMessage {
  speaker: string | null;
  text: string;
}

/**
 * Roles of every message of one conversation. Names decide first; a named speaker who talks
 * like an agent ("how can I help", "let me check") is the agent; when one side is known to be
 * the agent, every other named speaker is the user. Unlabelled text that talks like an agent is
 * the agent's; anything still unknown stays `unknown`, which extraction reads as the user.
 */
export function assignRoles(messages: readonly SpokenMessage[]): SpeakerRole[] {
  const bySpeaker = new Map<string, SpeakerRole>();
  const speakers = new Set<string>();
  for (const message of messages) {
    if (message.speaker === null) continue;
    speakers.add(message.speaker);
    if (!bySpeaker.has(message.speaker))
      bySpeaker.set(message.speaker, roleOfName(message.speaker));
  }
  const unknownAgents = new Set<string>();
  for (const message of messages) {
    if (
      message.speaker !== null &&
      bySpeaker.get(message.speaker) === 'unknown' &&
      AGENT_SPEECH.test(message.text)
    ) {
      unknownAgents.add(message.speaker);
    }
  }
  // Only trust speech when it singles out one speaker.
  if (unknownAgents.size === 1) bySpeaker.set([...unknownAgents][0]!, 'agent');
  const hasAgent = [...bySpeaker.values()].includes('agent');
  if (hasAgent) {
    for (const speaker of speakers) {
      if (bySpeaker.get(speaker) === 'unknown') bySpeaker.set(speaker, 'user');
    }
  }
  return messages.map((message) => {
    if (message.speaker !== null) return bySpeaker.get(message.speaker) ?? 'unknown';
    return AGENT_SPEECH.test(message.text) ? 'agent' : 'unknown';
  });
}
