import {
  composeSemanticIndex,
  createMemnex,
  instrumentStores,
  type Logger,
  type Memnex,
  type RateLimiter,
  type RateLimitOptions,
  type StoreObserver,
  type Stores,
} from '@memnex/core';
import { createEmbedderResolver, modelSpecOf } from '@memnex/embeddings';
import { createLlmExtractor } from '@memnex/extractors';
import { createPresidioAnalyzer, type PiiAnalyzerStats } from '@memnex/privacy';
import {
  createMemoryBus,
  createMemoryHotStore,
  createMemoryRateLimiter,
  createMemoryStores,
} from '@memnex/storage-memory';
import { createPostgresStores, migrate } from '@memnex/storage-postgres';
import { createQdrantSemanticIndex } from '@memnex/storage-qdrant';
import {
  createRedisBus,
  createRedisHotStore,
  createRedisRateLimiter,
  createRedisStateStore,
} from '@memnex/storage-redis';
import { loadConfig, type MemnexConfig } from './config.js';
import { loadDataDirSecrets } from './data-dir-secrets.js';

/** Which adapter serves each port. */
export interface Wiring {
  warm: 'pglite' | 'postgres' | 'memory';
  hot: 'memory' | 'redis';
  semantic: 'pglite' | 'postgres' | 'postgres+qdrant' | 'memory';
  bus: 'memory' | 'redis';
  audit: 'pglite' | 'postgres' | 'memory';
  state: 'pglite' | 'postgres' | 'redis' | 'memory';
}

/** Options of {@link createRuntime}. */
export interface RuntimeOptions {
  /** Parsed configuration; read from `process.env` when absent. */
  config?: MemnexConfig;
  /** `memory` keeps everything in process (tests, demos); `default` follows the config. */
  storage?: 'default' | 'memory';
  logger?: Logger;
  /** Receives every store call with its latency (metrics). */
  storeObserver?: StoreObserver;
}

/** A running engine with the adapters the configuration chose. */
export interface Runtime {
  memnex: Memnex;
  config: MemnexConfig;
  wiring: Wiring;
  /**
   * Per-key request limit of the servers (`MEMNEX_RATE_LIMIT` per minute): on Redis when it is
   * configured, so that every instance counts together; null when the limit is off.
   */
  rateLimiter: RateLimiter | null;
  /**
   * Sign-in and sign-up attempts of the web console, per e-mail and per client address (30
   * points per 5 minutes; on Redis when it is configured), whatever `MEMNEX_RATE_LIMIT` says;
   * null while the console is off (no `MEMNEX_JWT_SIGNING_KEY`).
   */
  signInRateLimiter: RateLimiter | null;
  /**
   * Counters of the Presidio analyzer PII masking asks (`MEMNEX_PRESIDIO_URL`): calls, failures
   * (each one fell back to the built-in detectors, or refused the write), the latest failure;
   * null when none is configured.
   */
  piiAnalyzer: { stats(): PiiAnalyzerStats } | null;
  /** Stop the engine and close every store. */
  close(): Promise<void>;
}

/**
 * The adapters DESIGN §2 assigns to a configuration: nothing set gives embedded PGlite in the
 * data dir; a Postgres URL gives Postgres, plus Redis and Qdrant when their URLs are set.
 */
export function planWiring(
  config: MemnexConfig,
  storage: RuntimeOptions['storage'] = 'default',
): Wiring {
  if (storage === 'memory') {
    return {
      warm: 'memory',
      hot: 'memory',
      semantic: 'memory',
      bus: 'memory',
      audit: 'memory',
      state: 'memory',
    };
  }
  if (!config.postgresUrl) {
    return {
      warm: 'pglite',
      hot: 'memory',
      semantic: 'pglite',
      bus: 'memory',
      audit: 'pglite',
      state: 'pglite',
    };
  }
  return {
    warm: 'postgres',
    hot: config.redisUrl ? 'redis' : 'memory',
    semantic: config.qdrant ? 'postgres+qdrant' : 'postgres',
    bus: config.redisUrl ? 'redis' : 'memory',
    audit: 'postgres',
    state: config.stateStore === 'redis' && config.redisUrl ? 'redis' : 'postgres',
  };
}

/** Build the stores of a wiring. Nothing connects until the engine's `init()`. */
export function createStores(config: MemnexConfig, wiring: Wiring, logger?: Logger): Stores {
  if (wiring.warm === 'memory') return createMemoryStores();
  const postgres =
    wiring.warm === 'postgres'
      ? createPostgresStores({ url: config.postgresUrl!, logger })
      : createPostgresStores({ dataDir: config.dataDir, logger });
  const redisUrl = config.redisUrl;
  return {
    warm: postgres.warm,
    audit: postgres.audit,
    semantic:
      wiring.semantic === 'postgres+qdrant'
        ? composeSemanticIndex({
            lexical: postgres.semantic,
            vector: createQdrantSemanticIndex({ ...config.qdrant!, logger }),
          })
        : postgres.semantic,
    hot:
      wiring.hot === 'redis'
        ? createRedisHotStore({ redis: redisUrl!, logger })
        : createMemoryHotStore(),
    bus: wiring.bus === 'redis' ? createRedisBus({ redis: redisUrl!, logger }) : createMemoryBus(),
    state:
      wiring.state === 'redis'
        ? createRedisStateStore({ redis: redisUrl!, logger })
        : postgres.state,
    leases: postgres.leases,
    accounts: postgres.accounts,
    usage: postgres.usage,
  };
}

/** The console's allowance of sign-in attempts, spent per e-mail and per client address. */
const SIGN_IN_LIMIT: RateLimitOptions = { points: 30, durationSeconds: 300 };

/** The provider settings of a model extractor configuration. */
function llmSettings(
  config: Extract<MemnexConfig['extractor'], { kind: 'llm' }>,
): Parameters<typeof createLlmExtractor>[0] {
  const { model, timeoutMs } = config;
  return config.provider === 'openai'
    ? { provider: 'openai', url: config.url!, model, apiKey: config.apiKey, timeoutMs }
    : { provider: 'anthropic', url: config.url, model, apiKey: config.apiKey!, timeoutMs };
}

function createRateLimiter(
  config: MemnexConfig,
  wiring: Wiring,
  logger: Logger | undefined,
): RateLimiter | null {
  if (config.rateLimitPerMinute === 0) return null;
  const limit = { points: config.rateLimitPerMinute, durationSeconds: 60 };
  return createLimiter(limit, config, wiring, logger);
}

/** A limiter on Redis when the hot store is there (every instance counts together), else local. */
function createLimiter(
  limit: RateLimitOptions,
  config: MemnexConfig,
  wiring: Wiring,
  logger: Logger | undefined,
): RateLimiter {
  return wiring.hot === 'redis'
    ? createRedisRateLimiter({ ...limit, redis: config.redisUrl!, logger })
    : createMemoryRateLimiter(limit);
}

/**
 * The one composition root: environment -> config -> adapters -> engine. Every app (the MCP and
 * REST servers, the `memnex` command) starts Memnex through here.
 */
export async function createRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const config = options.config ?? loadConfig();
  const wiring = planWiring(config, options.storage);
  const created = createStores(config, wiring, options.logger);
  const stores = options.storeObserver ? instrumentStores(created, options.storeObserver) : created;
  const embeddings = config.embeddings;
  // Embedders are built from model specs, so that every instance can embed with the model the
  // index serves, which a re-embed may have switched away from the configured one.
  const embedders =
    embeddings.provider === 'none'
      ? null
      : createEmbedderResolver({
          configured: modelSpecOf(embeddings),
          ...config.embeddingCredentials,
          logger: options.logger,
        });
  // An embedded data dir keeps its own keys unless they are configured, so that its ledger,
  // receipts and PII tokens stay valid across restarts.
  const secrets =
    wiring.warm === 'pglite' && (!config.auditKey || !config.piiKey)
      ? await loadDataDirSecrets(config.dataDir, options.logger)
      : undefined;
  const piiKey = config.piiKey ?? secrets?.piiKey;
  const presidio = config.presidio;
  const memnex = createMemnex({
    stores,
    embedders,
    logger: options.logger,
    auditKey: config.auditKey ?? secrets?.auditKey,
    piiKey,
    ...(presidio && {
      piiAnalyzer: createPresidioAnalyzer(presidio),
      piiAnalyzerFailure: presidio.onFailure,
    }),
    piiStrategy: config.piiStrategy,
    defaultRegion: config.defaultRegion,
    ...(config.extractor.kind === 'llm'
      ? {
          extractor: createLlmExtractor({
            ...llmSettings(config.extractor),
            logger: options.logger,
          }),
        }
      : {}),
    lifecycle: {
      sweepIntervalMs: config.retention.sweepSeconds * 1000,
      graceSeconds: config.retention.graceSeconds,
    },
  });
  const rateLimiter = createRateLimiter(config, wiring, options.logger);
  const signInRateLimiter = config.jwtSigningKey
    ? createLimiter(SIGN_IN_LIMIT, config, wiring, options.logger)
    : null;
  const close = async () => {
    await signInRateLimiter?.close();
    await rateLimiter?.close();
    await memnex.close();
  };
  try {
    await memnex.init();
    await rateLimiter?.init();
    await signInRateLimiter?.init();
  } catch (error) {
    // Release whatever did open (a data-dir lock, a pool) before reporting the failure.
    await close().catch(() => undefined);
    throw error;
  }
  const piiAnalyzer = presidio ? { stats: () => memnex.privacy.analyzerStats()! } : null;
  return { memnex, config, wiring, rateLimiter, signInRateLimiter, piiAnalyzer, close };
}

/**
 * Apply the database migrations of the configured store (the Postgres server, or the embedded
 * data dir, which must not be open in another process) and return the tags applied.
 */
export async function migrateDatabase(
  config: MemnexConfig,
  options: { logger?: Logger } = {},
): Promise<{ target: 'postgres' | 'pglite'; applied: string[] }> {
  if (config.postgresUrl) {
    const { applied } = await migrate({ url: config.postgresUrl, logger: options.logger });
    return { target: 'postgres', applied };
  }
  const { applied } = await migrate({ dataDir: config.dataDir, logger: options.logger });
  return { target: 'pglite', applied };
}
