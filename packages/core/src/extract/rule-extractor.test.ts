import { describe, expect, it } from 'vitest';
import type { ExtractionMessage } from './fact-extractor.js';
import { rawTextMessages } from './raw-text-messages.js';
import { extractWithRules } from './rule-extractor.js';

const now = new Date('2026-03-02T10:00:00.000Z');
const facts = (text: string, channel: 'voice' | 'sms' | 'web' | null = null) =>
  extractWithRules(rawTextMessages(text, { channel, now })).map(({ type, text, entities }) => ({
    type,
    text,
    entities,
  }));
const message = (text: string, role: ExtractionMessage['role'] = 'user'): ExtractionMessage => ({
  id: 'm',
  speaker: null,
  role,
  text,
  observedAt: now.toISOString(),
});

describe('the rule extractor', () => {
  it('finds all five fact types with their entities', () => {
    expect(
      facts(
        [
          'Customer: My name is Priya and I live in Pune.',
          'Customer: I prefer WhatsApp over calls.',
          'Customer: I want to return order 4521 because the screen is cracked.',
          "Agent: I've issued a refund of ₹2,499 for order 4521.",
        ].join('\n'),
      ),
    ).toEqual([
      { type: 'profile', text: 'Name is Priya', entities: [] },
      { type: 'profile', text: 'Lives in Pune', entities: [] },
      { type: 'preference', text: 'Prefers WhatsApp over calls', entities: [] },
      { type: 'intent', text: 'Wants to return order 4521', entities: ['order:4521'] },
      { type: 'issue', text: 'the screen is cracked', entities: ['order:4521'] },
      {
        type: 'resolution',
        text: 'Issued a refund of ₹2,499 for order 4521',
        entities: ['order:4521', 'amount:INR2499'],
      },
    ]);
  });

  it('sets the slot of names and cities, and gives each fact its message id and confidence', () => {
    const [name, city] = extractWithRules([message('My name is Priya. I moved to Berlin.')]);
    expect(name).toMatchObject({ slot: 'profile:name', messageId: 'm', confidence: 0.7 });
    expect(city).toMatchObject({ slot: 'profile:city' });
  });

  it('reads contracted subjects as well as full ones', () => {
    for (const text of [
      "I'm moving to Bangalore next month",
      'I am moving to Bangalore next month',
      "We're based in Leeds",
    ]) {
      expect(extractWithRules([message(text)]), text).toMatchObject([
        { type: 'profile', slot: 'profile:city' },
      ]);
    }
    expect(extractWithRules([message("I've got two dogs")])).toMatchObject([{ type: 'profile' }]);
    expect(extractWithRules([message("I'm working as a nurse")])).toMatchObject([
      { type: 'profile' },
    ]);
  });

  it('reads resolutions from the agent and from the person, but not a negated one', () => {
    expect(
      extractWithRules([message('Your replacement has been shipped.', 'agent')]),
    ).toMatchObject([{ type: 'resolution' }]);
    expect(extractWithRules([message('Got the refund today, all good now.')])).toMatchObject([
      { type: 'resolution' },
    ]);
    expect(extractWithRules([message("The refund hasn't been processed yet.")])).toMatchObject([
      { type: 'issue' },
    ]);
    // An agent's other remarks are not facts about the person.
    expect(
      extractWithRules([message('I see your order was delivered yesterday.', 'agent')]),
    ).toEqual([]);
  });

  it('finds nothing in greetings, small talk and plain questions', () => {
    for (const text of [
      'Hi! Good morning.',
      "Thanks so much, you're the best 🙏",
      "I'm good, how are you?",
      'What are your opening hours on Sunday?',
      'Do you ship to Canada?',
      'ok see you',
      'Have a great day!',
    ]) {
      expect(facts(text), text).toEqual([]);
    }
  });

  it('keeps requests made as questions', () => {
    expect(facts('Can you cancel my subscription?')).toMatchObject([{ type: 'intent' }]);
    expect(facts('Where is my order #20931?')).toMatchObject([
      { type: 'issue', entities: ['order:20931'] },
    ]);
  });

  it('attaches ids said in a sentence of their own to the facts of that message', () => {
    expect(facts('The blender arrived cracked. The order number is 4521.', 'voice')).toEqual([
      { type: 'issue', text: 'The blender arrived cracked', entities: ['order:4521'] },
    ]);
  });

  it('survives hostile input without hanging', () => {
    expect(facts('um uh erm hmm uh', 'voice')).toEqual([]);
    expect(facts('\n\n\n', 'sms')).toEqual([]);
    expect(facts('😀😀😀 🙏', 'sms')).toEqual([]);
    expect(facts('طلبي رقم 4521 متأخر. אני רוצה החזר', 'web')).toEqual([]);
    expect(facts('refund '.repeat(10_000), 'voice').length).toBeLessThanOrEqual(1);
    expect(facts(`${'show '.repeat(10_000)}but`, 'web')).toEqual([]);
    const long = 'My order 4521 arrived damaged and I want a refund. '.repeat(1200);
    const found = facts(long, 'web');
    expect(found.length).toBeGreaterThan(0);
    for (const fact of found) expect(fact.text.length).toBeLessThanOrEqual(4096);
  });
});
