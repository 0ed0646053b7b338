import { type ConflictPolicy, type TenantSettings } from '@memnex/core';
import { FACT_TYPES, LIMITS, TRUST_LEVELS, type FactType } from '@memnex/core/wire';

/** What each fact type means, with examples and the usual slot. */
const FACT_TYPE_GUIDE: Readonly<
  Record<FactType, { meaning: string; examples: string[]; slot: string }>
> = {
  intent: {
    meaning: 'What the person wants to do or is about to do.',
    examples: [
      'Wants to cancel order #4521',
      'Plans to upgrade to the family plan',
      'Considering switching to a competitor',
    ],
    slot: 'intent:<first entity>, e.g. entities ["order:4521"] -> slot intent:order:4521',
  },
  preference: {
    meaning: 'How the person likes to be served.',
    examples: ['Prefers morning calls', 'Wants short replies', 'Asks for vegetarian options'],
    slot: 'preference:<first entity>, or an explicit slot such as "preference:contact-time"',
  },
  issue: {
    meaning: 'A problem the person has; stays open until a resolution about the same thing.',
    examples: [
      'Order #4521 arrived damaged',
      'Cannot log in since Monday',
      'Charged twice for March',
    ],
    slot: 'issue:<first entity>, e.g. issue:order:4521',
  },
  resolution: {
    meaning:
      'What was done about an issue. A resolution sharing an entity with an open issue marks it resolved.',
    examples: [
      'Refund of INR 499 issued via UPI',
      'Account access restored',
      'Duplicate charge reversed',
    ],
    slot: 'resolution:<first entity>',
  },
  profile: {
    meaning: 'Stable facts about the person: name, city, job, household.',
    examples: ['Name is Priya Sharma', 'Lives in Pune', 'Works as a nurse'],
    slot: 'an explicit slot such as "profile:city", or profile:<first entity>',
  },
};

const POLICY_MEANING: Readonly<Record<ConflictPolicy, string>> = {
  latest_wins: 'a newer fact in the same slot supersedes the older one (kept as history)',
  keep_both: 'facts in the same slot are all kept current; identical facts are still deduplicated',
  append_only: 'every fact is stored, even identical ones',
};

/**
 * The `memnex://schema/fact-types` document: the five fact types with their meaning and slots,
 * and the conflict policy and lowest accepted trust of the caller's tenant.
 */
export function factTypesMarkdown(settings: TenantSettings): string {
  const lines = [
    '# Memnex fact types',
    '',
    'Write what you learn about a person as structured facts with `memory_write`:',
    '`{"fact": "...", "type": "<type>", "entities": ["type:value", ...], "confidence": 0.9}`.',
    '',
  ];
  for (const type of FACT_TYPES) {
    const guide = FACT_TYPE_GUIDE[type];
    const policy = settings.conflictPolicy?.[type] ?? 'latest_wins';
    const minTrust = settings.minTrust?.[type];
    lines.push(
      `## ${type}`,
      '',
      guide.meaning,
      '',
      `- Examples: ${guide.examples.map((example) => `"${example}"`).join('; ')}`,
      `- Slot: ${guide.slot}`,
      `- Conflict policy here: \`${policy}\`: ${POLICY_MEANING[policy]}`,
      `- Lowest trust accepted: \`${minTrust ?? TRUST_LEVELS[0]}\`` +
        (minTrust
          ? ' (facts with less trust come back in `rejected` with code TRUST_TOO_LOW)'
          : ''),
      '',
    );
  }
  lines.push(
    '## Entities and slots',
    '',
    '- Entities are `type:value` strings; the type is lower-cased: `order:4521`, `sku:SKU123`, ' +
      '`drug:penicillin`, `amount:499`, `currency:INR`, `appointment:apt_2026_05_01`.',
    "- A fact's slot is its explicit `slot`, else `<type>:<first entity>`; a fact without entities " +
      'and slot has no slot and never supersedes anything by itself.',
    '- Pass `supersedes: [memoryId]` to replace a memory explicitly.',
    `- Limits: ${LIMITS.factsPerWrite} facts per write, ${LIMITS.factTextLength} characters per fact, ` +
      `${LIMITS.entitiesPerFact} entities per fact.`,
    '',
    '## When to write',
    '',
    '- Write when a fact crystallises, once per sub-intent: a 20-turn call yields about 3-5 writes.',
    '- Do not write greetings, small talk, or what is already known.',
    `- Trust levels, lowest first: ${TRUST_LEVELS.map((level) => `\`${level}\``).join(' < ')}.`,
  );
  return lines.join('\n');
}
