import type { Scenario } from './load.js';
import { otherUserId, PERSON_WHATSAPP } from './seed.js';

/** A POST of the WhatsApp agent, with the same body every time. */
function whatsappPost(apiKey: string, name: string, path: string, body: object): Scenario {
  return {
    name,
    path,
    headers: { authorization: `Bearer ${apiKey}`, 'x-memnex-channel': 'whatsapp' },
    body: JSON.stringify(body),
  };
}

/** A WhatsApp agent reads the person's context before it answers: served from the hot cache. */
export function readScenario(apiKey: string): Scenario {
  return whatsappPost(apiKey, 'read', '/v1/memory/read', {
    user: { identifier: PERSON_WHATSAPP },
    tokenBudget: 300,
  });
}

/** What the search scenario looks for; the refund of order #4521 is the right first hit. */
export const SEARCH_QUERY = 'refund for the damaged headphones';

/** The same agent looks for what the person said about a refund. */
export function searchScenario(apiKey: string): Scenario {
  return whatsappPost(apiKey, 'search', '/v1/memory/search', {
    user: { identifier: PERSON_WHATSAPP },
    query: SEARCH_QUERY,
    limit: 5,
  });
}

/**
 * One new fact per request, round-robin over the other users (or the person when there are
 * none). Every text and entity is new, so no write is deduplicated or supersedes another, and
 * no idempotency key is sent: each answered write adds one current memory.
 */
export function writeScenario(apiKey: string, users: number): Scenario {
  return {
    name: 'write',
    path: '/v1/memory/write',
    headers: { authorization: `Bearer ${apiKey}`, 'x-memnex-channel': 'web' },
    body: (sequence) => {
      const order = 500_000 + sequence;
      return JSON.stringify({
        user:
          users > 0 ? { userId: otherUserId(sequence % users) } : { identifier: PERSON_WHATSAPP },
        facts: [
          {
            type: 'intent',
            text: `Wants to move the delivery of order #${order} to slot ${8 + (sequence % 12)}:00`,
            entities: [`order:${order}`],
          },
        ],
      });
    },
  };
}
