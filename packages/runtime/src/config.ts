import { homedir } from 'node:os';
import { join } from 'node:path';
import { MemnexError, validationIssuesOf, type ValidationIssue } from '@memnex/core';
import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const url = (protocols: string[], example: string) =>
  optionalString.refine(
    (value) => {
      if (value === undefined) return true;
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL such as ${example}` },
  );

const flag = optionalString.transform((value, context) => {
  if (value === undefined) return false;
  if (['1', 'true', 'yes', 'on'].includes(value.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(value.toLowerCase())) return false;
  context.addIssue({ code: 'custom', message: 'must be 1/true/yes/on or 0/false/no/off' });
  return z.NEVER;
});

/** Most processes `memnex serve rest` runs on one port: a guard against a mistyped count. */
const MAX_REST_WORKERS = 256;

/** The environment variables Memnex reads on the server side (DESIGN §8). */
export const envSchema = z.object({
  MEMNEX_DATA_DIR: optionalString,
  MEMNEX_POSTGRES_URL: url(['postgres:', 'postgresql:'], 'postgres://user@host:5432/memnex'),
  MEMNEX_REDIS_URL: url(['redis:', 'rediss:'], 'redis://host:6379'),
  MEMNEX_QDRANT_URL: url(['http:', 'https:'], 'http://host:6333'),
  MEMNEX_QDRANT_API_KEY: optionalString,
  MEMNEX_EMBEDDINGS: z
    .enum(['local', 'google', 'openai', 'transformers', 'hash', 'none'])
    .default('local'),
  MEMNEX_EMBEDDING_URL: url(['http:', 'https:'], 'http://localhost:11434/v1'),
  MEMNEX_EMBEDDING_MODEL: optionalString,
  MEMNEX_EMBEDDING_API_KEY: optionalString,
  GOOGLE_API_KEY: optionalString,
  MEMNEX_EXTRACTOR: z.enum(['rules', 'llm']).default('rules'),
  MEMNEX_LLM_PROVIDER: optionalString.pipe(z.enum(['openai', 'anthropic']).optional()),
  MEMNEX_LLM_URL: url(['http:', 'https:'], 'https://api.openai.com/v1'),
  MEMNEX_LLM_MODEL: optionalString,
  MEMNEX_LLM_API_KEY: optionalString,
  MEMNEX_LLM_TIMEOUT_MS: optionalString.pipe(
    z.coerce
      .number<string | undefined>()
      .int('must be a whole number of milliseconds')
      .min(100)
      .max(600_000)
      .default(10_000),
  ),
  MEMNEX_AUDIT_KEY: optionalString,
  MEMNEX_PII_KEY: optionalString,
  MEMNEX_PII_STRATEGY: z.enum(['token', 'redact', 'encrypt']).default('token'),
  MEMNEX_DEFAULT_REGION: optionalString,
  MEMNEX_PRESIDIO_URL: url(['http:', 'https:'], 'http://localhost:5002'),
  MEMNEX_PRESIDIO_TIMEOUT_MS: optionalString.pipe(
    z.coerce
      .number<string | undefined>()
      .int('must be a whole number of milliseconds')
      .min(1)
      .max(60_000)
      .default(2000),
  ),
  MEMNEX_PRESIDIO_LANGUAGE: optionalString,
  MEMNEX_PRESIDIO_SCORE_THRESHOLD: optionalString.pipe(
    z.coerce.number<string | undefined>().min(0).max(1).default(0.5),
  ),
  MEMNEX_PRESIDIO_ON_FAILURE: z.enum(['builtin', 'reject']).default('builtin'),
  MEMNEX_DEV_KEY: flag,
  MEMNEX_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  MEMNEX_RATE_LIMIT: z.coerce
    .number()
    .int('must be a whole number of requests per minute')
    .min(0)
    .max(10_000_000)
    .default(6000),
  MEMNEX_STATE_STORE: z.enum(['database', 'redis']).default('database'),
  MEMNEX_RETENTION_SWEEP_SECONDS: z.coerce
    .number()
    .int('must be a whole number of seconds')
    .min(0)
    .max(86_400)
    .default(60),
  MEMNEX_RETENTION_GRACE_SECONDS: z.coerce
    .number()
    .int('must be a whole number of seconds')
    .min(0)
    .max(10 * 365 * 86_400)
    .default(7 * 86_400),
  MEMNEX_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024, 'must be at least 1024')
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  MEMNEX_CORS_ORIGINS: optionalString.transform((value, context) => {
    if (value === undefined) return [];
    const origins = value
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean);
    for (const origin of origins) {
      if (origin === '*') continue;
      let parsed: URL | undefined;
      try {
        parsed = new URL(origin);
      } catch {
        parsed = undefined;
      }
      if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin) {
        context.addIssue({
          code: 'custom',
          message: `"${origin}" is not an origin such as https://app.example.com (or *)`,
        });
      }
    }
    return origins;
  }),
  MEMNEX_JWT_SIGNING_KEY: optionalString.refine(
    (value) => value === undefined || Buffer.byteLength(value, 'utf8') >= 32,
    { message: 'must be at least 32 bytes, e.g. the output of `openssl rand -base64 48`' },
  ),
  MEMNEX_TRUST_PROXY: flag,
  MEMNEX_REST_WORKERS: optionalString.transform((value, context) => {
    if (value === undefined) return 1;
    if (value.toLowerCase() === 'auto') return 'auto' as const;
    const count = Number(value);
    if (/^\d+$/u.test(value) && count >= 1 && count <= MAX_REST_WORKERS) return count;
    context.addIssue({
      code: 'custom',
      message: `must be auto or a whole number from 1 to ${MAX_REST_WORKERS}`,
    });
    return z.NEVER;
  }),
  NODE_ENV: optionalString,
});

/** Which embedder to build. */
export type EmbeddingsConfig =
  | { provider: 'local' }
  | { provider: 'hash' }
  | { provider: 'none' }
  | { provider: 'openai'; url: string; model: string; apiKey?: string }
  | { provider: 'google'; apiKey: string; model?: string };

/** An external Presidio analyzer for PII masking. */
export interface PresidioConfig {
  /** Base URL of the analyzer; `/analyze` is appended. */
  url: string;
  /** How long a call may take before masking goes on without it. */
  timeoutMs: number;
  /** Language of the texts, e.g. `en`. */
  language: string;
  /** Lowest score in [0, 1] a finding needs. */
  scoreThreshold: number;
  /** `builtin`: mask with the built-in detectors when it fails; `reject`: refuse the write. */
  onFailure: 'builtin' | 'reject';
}

/** Which extractor finds facts in raw-text writes (`MEMNEX_EXTRACTOR`, `MEMNEX_LLM_*`). */
export type ExtractorConfig =
  | { kind: 'rules' }
  | {
      kind: 'llm';
      provider: 'openai' | 'anthropic';
      /** Base URL; required for `openai`, Anthropic's API by default. */
      url?: string;
      model: string;
      apiKey?: string;
      timeoutMs: number;
    };

/** Server configuration, parsed once from the environment. */
export interface MemnexConfig {
  /** Where the embedded database lives when no Postgres URL is set. */
  dataDir: string;
  postgresUrl?: string;
  redisUrl?: string;
  qdrant?: { url: string; apiKey?: string };
  embeddings: EmbeddingsConfig;
  /**
   * The endpoint and keys of every embedding provider that is set up, whichever one is
   * configured: with them an instance embeds with the model the index serves, which a re-embed
   * may have switched (`memnex db reembed`).
   */
  embeddingCredentials: { openai?: { url: string; apiKey?: string }; google?: { apiKey: string } };
  /** Raw-text extraction: the built-in rules, or a model with the rules as fallback. */
  extractor: ExtractorConfig;
  auditKey?: string;
  piiKey?: string;
  piiStrategy: 'token' | 'redact' | 'encrypt';
  defaultRegion?: string;
  /** Presidio analyzer whose findings PII masking adds (`MEMNEX_PRESIDIO_*`); off when absent. */
  presidio?: PresidioConfig;
  devKey: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Requests per minute each API key may make (also its burst); 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Largest request body the HTTP servers accept, in bytes. */
  maxBodyBytes: number;
  /** Origins browsers may call the REST API from (`*` for any); none by default. */
  corsOrigins: string[];
  /**
   * Where shared state values live: `database` (the durable warm database, the default) or
   * `redis` (fastest; durable only as far as Redis persists its data).
   */
  stateStore: 'database' | 'redis';
  /** Memory retention: how often the sweep runs (0: never by itself) and the grace window. */
  retention: { sweepSeconds: number; graceSeconds: number };
  /** Signs the web console's session tokens (HS256); the console is off without it. */
  jwtSigningKey?: string;
  /**
   * The server runs behind a proxy that sets `X-Forwarded-For`: sign-in attempts are then
   * limited per client address from that header rather than per proxy connection.
   */
  trustProxy: boolean;
  /**
   * How many processes `memnex serve rest` runs on one port, `auto` for one per core. More than
   * one needs Postgres and Redis, which the processes share.
   */
  restWorkers: number | 'auto';
  production: boolean;
}

type Env = Record<string, string | undefined>;

/**
 * Parse the environment into a {@link MemnexConfig}. Every problem is reported at once in one
 * `VALIDATION_FAILED` error whose issues name the variables, so a bad deployment says all it
 * needs fixing in one go.
 */
export function loadConfig(env: Env = process.env): MemnexConfig {
  const parsed = envSchema.safeParse(env);
  const issues: ValidationIssue[] = parsed.success ? [] : validationIssuesOf(parsed.error);
  const values = parsed.success ? parsed.data : undefined;
  const require = (name: keyof z.output<typeof envSchema>, why: string) => {
    if (values && values[name] === undefined) {
      issues.push({ path: name, message: `is required ${why}`, code: 'required' });
    }
  };
  if (values?.MEMNEX_EMBEDDINGS === 'openai') {
    require('MEMNEX_EMBEDDING_URL', 'when MEMNEX_EMBEDDINGS=openai');
    require('MEMNEX_EMBEDDING_MODEL', 'when MEMNEX_EMBEDDINGS=openai');
  }
  if (values?.MEMNEX_EMBEDDINGS === 'google')
    require('GOOGLE_API_KEY', 'when MEMNEX_EMBEDDINGS=google');
  if (values) issues.push(...extractorIssues(values, require));
  if (values?.MEMNEX_EMBEDDINGS === 'transformers') {
    issues.push({
      path: 'MEMNEX_EMBEDDINGS',
      message:
        'the transformers provider is not available in this release; use local, openai or google',
      code: 'unsupported',
    });
  }
  if (values?.MEMNEX_STATE_STORE === 'redis') {
    require('MEMNEX_REDIS_URL', 'when MEMNEX_STATE_STORE=redis');
    require('MEMNEX_POSTGRES_URL', 'when MEMNEX_STATE_STORE=redis (Redis serves the server setup)');
  }
  const production = values?.NODE_ENV === 'production';
  if (values?.MEMNEX_DEV_KEY && production) {
    issues.push({
      path: 'MEMNEX_DEV_KEY',
      message:
        'refuses to run with NODE_ENV=production; create a real key with `memnex keys create`',
      code: 'forbidden',
    });
  }
  if (production) {
    require('MEMNEX_AUDIT_KEY', 'in production: receipts must stay verifiable across restarts');
    require('MEMNEX_PII_KEY', 'in production: PII tokens must stay stable across restarts');
  }
  if (issues.length > 0 || !values) {
    throw MemnexError.validation(
      issues,
      `invalid configuration: ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`,
    );
  }
  return {
    dataDir: values.MEMNEX_DATA_DIR ?? join(homedir(), '.memnex'),
    postgresUrl: values.MEMNEX_POSTGRES_URL,
    redisUrl: values.MEMNEX_REDIS_URL,
    qdrant: values.MEMNEX_QDRANT_URL
      ? { url: values.MEMNEX_QDRANT_URL, apiKey: values.MEMNEX_QDRANT_API_KEY }
      : undefined,
    embeddings: embeddingsOf(values),
    embeddingCredentials: {
      ...(values.MEMNEX_EMBEDDING_URL
        ? {
            openai: { url: values.MEMNEX_EMBEDDING_URL, apiKey: values.MEMNEX_EMBEDDING_API_KEY },
          }
        : {}),
      ...(values.GOOGLE_API_KEY ? { google: { apiKey: values.GOOGLE_API_KEY } } : {}),
    },
    extractor: extractorOf(values),
    auditKey: values.MEMNEX_AUDIT_KEY,
    piiKey: values.MEMNEX_PII_KEY,
    piiStrategy: values.MEMNEX_PII_STRATEGY,
    defaultRegion: values.MEMNEX_DEFAULT_REGION?.toUpperCase(),
    presidio: values.MEMNEX_PRESIDIO_URL
      ? {
          url: values.MEMNEX_PRESIDIO_URL,
          timeoutMs: values.MEMNEX_PRESIDIO_TIMEOUT_MS,
          language: values.MEMNEX_PRESIDIO_LANGUAGE ?? 'en',
          scoreThreshold: values.MEMNEX_PRESIDIO_SCORE_THRESHOLD,
          onFailure: values.MEMNEX_PRESIDIO_ON_FAILURE,
        }
      : undefined,
    devKey: values.MEMNEX_DEV_KEY,
    logLevel: values.MEMNEX_LOG_LEVEL,
    rateLimitPerMinute: values.MEMNEX_RATE_LIMIT,
    maxBodyBytes: values.MEMNEX_MAX_BODY_BYTES,
    corsOrigins: values.MEMNEX_CORS_ORIGINS,
    stateStore: values.MEMNEX_STATE_STORE,
    retention: {
      sweepSeconds: values.MEMNEX_RETENTION_SWEEP_SECONDS,
      graceSeconds: values.MEMNEX_RETENTION_GRACE_SECONDS,
    },
    jwtSigningKey: values.MEMNEX_JWT_SIGNING_KEY,
    trustProxy: values.MEMNEX_TRUST_PROXY,
    restWorkers: values.MEMNEX_REST_WORKERS,
    production,
  };
}

function embeddingsOf(values: z.output<typeof envSchema>): EmbeddingsConfig {
  switch (values.MEMNEX_EMBEDDINGS) {
    case 'openai':
      return {
        provider: 'openai',
        url: values.MEMNEX_EMBEDDING_URL!,
        model: values.MEMNEX_EMBEDDING_MODEL!,
        apiKey: values.MEMNEX_EMBEDDING_API_KEY,
      };
    case 'google':
      return {
        provider: 'google',
        apiKey: values.GOOGLE_API_KEY!,
        model: values.MEMNEX_EMBEDDING_MODEL,
      };
    case 'hash':
    case 'none':
    case 'local':
      return { provider: values.MEMNEX_EMBEDDINGS };
    default:
      return { provider: 'local' };
  }
}

const LLM_SETTINGS = [
  'MEMNEX_LLM_PROVIDER',
  'MEMNEX_LLM_URL',
  'MEMNEX_LLM_MODEL',
  'MEMNEX_LLM_API_KEY',
] as const;

/** What the extractor settings lack or set in vain; `require` records what is missing. */
function extractorIssues(
  values: z.output<typeof envSchema>,
  require: (name: keyof z.output<typeof envSchema>, why: string) => void,
): ValidationIssue[] {
  if (values.MEMNEX_EXTRACTOR === 'rules') {
    // An LLM setting without MEMNEX_EXTRACTOR=llm would silently do nothing.
    return LLM_SETTINGS.filter((name) => values[name] !== undefined).map((name) => ({
      path: name,
      message: 'is set but MEMNEX_EXTRACTOR is rules; set MEMNEX_EXTRACTOR=llm or unset it',
      code: 'unused',
    }));
  }
  require('MEMNEX_LLM_PROVIDER', 'when MEMNEX_EXTRACTOR=llm (openai or anthropic)');
  require('MEMNEX_LLM_MODEL', 'when MEMNEX_EXTRACTOR=llm');
  if (values.MEMNEX_LLM_PROVIDER === 'openai') {
    require('MEMNEX_LLM_URL', 'when MEMNEX_LLM_PROVIDER=openai');
  }
  if (values.MEMNEX_LLM_PROVIDER === 'anthropic') {
    require('MEMNEX_LLM_API_KEY', 'when MEMNEX_LLM_PROVIDER=anthropic');
  }
  return [];
}

function extractorOf(values: z.output<typeof envSchema>): ExtractorConfig {
  if (values.MEMNEX_EXTRACTOR === 'rules') return { kind: 'rules' };
  return {
    kind: 'llm',
    provider: values.MEMNEX_LLM_PROVIDER!,
    url: values.MEMNEX_LLM_URL,
    model: values.MEMNEX_LLM_MODEL!,
    apiKey: values.MEMNEX_LLM_API_KEY,
    timeoutMs: values.MEMNEX_LLM_TIMEOUT_MS,
  };
}
