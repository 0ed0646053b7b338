import type { MemnexClient } from '@memnex/client';

type Fact = NonNullable<Parameters<MemnexClient['memory']['write']>[0]['facts']>[number];
type Channel = 'voice' | 'whatsapp' | 'web' | 'email';

/** The person every read and search is about, by the number she calls from. */
export const PERSON_VOICE = { channel: 'voice', id: '+91 92410 63955' } as const;
/** The same person on WhatsApp: one identity with the voice number, as Memnex resolves it. */
export const PERSON_WHATSAPP = { channel: 'whatsapp', id: 'wa:919241063955' } as const;

/** External user id of the `index`-th other user, the targets of the write scenario. */
export const otherUserId = (index: number) => `customer-${index}`;

/** Four conversations with one customer over a few weeks, on four channels. */
const CONVERSATIONS: Array<{ channel: Channel; facts: Fact[] }> = [
  {
    channel: 'voice',
    facts: [
      { type: 'profile', text: 'Name is Priya Sharma', slot: 'profile:name' },
      { type: 'profile', text: 'Lives in Bengaluru, Indiranagar', slot: 'profile:city' },
      { type: 'profile', text: 'Speaks Hindi and English', slot: 'profile:languages' },
      { type: 'profile', text: 'On the Family Plus plan since 2023', slot: 'profile:plan' },
      { type: 'issue', text: 'Order #4521 (headphones) arrived damaged', entities: ['order:4521'] },
      { type: 'intent', text: 'Wants a refund to UPI for order #4521', entities: ['order:4521'] },
      { type: 'preference', text: 'Prefers WhatsApp over phone calls' },
      { type: 'preference', text: 'Does not want calls before 10 am' },
      {
        type: 'issue',
        text: 'Broadband drops every evening around 9 pm',
        entities: ['line:bb-7731'],
      },
      {
        type: 'intent',
        text: 'Asked for a technician visit on a weekend',
        entities: ['line:bb-7731'],
      },
    ],
  },
  {
    channel: 'whatsapp',
    facts: [
      { type: 'resolution', text: 'Refund for order #4521 approved', entities: ['order:4521'] },
      { type: 'preference', text: 'Wants invoices as PDF on WhatsApp' },
      { type: 'preference', text: 'Prefers Hindi when talking to voice agents' },
      { type: 'issue', text: 'Was charged twice for the October bill', entities: ['bill:2026-10'] },
      {
        type: 'intent',
        text: 'Wants the duplicate October charge reversed',
        entities: ['bill:2026-10'],
      },
      { type: 'profile', text: 'Works from home on weekdays', slot: 'profile:work' },
      {
        type: 'intent',
        text: 'Considering an upgrade to the 300 Mbps plan',
        entities: ['plan:300'],
      },
      { type: 'preference', text: 'Likes short answers with a link rather than long messages' },
      { type: 'issue', text: 'Order #4690 (router) not delivered yet', entities: ['order:4690'] },
      {
        type: 'intent',
        text: 'Wants order #4690 delivered to her office',
        entities: ['order:4690'],
      },
    ],
  },
  {
    channel: 'web',
    facts: [
      {
        type: 'resolution',
        text: 'Technician replaced the ONT; evening drops stopped',
        entities: ['line:bb-7731'],
      },
      {
        type: 'profile',
        text: 'Has two children who use the tablets on the family plan',
        slot: 'profile:household',
      },
      { type: 'preference', text: 'Wants parental controls on the kids tablets' },
      { type: 'intent', text: 'Asked how to set screen-time limits', entities: ['device:tab-2'] },
      {
        type: 'issue',
        text: 'Tablet tab-2 cannot join the home Wi-Fi',
        entities: ['device:tab-2'],
      },
      { type: 'preference', text: 'Allergic to peanuts; no food gift hampers' },
      {
        type: 'intent',
        text: 'Interested in the festival offer on smart speakers',
        entities: ['offer:diwali-26'],
      },
      { type: 'profile', text: 'Birthday in March', slot: 'profile:birthday' },
      { type: 'preference', text: 'Pays by UPI autopay' },
      { type: 'issue', text: 'Autopay mandate failed in November', entities: ['bill:2026-11'] },
    ],
  },
  {
    channel: 'email',
    facts: [
      { type: 'resolution', text: 'Duplicate October charge reversed', entities: ['bill:2026-10'] },
      { type: 'resolution', text: 'Order #4690 delivered to the office', entities: ['order:4690'] },
      {
        type: 'intent',
        text: 'Wants a single consolidated bill for broadband and mobile',
        entities: ['bill:consolidated'],
      },
      { type: 'preference', text: 'Wants email only for invoices, not for offers' },
      { type: 'profile', text: 'Moving to Whitefield in January', slot: 'profile:moving' },
      {
        type: 'intent',
        text: 'Needs broadband shifted to the new address in January',
        entities: ['line:bb-7731'],
      },
      { type: 'issue', text: 'Mobile data slow on the commute', entities: ['line:mob-2210'] },
      { type: 'preference', text: 'Wants to be told about outages before they happen' },
    ],
  },
];

/** Number of facts {@link seedPerson} writes. */
export const PERSON_FACTS = CONVERSATIONS.reduce((sum, { facts }) => sum + facts.length, 0);

/** Write the person's conversations, one write each, in order, on their channels. */
export async function seedPerson(client: (channel: Channel) => MemnexClient): Promise<void> {
  for (const [index, { channel, facts }] of CONVERSATIONS.entries()) {
    const identifier = index === 0 ? PERSON_VOICE : PERSON_WHATSAPP;
    await client(channel).memory.write({ user: { identifier }, facts });
  }
}

/** Give `count` other users five facts each, eight writes in flight. */
export async function seedOthers(client: MemnexClient, count: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(8, count) }, async () => {
      while (next < count) {
        const index = next++;
        const order = 10_000 + index;
        await client.memory.write({
          user: { userId: otherUserId(index) },
          facts: [
            { type: 'profile', text: `Customer number ${index}`, slot: 'profile:name' },
            { type: 'issue', text: `Order #${order} is late`, entities: [`order:${order}`] },
            { type: 'intent', text: `Wants order #${order} tracked`, entities: [`order:${order}`] },
            { type: 'preference', text: index % 2 ? 'Prefers SMS' : 'Prefers email' },
            { type: 'preference', text: `Prefers delivery after ${index % 12} pm` },
          ],
        });
      }
    }),
  );
}
