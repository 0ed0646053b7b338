import { MemnexError, type Logger } from '@memnex/core';
import { CHANNELS } from '@memnex/core/wire';
import { bridgeStdioToRemote, serveMcpHttp, serveStdio } from '@memnex/mcp-server';
import { createLogger, createRuntime, envSchema } from '@memnex/runtime';
import { ensureDevKey } from '../dev-key.js';
import { writeLine, type CliIo } from '../io.js';
import { loggerFor, readConfig } from '../runtime.js';
import { announceDevKey, runUntilStopped } from './serve-support.js';

/** Options of `memnex serve mcp`. */
export interface ServeMcpOptions {
  transport: 'stdio' | 'streamable-http';
  host: string;
  port: number;
}

/** The client-side settings of stdio mode (never part of the server configuration). */
interface ClientSettings {
  key?: string;
  channel?: string;
  url?: string;
}

function trimmed(value: string | undefined): string | undefined {
  const result = value?.trim();
  return result === '' ? undefined : result;
}

/** Read the client-side settings; a channel that does not exist fails before storage opens. */
function readClientSettings(io: CliIo): ClientSettings {
  const channel = trimmed(io.env.MEMNEX_CHANNEL)?.toLowerCase();
  if (channel !== undefined && !(CHANNELS as readonly string[]).includes(channel)) {
    throw MemnexError.validation(
      [
        {
          path: 'MEMNEX_CHANNEL',
          message: `must be one of ${CHANNELS.join(', ')}`,
          code: 'invalid_value',
        },
      ],
      'invalid configuration',
    );
  }
  return {
    key: trimmed(io.env.MEMNEX_SECRET_KEY),
    channel,
    url: trimmed(io.env.MEMNEX_URL),
  };
}

function missingKey(message: string): MemnexError {
  return MemnexError.validation(
    [{ path: 'MEMNEX_SECRET_KEY', message, code: 'required' }],
    'invalid configuration',
  );
}

/** The logger of the bridge, which has no server configuration to read a level from. */
function bridgeLogger(io: CliIo): Logger {
  const parsed = envSchema.shape.MEMNEX_LOG_LEVEL.safeParse(io.env.MEMNEX_LOG_LEVEL);
  if (!parsed.success) {
    throw MemnexError.validation(
      [
        {
          path: 'MEMNEX_LOG_LEVEL',
          message: 'must be one of debug, info, warn, error, silent',
          code: 'invalid_value',
        },
      ],
      'invalid configuration',
    );
  }
  return createLogger({ level: parsed.data });
}

async function bridge(io: CliIo, settings: ClientSettings & { url: string }): Promise<number> {
  if (!settings.key) {
    throw missingKey('is required to reach MEMNEX_URL: the key of your tenant, mx_live_...');
  }
  const logger = bridgeLogger(io);
  // The bridge validates the URL and appends `/mcp` unless the path already ends with it.
  const server = await bridgeStdioToRemote({
    url: settings.url,
    key: settings.key,
    channel: settings.channel,
    stdin: io.stdin,
    stdout: io.protocolOut,
    logger,
  });
  logger.info('bridging stdio to a remote Memnex server', { url: settings.url });
  return runUntilStopped(io, logger, server);
}

/**
 * `memnex serve mcp`: open the configured storage and speak MCP on stdio or Streamable HTTP, or,
 * on stdio with `MEMNEX_URL` set, bridge to a remote server without opening any storage.
 */
export async function serveMcp(io: CliIo, options: ServeMcpOptions): Promise<number> {
  const settings = readClientSettings(io);
  if (options.transport === 'stdio' && settings.url !== undefined) {
    return bridge(io, { ...settings, url: settings.url });
  }

  const config = readConfig(io);
  if (options.transport === 'stdio' && !settings.key && !config.devKey) {
    throw missingKey(
      'is required for the stdio transport (or set MEMNEX_DEV_KEY=1 for a local dev key)',
    );
  }
  const logger = loggerFor(io, config, 'server');
  if (options.transport === 'streamable-http' && settings.url !== undefined) {
    logger.warn('MEMNEX_URL is a client-side setting; the HTTP server ignores it');
  }
  const runtime = await createRuntime({ config, logger });
  try {
    const devKey = config.devKey ? await ensureDevKey(runtime.memnex, config.dataDir) : null;
    if (devKey) announceDevKey(io, devKey);

    if (options.transport === 'stdio') {
      const server = await serveStdio({
        memnex: runtime.memnex,
        key: settings.key ?? devKey!.key,
        channel: settings.channel,
        logger,
        stdin: io.stdin,
        stdout: io.protocolOut,
      });
      return await runUntilStopped(io, logger, server, runtime);
    }
    const server = await serveMcpHttp({
      memnex: runtime.memnex,
      logger,
      host: options.host,
      port: options.port,
    });
    // One stable line that scripts and tests wait for.
    writeLine(io.stderr, `memnex mcp listening on ${server.url}`);
    return await runUntilStopped(io, logger, server, runtime);
  } catch (error) {
    await runtime.close().catch(() => undefined);
    throw error;
  }
}
