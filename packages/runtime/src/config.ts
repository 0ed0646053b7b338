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
  MEMNEX_AUDIT_KEY: optionalString,
  MEMNEX_PII_KEY: optionalString,
  MEMNEX_PII_STRATEGY: z.enum(['token', 'redact', 'encrypt']).default('token'),
  MEMNEX_DEFAULT_REGION: optionalString,
  MEMNEX_DEV_KEY: flag,
  MEMNEX_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  MEMNEX_RATE_LIMIT: z.coerce
    .number()
    .int('must be a whole number of requests per minute')
    .min(0)
    .max(10_000_000)
    .default(6000),
  MEMNEX_STATE_STORE: z.enum(['database', 'redis']).default('database'),
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
  NODE_ENV: optionalString,
});

/** Which embedder to build. */
export type EmbeddingsConfig =
  | { provider: 'local' }
  | { provider: 'hash' }
  | { provider: 'none' }
  | { provider: 'openai'; url: string; model: string; apiKey?: string }
  | { provider: 'google'; apiKey: string; model?: string };

/** Server configuration, parsed once from the environment. */
export interface MemnexConfig {
  /** Where the embedded database lives when no Postgres URL is set. */
  dataDir: string;
  postgresUrl?: string;
  redisUrl?: string;
  qdrant?: { url: string; apiKey?: string };
  embeddings: EmbeddingsConfig;
  auditKey?: string;
  piiKey?: string;
  piiStrategy: 'token' | 'redact' | 'encrypt';
  defaultRegion?: string;
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
    auditKey: values.MEMNEX_AUDIT_KEY,
    piiKey: values.MEMNEX_PII_KEY,
    piiStrategy: values.MEMNEX_PII_STRATEGY,
    defaultRegion: values.MEMNEX_DEFAULT_REGION?.toUpperCase(),
    devKey: values.MEMNEX_DEV_KEY,
    logLevel: values.MEMNEX_LOG_LEVEL,
    rateLimitPerMinute: values.MEMNEX_RATE_LIMIT,
    maxBodyBytes: values.MEMNEX_MAX_BODY_BYTES,
    corsOrigins: values.MEMNEX_CORS_ORIGINS,
    stateStore: values.MEMNEX_STATE_STORE,
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
