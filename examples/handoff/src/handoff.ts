import { createMemnexClient } from '@memnex/client';

/** The two agents' keys and the server they talk to. */
export interface HandoffOptions {
  /** Base URL of a Memnex REST server, e.g. `http://127.0.0.1:8000`. */
  url: string;
  /** Key of the voice agent (memory:write, memory:read). */
  voiceKey: string;
  /** Key of the WhatsApp agent (memory:read). */
  whatsappKey: string;
  /** Where to print; stdout by default. */
  print?: (title: string, value: unknown) => void;
}

/**
 * Monday, a voice agent that only knows the caller's phone number writes what it learnt. Wednesday,
 * a WhatsApp agent that only knows a `wa:` id reads the same person's context for its first reply
 * and checks its draft against what is remembered. Returns what the WhatsApp agent saw.
 */
export async function runHandoff(options: HandoffOptions) {
  const print = options.print ?? (() => undefined);
  const voice = createMemnexClient({
    url: options.url,
    apiKey: options.voiceKey,
    channel: 'voice',
  });
  const whatsapp = createMemnexClient({
    url: options.url,
    apiKey: options.whatsappKey,
    channel: 'whatsapp',
  });

  const caller = { identifier: { channel: 'voice', id: '+44 20 7946 0958' } } as const;
  const written = await voice.memory.write({
    user: caller,
    source: { agentId: 'voice-bot' },
    facts: [
      { type: 'profile', text: 'Name is Amara Okafor', slot: 'profile:name' },
      { type: 'issue', text: 'Order #4521 arrived damaged', entities: ['order:4521'] },
      { type: 'intent', text: 'Wants a replacement, not a refund', entities: ['order:4521'] },
      { type: 'preference', text: 'Prefers WhatsApp over phone calls', slot: 'preference:channel' },
    ],
  });
  print('voice agent wrote', { written: written.written.length, rejected: written.rejected });

  const sameCustomer = { identifier: { channel: 'whatsapp', id: 'wa:442079460958' } } as const;
  const context = await whatsapp.memory.read({ user: sameCustomer, tokenBudget: 300 });
  print(`whatsapp agent reads (${context.format}, ${context.tokens} tokens)`, context.context);

  const draft =
    'Hi Amara! Sorry your order 4521 arrived damaged. I have issued a full refund to your card.';
  const trace = await whatsapp.memory.trace({ user: sameCustomer, draft });
  print('draft check', { supported: trace.supported, unsupported: trace.unsupported });
  return { context, trace };
}
