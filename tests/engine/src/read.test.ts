import { countTokens } from '@memnex/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MINUTE, manualClock, setup } from './setup.js';

const FACT_TYPES = ['intent', 'preference', 'issue', 'resolution', 'profile'] as const;

async function seeded() {
  const clock = manualClock();
  const context = await setup({ now: clock.now });
  await context.memnex.write({
    tenantId: context.tenantId,
    user: 'priya',
    source: { channel: 'voice' },
    facts: [
      {
        type: 'issue',
        text: 'Order #4521 arrived damaged, photos at https://example.com/p/4521',
        entities: ['order:4521'],
      },
      { type: 'intent', text: 'Wants a **refund** to UPI' },
      { type: 'preference', text: 'Prefers WhatsApp over calls' },
      { type: 'profile', text: 'Name is Priya Sharma', slot: 'profile:name' },
    ],
  });
  clock.advance(2 * MINUTE);
  return context;
}

describe('read', () => {
  it('voice: one spoken paragraph, no URLs or markdown, names the last channel and when', async () => {
    const { memnex, tenantId } = await seeded();
    const { context, tokens } = await memnex.read({ tenantId, user: 'priya', format: 'voice' });
    expect(context).not.toMatch(/https?:|\*|_|`|#|\n/u);
    expect(context).toContain('by voice 2 minutes ago');
    expect(context).toContain('Order 4521 arrived damaged');
    expect(tokens).toBe(countTokens(context));
  });

  it('sms: one line of at most 160 characters', async () => {
    const { memnex, tenantId } = await seeded();
    const { context } = await memnex.read({ tenantId, user: 'priya', format: 'sms' });
    expect(context.length).toBeLessThanOrEqual(160);
    expect(context).not.toContain('\n');
    expect(context.startsWith('Prev (voice, 2 min ago): ')).toBe(true);
  });

  it('app: valid JSON; whatsapp: header and bullets; web: markdown sections', async () => {
    const { memnex, tenantId } = await seeded();
    const app = await memnex.read({ tenantId, user: 'priya', format: 'app' });
    expect(JSON.parse(app.context).memories).toHaveLength(4);
    const whatsapp = await memnex.read({ tenantId, user: 'priya', channel: 'whatsapp' });
    expect(whatsapp.format).toBe('whatsapp');
    expect(whatsapp.context.split('\n')[0]).toBe('*Previous interaction (voice, 2 min ago):*');
    const web = await memnex.read({ tenantId, user: 'priya', format: 'web' });
    expect(web.context).toMatch(/^## Customer context/u);
    expect(web.context).toContain('**Open issues**');
  });

  it('ranks the open issue first and lets the query lift relevant memories', async () => {
    const { memnex, tenantId } = await seeded();
    const plain = await memnex.read({ tenantId, user: 'priya' });
    expect(plain.items[0]?.type).toBe('issue');
    const focused = await memnex.read({
      tenantId,
      user: 'priya',
      query: 'what is my name',
      tokenBudget: 60,
      format: 'whatsapp',
    });
    expect(focused.items.map((item) => item.text)).toContain('Name is Priya Sharma');
  });

  it('an unknown user reads as empty and is not created', async () => {
    const { memnex, tenantId } = await seeded();
    const result = await memnex.read({ tenantId, user: 'nobody' });
    expect(result).toMatchObject({ context: '', items: [], tokens: 0, version: 0 });
    expect((await memnex.export({ tenantId, user: 'nobody' })).user).toBeNull();
  });

  // A property test of many writes and reads: allow for a loaded machine.
  it(
    'never exceeds its token budget, for random memories, budgets and formats',
    { timeout: 60_000 },
    async () => {
      const { memnex, tenantId } = await setup();
      let user = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              type: fc.constantFrom(...FACT_TYPES),
              text: fc
                .string({
                  minLength: 1,
                  maxLength: 300,
                  unit: fc.constantFrom('a', 'é', '漢', ' ', '4', '#', '*', 'refund ', '\n'),
                })
                .filter((text) => text.trim().length > 0),
            }),
            { minLength: 1, maxLength: 30 },
          ),
          fc.integer({ min: 1, max: 32_000 }),
          fc.constantFrom('voice', 'whatsapp', 'web', 'sms', 'app' as const),
          async (facts, tokenBudget, format) => {
            user += 1;
            await memnex.write({ tenantId, user: `user-${user}`, facts });
            const result = await memnex.read({
              tenantId,
              user: `user-${user}`,
              tokenBudget,
              format,
            });
            expect(result.tokens).toBeLessThanOrEqual(tokenBudget);
            expect(result.tokens).toBe(countTokens(result.context));
          },
        ),
        { numRuns: 60 },
      );
    },
  );
});
