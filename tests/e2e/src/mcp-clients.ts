import { createHash, createHmac } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ResourceUpdatedNotificationSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { defer, killPid, MEMNEX_BIN, type Env } from './memnex-process.js';

/** The JSON-RPC `initialize` request (id 1), for tests that speak the protocol by hand. */
export const INITIALIZE_REQUEST = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'raw', version: '0' },
  },
};

/** A connected MCP client, and the URIs the server said were updated. */
export interface Session {
  client: Client;
  /** Resolves with the first `notifications/resources/updated` for `uri`. */
  nextUpdate(uri: string, timeoutMs?: number): Promise<void>;
}

function session(client: Client): Session {
  const waiting = new Map<string, Array<() => void>>();
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
    const uri = notification.params.uri;
    for (const resolve of waiting.get(uri) ?? []) resolve();
    waiting.delete(uri);
  });
  return {
    client,
    nextUpdate: (uri, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no notifications/resources/updated for ${uri}`)),
          timeoutMs,
        );
        const list = waiting.get(uri) ?? [];
        list.push(() => {
          clearTimeout(timer);
          resolve();
        });
        waiting.set(uri, list);
      }),
  };
}

function newClient(): Client {
  return new Client({ name: 'memnex-e2e', version: '0.0.0' });
}

/** Connect over Streamable HTTP with a bearer key. */
export async function connectHttp(url: string, key: string, channel?: string): Promise<Session> {
  const client = newClient();
  const created = session(client);
  const headers: Record<string, string> = { Authorization: `Bearer ${key}` };
  if (channel) headers['X-Memnex-Channel'] = channel;
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }),
  );
  defer(() => client.close());
  return created;
}

/** A `memnex serve mcp` on stdio, spawned by the SDK's transport, and what it printed on stderr. */
export async function connectStdio(
  env: Env,
): Promise<Session & { stderr(): string; pid: number | null }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [MEMNEX_BIN, 'serve', 'mcp'],
    env,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = newClient();
  const created = session(client);
  try {
    await client.connect(transport);
  } catch (error) {
    throw new Error(`stdio server failed to start: ${String(error)}\n${stderr}`);
  }
  const pid = transport.pid;
  defer(() => killPid(pid));
  defer(() => client.close());
  return { ...created, stderr: () => stderr, pid };
}

/** Call a tool and return its structured result, failing with the tool error if there is one. */
export async function callOk<T = Record<string, unknown>>(
  session: Session,
  name: string,
  args: Record<string, unknown>,
): Promise<T> {
  const result = (await session.client.callTool({ name, arguments: args })) as CallToolResult;
  if (result.isError) {
    throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
  }
  return result.structuredContent as T;
}

/** Call a tool that must fail, and return the stable code of its tool error. */
export async function callError(
  session: Session,
  name: string,
  args: Record<string, unknown>,
): Promise<string> {
  const result = (await session.client.callTool({ name, arguments: args })) as CallToolResult;
  if (!result.isError)
    throw new Error(`${name} succeeded with bad arguments ${JSON.stringify(args)}`);
  const error = (result.structuredContent as { error?: { code?: string } } | undefined)?.error;
  return error?.code ?? 'NO_CODE';
}

/** Poll `check` until it returns true or the deadline passes. */
export async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether a process id is still running. */
export function alive(pid: number | null): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Keys sorted, no whitespace: the canonical JSON receipts are hashed over (for flat receipts). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Check a signed receipt independently of Memnex: its hash over the body, its MAC under `auditKey`. */
export function receiptVerifies(receipt: Record<string, unknown>, auditKey: string): boolean {
  const { hash, mac, keyId: _keyId, ...body } = receipt;
  const expectedHash = `sha256:${createHash('sha256').update(canonical(body)).digest('hex')}`;
  const expectedMac = `hmac-sha256:${createHmac('sha256', auditKey).update(String(hash)).digest('hex')}`;
  return hash === expectedHash && mac === expectedMac;
}
