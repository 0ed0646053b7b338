/**
 * `pnpm bench:mcp`: `memory_read` round trips over Streamable HTTP, from one client and from many
 * concurrent clients (one MCP session each), against `serveMcpHttp` on the embedded default
 * (PGlite in a temporary data dir, hash embedder) in this process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { serveMcpHttp } from '@memnex/mcp-server';
import { createRuntime, loadConfig } from '@memnex/runtime';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '3000' },
    clients: { type: 'string', default: '16' },
  },
});
const calls = Number(values.calls);
const many = Number(values.clients);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

const dataDir = await mkdtemp(join(tmpdir(), 'memnex-bench-mcp-'));
const runtime = await createRuntime({
  config: loadConfig({ MEMNEX_DATA_DIR: dataDir, MEMNEX_EMBEDDINGS: 'hash' }),
});
const { memnex } = runtime;
const { id: tenantId } = await memnex.tenants.create({ name: 'bench' });
const { key } = await memnex.keys.create({
  tenantId,
  label: 'bench',
  scopes: ['memory:read', 'memory:write'],
});
const caller = { channel: 'voice', id: '+44 20 7946 0958' } as const;
await memnex.write({
  tenantId,
  user: { identifier: caller },
  facts: [
    { type: 'profile', text: 'Name is Priya Sharma', slot: 'profile:name' },
    { type: 'issue', text: 'Order #4521 arrived damaged', entities: ['order:4521'] },
    { type: 'intent', text: 'Wants a refund to UPI', entities: ['order:4521'] },
    { type: 'preference', text: 'Prefers WhatsApp over phone calls' },
  ],
});
const server = await serveMcpHttp({ memnex, port: 0 });

async function connect(): Promise<Client> {
  const client = new Client({ name: 'bench', version: '0.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(server.url), {
      requestInit: { headers: { Authorization: `Bearer ${key}`, 'X-Memnex-Channel': 'whatsapp' } },
    }),
  );
  return client;
}

async function readOnce(client: Client): Promise<number> {
  const started = process.hrtime.bigint();
  const result = await client.callTool({
    name: 'memory_read',
    arguments: { identifier: { channel: 'whatsapp', id: 'wa:442079460958' }, token_budget: 300 },
  });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.isError) throw new Error(`memory_read failed: ${JSON.stringify(result.content)}`);
  return elapsed;
}

async function run(clientCount: number): Promise<void> {
  const clients = await Promise.all(Array.from({ length: clientCount }, connect));
  for (const client of clients) for (let index = 0; index < 20; index++) await readOnce(client);
  const latencies: number[] = [];
  let remaining = calls;
  const started = process.hrtime.bigint();
  await Promise.all(
    clients.map(async (client) => {
      while (remaining > 0) {
        remaining--;
        latencies.push(await readOnce(client));
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  process.stdout.write(
    `  ${String(clientCount).padStart(2)} client${clientCount === 1 ? ' ' : 's'}  ` +
      `p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms, ` +
      `${Math.round(calls / seconds)} reads/s (n=${calls})\n`,
  );
  await Promise.all(clients.map((client) => client.close()));
}

process.stdout.write(
  `bench:mcp on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'}), node ${process.version}\n` +
    'memory_read over Streamable HTTP, embedded PGlite, hash embedder\n',
);
try {
  await run(1);
  await run(many);
} finally {
  await server.close();
  await runtime.close();
  await rm(dataDir, { recursive: true, force: true });
}
