import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryRecord } from '../testing/records.js';
import { MEMORY_TYPES } from '../wire/common.js';
import { oneLine } from './formatter.js';
import { FORMATTERS, SMS_MAX_CHARACTERS, countTokens, packContext } from './index.js';

const now = new Date('2026-01-01T10:02:00.000Z');
const context = { lastChannel: 'voice' as const, lastSeenAt: '2026-01-01T10:00:00.000Z', now };
const items = [
  memoryRecord({
    type: 'issue',
    text: 'Order #4521 arrived **damaged**, see https://shop.example.com/orders/4521',
  }),
  memoryRecord({ type: 'intent', text: 'Wants a refund' }),
  memoryRecord({ type: 'preference', text: 'Prefers `WhatsApp` over calls' }),
];

describe('channel formats', () => {
  it('voice is one spoken paragraph without URLs or markdown, naming the last channel', () => {
    const { text } = FORMATTERS.voice.render(items, context);
    expect(text).not.toMatch(/https?:|www\.|[*_`#\n]/u);
    expect(text).toContain('by voice 2 minutes ago');
    expect(text).toContain('Order 4521 arrived damaged');
  });

  it('whatsapp has a short header and one bullet per memory', () => {
    const lines = FORMATTERS.whatsapp.render(items, context).text.split('\n');
    expect(lines[0]).toBe('*Previous interaction (voice, 2 min ago):*');
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^• Issue: Order #4521/u),
      '• Intent: Wants a refund',
      '• Preference: Prefers `WhatsApp` over calls',
    ]);
  });

  it('web is markdown with a section per type', () => {
    const { text } = FORMATTERS.web.render(items, context);
    expect(text.startsWith('## Customer context (last seen 2 min ago via voice)')).toBe(true);
    expect(text).toContain('**Open issues**\n- Order #4521');
    expect(text).toContain('**Intents**\n- Wants a refund');
  });

  it('sms is a single line of at most 160 characters', () => {
    const many = Array.from({ length: 20 }, (_, index) =>
      memoryRecord({ text: `Ticket ${index} is still open and waiting for a courier pickup` }),
    );
    const { text, used } = FORMATTERS.sms.render(many, context);
    expect(text).not.toContain('\n');
    expect(text.length).toBeLessThanOrEqual(SMS_MAX_CHARACTERS);
    expect(text.startsWith('Prev (voice, 2 min ago): ')).toBe(true);
    expect(used.length).toBeGreaterThan(0);
    expect(used.length).toBeLessThan(20);
  });

  it('sms keeps the start of a single memory that is too long', () => {
    const { text } = FORMATTERS.sms.render([memoryRecord({ text: 'x'.repeat(400) })], context);
    expect(text.length).toBeLessThanOrEqual(SMS_MAX_CHARACTERS);
    expect(text.endsWith('…')).toBe(true);
  });

  it('app is valid JSON with the memories and the last channel', () => {
    const document = JSON.parse(FORMATTERS.app.render(items, context).text);
    expect(document.lastChannel).toBe('voice');
    expect(document.lastSeenAgo).toBe('2 min ago');
    expect(document.memories.map((memory: { type: string }) => memory.type)).toEqual([
      'issue',
      'intent',
      'preference',
    ]);
  });

  it('every format renders nothing for no memories', () => {
    for (const formatter of Object.values(FORMATTERS))
      expect(formatter.render([], context).text).toBe('');
  });
});

describe('packContext', () => {
  const arbitraryRecord = fc
    .record({
      type: fc.constantFrom(...MEMORY_TYPES),
      text: fc.string({
        minLength: 1,
        maxLength: 600,
        unit: fc.constantFrom('a', 'b', ' ', 'é', '漢', '1', '#', '*', '\n', 'word '),
      }),
    })
    .map(({ type, text }) => memoryRecord({ type, text }));

  it('never exceeds the budget, and reports the exact token count of what it returns', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryRecord, { maxLength: 40 }),
        fc.integer({ min: 1, max: 32_000 }),
        fc.constantFrom(...Object.values(FORMATTERS)),
        (records, budget, formatter) => {
          const packed = packContext(formatter, records, budget, context);
          expect(packed.tokens).toBeLessThanOrEqual(budget);
          expect(packed.tokens).toBe(countTokens(packed.context));
          if (formatter.format === 'app' && packed.context)
            expect(() => JSON.parse(packed.context)).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps rank order and fills the budget with what fits', () => {
    const packed = packContext(FORMATTERS.whatsapp, items, 2000, context);
    expect(packed.items.map((item) => item.id)).toEqual(items.map((item) => item.id));
    const tight = packContext(FORMATTERS.whatsapp, items, 25, context);
    expect(tight.items.length).toBeLessThan(items.length);
    expect(tight.tokens).toBeLessThanOrEqual(25);
  });
});

describe('oneLine', () => {
  it('collapses every run of whitespace and trims, and hands back a text that is one line already', () => {
    expect(oneLine('Prefers  email\n\tafter 6 pm ')).toBe('Prefers email after 6 pm');
    expect(oneLine(' leading')).toBe('leading');
    expect(oneLine('trailing ')).toBe('trailing');
    expect(oneLine('no\u00a0break\u2028here')).toBe('no break here');
    const plain = 'Order #4521 arrived damaged';
    expect(oneLine(plain)).toBe(plain);
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom('a', 'é', ' ', '\n', '\t', '\r', '\u00a0', '\u2028', '\ufeff'))
          .map((pieces) => pieces.join('')),
        (text) => {
          expect(oneLine(text)).toBe(text.replace(/\s+/g, ' ').trim());
        },
      ),
    );
  });
});
