/**
 * A child process for the crash test: opens the embedded data dir from the environment, creates
 * a tenant, a key and memories, prints what it made as one JSON line once every write is
 * acknowledged, and then keeps running until it is killed.
 */
import { loadConfig } from '../config.js';
import { createRuntime } from '../runtime.js';

const { memnex } = await createRuntime({ config: loadConfig() });
const { id: tenantId } = await memnex.tenants.create({ name: 'crash-test' });
const key = await memnex.keys.create({
  tenantId,
  label: 'crash-test',
  scopes: ['memory:read', 'memory:write'],
});
const texts: string[] = [];
for (let index = 0; index < 20; index++) {
  const text = `Order #${4500 + index} needs a callback`;
  await memnex.write({
    tenantId,
    user: { identifier: { channel: 'voice', id: `+44 20 7946 ${String(1000 + index)}` } },
    facts: [{ type: 'issue', text, entities: [`order:${4500 + index}`] }],
  });
  texts.push(text);
}
process.stdout.write(
  `${JSON.stringify({ tenantId, key: key.key, keyId: key.record.id, texts })}\n`,
);
setInterval(() => undefined, 60_000);
