import { createRestApp, createRestMetrics, serveRest as listen } from '@memnex/rest-server';
import { createRuntime } from '@memnex/runtime';
import { ensureDevKey } from '../dev-key.js';
import { writeLine, type CliIo } from '../io.js';
import { loggerFor, readConfig } from '../runtime.js';
import { announceDevKey, runUntilStopped } from './serve-support.js';

/** Options of `memnex serve rest`. */
export interface ServeRestOptions {
  host: string;
  port: number;
}

/**
 * `memnex serve rest`: open the configured storage and serve the REST API until SIGINT/SIGTERM,
 * then drain requests in flight and close the stores.
 */
export async function serveRest(io: CliIo, options: ServeRestOptions): Promise<number> {
  const config = readConfig(io);
  const logger = loggerFor(io, config, 'server');
  const metrics = createRestMetrics();
  const runtime = await createRuntime({ config, logger, storeObserver: metrics.observeStore });
  try {
    if (config.devKey) announceDevKey(io, await ensureDevKey(runtime.memnex, config.dataDir));
    const rest = createRestApp({
      memnex: runtime.memnex,
      logger,
      metrics,
      rateLimiter: runtime.rateLimiter,
      maxBodyBytes: config.maxBodyBytes,
      corsOrigins: config.corsOrigins,
      console: {
        signingKey: config.jwtSigningKey ?? null,
        rateLimiter: runtime.signInRateLimiter,
        trustProxy: config.trustProxy,
      },
    });
    const server = await listen({ rest, logger, host: options.host, port: options.port });
    // One stable line that scripts and tests wait for.
    writeLine(
      io.stderr,
      `memnex rest listening on ${server.url} (docs at ${server.url}/docs, ` +
        `console at ${server.url}/console)`,
    );
    return await runUntilStopped(io, logger, server, runtime);
  } catch (error) {
    await runtime.close().catch(() => undefined);
    throw error;
  }
}
