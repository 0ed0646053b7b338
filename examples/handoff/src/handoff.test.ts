import { describe, expect, it } from 'vitest';
import { runHandoff } from './handoff.js';
import { startLocalServer } from './local-server.js';

describe('the hand-off example', () => {
  it('the WhatsApp agent reads what the voice agent wrote, and the refund claim is unsupported', async () => {
    const local = await startLocalServer({ embeddings: 'hash' });
    try {
      const { context, trace } = await runHandoff(local);
      expect(context.format).toBe('whatsapp');
      expect(context.context).toContain('Order #4521 arrived damaged');
      expect(context.context).toContain('Amara Okafor');
      expect(trace.unsupported.join(' ')).toMatch(/refund/iu);
    } finally {
      await local.close();
    }
  }, 60_000);
});
