import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRestApp, serveRest } from '@memnex/rest-server';
import { createLogger, createRuntime, loadConfig } from '@memnex/runtime';

/** A Memnex REST server on a free local port, on the embedded default in a temporary data dir. */
export async function startLocalServer(options: { embeddings?: 'local' | 'hash' } = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'memnex-handoff-'));
  const runtime = await createRuntime({
    config: loadConfig({
      MEMNEX_DATA_DIR: dataDir,
      MEMNEX_EMBEDDINGS: options.embeddings ?? 'local',
    }),
    logger: createLogger({ level: 'warn' }),
  });
  const { memnex } = runtime;
  const server = await serveRest({ rest: createRestApp({ memnex }), port: 0 });
  const { id: tenantId } = await memnex.tenants.create({ name: 'handoff' });
  const key = async (label: string, scopes: string[]) =>
    (await memnex.keys.create({ tenantId, label, scopes })).key;
  return {
    url: server.url,
    voiceKey: await key('voice-bot', ['memory:write', 'memory:read']),
    whatsappKey: await key('whatsapp-bot', ['memory:read']),
    async close() {
      await server.close();
      await runtime.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
