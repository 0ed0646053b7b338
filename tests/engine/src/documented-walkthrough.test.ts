import { describe, expect, it } from 'vitest';
import { setup } from './setup.js';

// The voice-to-WhatsApp walk-through of docs/04-mcp-integration.md, step by step.
describe('the MCP guide walk-through', () => {
  it('writes by phone, reads by WhatsApp id in WhatsApp format, and flags the invented promise', async () => {
    const { memnex, tenantId } = await setup();
    await memnex.write({
      tenantId,
      user: { identifier: { channel: 'voice', id: '+44 20 7946 0958' } },
      facts: [
        { type: 'profile', text: 'Name is Priya Sharma', slot: 'profile:name' },
        { type: 'issue', text: 'Order #4521 arrived damaged', entities: ['order:4521'] },
        { type: 'preference', text: 'Prefers WhatsApp over calls', slot: 'preference:channel' },
      ],
    });
    const whatsapp = { identifier: { channel: 'whatsapp', id: 'wa:442079460958' } } as const;
    const resolved = await memnex.identifiers.resolve({ tenantId, ...whatsapp });
    expect(resolved).not.toBeNull();

    const read = await memnex.read({
      tenantId,
      user: whatsapp,
      format: 'whatsapp',
      query: 'where is my refund?',
      tokenBudget: 300,
    });
    expect(read.tokens).toBeLessThanOrEqual(300);
    expect(read.context).toContain('• ');
    expect(read.items.map((item) => item.text)).toEqual(
      expect.arrayContaining(['Order #4521 arrived damaged', 'Name is Priya Sharma']),
    );

    const trace = await memnex.trace({
      tenantId,
      user: whatsapp,
      draft: 'Sorry your order #4521 arrived damaged, Priya. Your replacement ships today.',
    });
    expect(trace.suspectedHallucinations).toEqual(['Your replacement ships today.']);
    expect(trace.supported).toEqual(['Sorry your order #4521 arrived damaged, Priya.']);
  });
});
