/**
 * Memnex in process, end to end: a voice agent learns about a caller on Monday, a WhatsApp agent
 * meets the same person on Wednesday and already knows them. Runs offline on the embedded
 * default: PGlite in MEMNEX_DATA_DIR (~/.memnex) and the local embedding model shipped in npm.
 */
import { createLogger, createRuntime } from '@memnex/runtime';

const print = (title: string, value: unknown) =>
  process.stdout.write(
    `\n── ${title}\n${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`,
  );

const { memnex, config, close } = await createRuntime({ logger: createLogger({ level: 'warn' }) });
const { id: tenantId } = await memnex.tenants.create({
  name: 'quickstart',
  settings: { defaultRegion: 'IN' },
});

// Monday: the voice agent only knows the caller's phone number.
const caller = { identifier: { channel: 'voice' as const, id: '+91 92410 63955' } };
const written = await memnex.write({
  tenantId,
  user: caller,
  source: { channel: 'voice', agentId: 'voice-bot' },
  facts: [
    { type: 'profile', text: 'Name is Priya Sharma', slot: 'profile:name' },
    { type: 'issue', text: 'Order #4521 arrived damaged', entities: ['order:4521'] },
    { type: 'intent', text: 'Wants a refund to UPI', entities: ['order:4521'] },
    { type: 'preference', text: 'Prefers WhatsApp over phone calls', slot: 'preference:channel' },
  ],
});
print('voice agent wrote', { written: written.written.length, version: written.version });

// Wednesday: the WhatsApp agent knows a wa: id. Phone channels share one identity space.
const sameCustomer = { identifier: { channel: 'whatsapp' as const, id: 'wa:919241063955' } };
const context = await memnex.read({
  tenantId,
  user: sameCustomer,
  format: 'whatsapp',
  tokenBudget: 300,
});
print(`whatsapp agent reads (${context.tokens} tokens)`, context.context);

const { hits } = await memnex.search({
  tenantId,
  user: sameCustomer,
  query: 'what was wrong with the parcel?',
});
print(
  'search: "what was wrong with the parcel?"',
  hits.map((hit) => `${hit.type}: ${hit.text} (${hit.score})`).join('\n'),
);

const resolution = await memnex.write({
  tenantId,
  user: sameCustomer,
  source: { channel: 'whatsapp' },
  facts: [{ type: 'resolution', text: 'Refund of INR 499 sent to UPI', entities: ['order:4521'] }],
});
print('resolution closes the open issue', resolution.resolved);

const check = await memnex.trace({
  tenantId,
  user: sameCustomer,
  draft:
    'Your refund of INR 499 was sent to UPI. You also have a pending replacement for order 7788.',
});
print('trace of a draft reply', {
  supported: check.supported,
  suspectedHallucinations: check.suspectedHallucinations,
});

const receipt = await memnex.forget({
  tenantId,
  user: sameCustomer,
  reason: 'customer asked to be forgotten',
});
print('forget receipt', receipt);
print('kept in', `${config.dataDir} (the tenant, its keys and the ledger stay for the next run)`);
await close();
