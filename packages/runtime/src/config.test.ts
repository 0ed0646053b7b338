import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { planWiring } from './runtime.js';

describe('loadConfig', () => {
  it('defaults to the embedded store in ~/.memnex with the local embedder', () => {
    const config = loadConfig({ HOME: '/home/ann' });
    expect(config).toMatchObject({
      embeddings: { provider: 'local' },
      piiStrategy: 'token',
      devKey: false,
      logLevel: 'info',
      production: false,
    });
    expect(config.dataDir).toMatch(/\.memnex$/u);
    expect(config.postgresUrl).toBeUndefined();
  });

  it('treats empty variables as unset and reads provider settings', () => {
    const config = loadConfig({
      MEMNEX_POSTGRES_URL: '',
      MEMNEX_EMBEDDINGS: 'openai',
      MEMNEX_EMBEDDING_URL: 'http://localhost:11434/v1',
      MEMNEX_EMBEDDING_MODEL: 'nomic-embed-text',
      MEMNEX_DEFAULT_REGION: 'in',
      MEMNEX_DEV_KEY: 'yes',
    });
    expect(config.postgresUrl).toBeUndefined();
    expect(config.embeddings).toEqual({
      provider: 'openai',
      url: 'http://localhost:11434/v1',
      model: 'nomic-embed-text',
      apiKey: undefined,
    });
    expect(config.defaultRegion).toBe('IN');
    expect(config.devKey).toBe(true);
  });

  it('reads the console signing key, refusing one shorter than 32 bytes', () => {
    expect(loadConfig({}).jwtSigningKey).toBeUndefined();
    expect(loadConfig({ MEMNEX_JWT_SIGNING_KEY: '' }).jwtSigningKey).toBeUndefined();
    const key = 'k'.repeat(32);
    expect(loadConfig({ MEMNEX_JWT_SIGNING_KEY: key, MEMNEX_TRUST_PROXY: '1' })).toMatchObject({
      jwtSigningKey: key,
      trustProxy: true,
    });
    expect(() => loadConfig({ MEMNEX_JWT_SIGNING_KEY: 'too short' })).toThrow(
      /MEMNEX_JWT_SIGNING_KEY must be at least 32 bytes/u,
    );
  });

  it('lists every problem at once, by variable', () => {
    let error: unknown;
    try {
      loadConfig({
        MEMNEX_POSTGRES_URL: 'mysql://db',
        MEMNEX_REDIS_URL: 'not a url',
        MEMNEX_EMBEDDINGS: 'google',
        MEMNEX_PII_STRATEGY: 'rot13',
        MEMNEX_DEV_KEY: 'maybe',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
    const paths = (error as { details: { issues: Array<{ path: string }> } }).details.issues.map(
      (issue) => issue.path,
    );
    expect(paths.sort()).toEqual([
      'MEMNEX_DEV_KEY',
      'MEMNEX_PII_STRATEGY',
      'MEMNEX_POSTGRES_URL',
      'MEMNEX_REDIS_URL',
    ]);
  });

  it('reads the HTTP server limits and CORS origins, refusing values that make no sense', () => {
    expect(loadConfig({})).toMatchObject({
      rateLimitPerMinute: 6000,
      maxBodyBytes: 1024 * 1024,
      corsOrigins: [],
    });
    expect(
      loadConfig({
        MEMNEX_RATE_LIMIT: '0',
        MEMNEX_MAX_BODY_BYTES: '4096',
        MEMNEX_CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
      }),
    ).toMatchObject({
      rateLimitPerMinute: 0,
      maxBodyBytes: 4096,
      corsOrigins: ['https://app.example.com', 'http://localhost:5173'],
    });
    expect(() =>
      loadConfig({
        MEMNEX_RATE_LIMIT: '-1',
        MEMNEX_MAX_BODY_BYTES: '12',
        MEMNEX_CORS_ORIGINS: 'https://app.example.com/path',
      }),
    ).toThrow(/MEMNEX_RATE_LIMIT.*MEMNEX_MAX_BODY_BYTES.*MEMNEX_CORS_ORIGINS/su);
  });

  it('reads how many REST worker processes to run: 1 by default, a count or auto', () => {
    expect(loadConfig({}).restWorkers).toBe(1);
    expect(loadConfig({ MEMNEX_REST_WORKERS: ' 4 ' }).restWorkers).toBe(4);
    expect(loadConfig({ MEMNEX_REST_WORKERS: 'AUTO' }).restWorkers).toBe('auto');
    for (const bad of ['0', '2.5', 'many', '257']) {
      expect(() => loadConfig({ MEMNEX_REST_WORKERS: bad }), bad).toThrow(
        'MEMNEX_REST_WORKERS must be auto or a whole number from 1 to 256',
      );
    }
  });

  it('reads the retention sweep interval and grace window, with defaults', () => {
    expect(loadConfig({}).retention).toEqual({ sweepSeconds: 60, graceSeconds: 604_800 });
    expect(
      loadConfig({ MEMNEX_RETENTION_SWEEP_SECONDS: '0', MEMNEX_RETENTION_GRACE_SECONDS: '3600' })
        .retention,
    ).toEqual({ sweepSeconds: 0, graceSeconds: 3600 });
    expect(() =>
      loadConfig({ MEMNEX_RETENTION_SWEEP_SECONDS: '-5', MEMNEX_RETENTION_GRACE_SECONDS: '1.5' }),
    ).toThrow(/MEMNEX_RETENTION_SWEEP_SECONDS.*MEMNEX_RETENTION_GRACE_SECONDS/su);
  });

  it('reads the Presidio analyzer settings, off without a URL', () => {
    expect(loadConfig({}).presidio).toBeUndefined();
    expect(loadConfig({ MEMNEX_PRESIDIO_URL: 'http://presidio:3000' }).presidio).toEqual({
      url: 'http://presidio:3000',
      timeoutMs: 2000,
      language: 'en',
      scoreThreshold: 0.5,
      onFailure: 'builtin',
    });
    expect(
      loadConfig({
        MEMNEX_PRESIDIO_URL: 'https://presidio.internal',
        MEMNEX_PRESIDIO_TIMEOUT_MS: '500',
        MEMNEX_PRESIDIO_LANGUAGE: 'es',
        MEMNEX_PRESIDIO_SCORE_THRESHOLD: '0.7',
        MEMNEX_PRESIDIO_ON_FAILURE: 'reject',
      }).presidio,
    ).toMatchObject({ timeoutMs: 500, language: 'es', scoreThreshold: 0.7, onFailure: 'reject' });
    expect(() =>
      loadConfig({
        MEMNEX_PRESIDIO_URL: 'presidio:3000',
        MEMNEX_PRESIDIO_TIMEOUT_MS: '0',
        MEMNEX_PRESIDIO_SCORE_THRESHOLD: '50',
        MEMNEX_PRESIDIO_ON_FAILURE: 'drop',
      }),
    ).toThrow(
      /MEMNEX_PRESIDIO_URL.*MEMNEX_PRESIDIO_TIMEOUT_MS.*MEMNEX_PRESIDIO_SCORE_THRESHOLD.*MEMNEX_PRESIDIO_ON_FAILURE/su,
    );
  });

  it('keeps the credentials of every embedding provider that is set up, whichever is configured', () => {
    expect(loadConfig({}).embeddingCredentials).toEqual({});
    expect(
      loadConfig({
        MEMNEX_EMBEDDINGS: 'hash',
        MEMNEX_EMBEDDING_URL: 'http://localhost:11434/v1',
        MEMNEX_EMBEDDING_API_KEY: 'sk-local',
        GOOGLE_API_KEY: 'google-key',
      }).embeddingCredentials,
    ).toEqual({
      openai: { url: 'http://localhost:11434/v1', apiKey: 'sk-local' },
      google: { apiKey: 'google-key' },
    });
  });

  it('asks for the provider settings a provider needs', () => {
    expect(() => loadConfig({ MEMNEX_EMBEDDINGS: 'google' })).toThrow(
      /GOOGLE_API_KEY is required/u,
    );
    expect(() => loadConfig({ MEMNEX_EMBEDDINGS: 'openai' })).toThrow(/MEMNEX_EMBEDDING_URL/u);
  });

  it('refuses a dev key, and missing keys, in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', MEMNEX_DEV_KEY: '1' })).toThrow(
      /MEMNEX_DEV_KEY refuses to run with NODE_ENV=production.*MEMNEX_AUDIT_KEY is required.*MEMNEX_PII_KEY is required/u,
    );
  });
});

describe('planWiring (DESIGN §2)', () => {
  const base = loadConfig({});
  it('embedded default: PGlite for warm, semantic and audit; memory hot and bus', () => {
    expect(planWiring(base)).toEqual({
      warm: 'pglite',
      hot: 'memory',
      semantic: 'pglite',
      bus: 'memory',
      audit: 'pglite',
      state: 'pglite',
    });
  });

  it('Postgres alone, with Redis, and with Redis and Qdrant', () => {
    const postgresUrl = 'postgres://db/memnex';
    expect(planWiring({ ...base, postgresUrl })).toEqual({
      warm: 'postgres',
      hot: 'memory',
      semantic: 'postgres',
      bus: 'memory',
      audit: 'postgres',
      state: 'postgres',
    });
    expect(planWiring({ ...base, postgresUrl, redisUrl: 'redis://r:6379' })).toMatchObject({
      hot: 'redis',
      bus: 'redis',
      semantic: 'postgres',
    });
    expect(
      planWiring({ ...base, postgresUrl, redisUrl: 'redis://r', qdrant: { url: 'http://q:6333' } }),
    ).toMatchObject({ semantic: 'postgres+qdrant', hot: 'redis' });
  });

  it('memory for tests, whatever is configured', () => {
    expect(planWiring({ ...base, postgresUrl: 'postgres://db/x' }, 'memory')).toEqual({
      warm: 'memory',
      hot: 'memory',
      semantic: 'memory',
      bus: 'memory',
      audit: 'memory',
      state: 'memory',
    });
  });

  it('shared state in the database by default, in Redis when asked', () => {
    const server = { ...base, postgresUrl: 'postgres://db/x', redisUrl: 'redis://r:6379' };
    expect(planWiring(server).state).toBe('postgres');
    expect(planWiring({ ...server, stateStore: 'redis' }).state).toBe('redis');
    const env = { MEMNEX_POSTGRES_URL: 'postgres://db/x', MEMNEX_REDIS_URL: 'redis://r:6379' };
    expect(loadConfig({ ...env, MEMNEX_STATE_STORE: 'redis' }).stateStore).toBe('redis');
    expect(() => loadConfig({ MEMNEX_STATE_STORE: 'redis' })).toThrow(/MEMNEX_REDIS_URL/);
    expect(() => loadConfig({ ...env, MEMNEX_STATE_STORE: 'disk' })).toThrow(/MEMNEX_STATE_STORE/);
  });
});

describe('loadConfig: raw-text extraction', () => {
  const pathsOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      return (error as { details: { issues: Array<{ path: string }> } }).details.issues
        .map((issue) => issue.path)
        .sort();
    }
    return [];
  };

  it('uses the rules by default and reads the model settings when asked', () => {
    expect(loadConfig({}).extractor).toEqual({ kind: 'rules' });
    expect(
      loadConfig({
        MEMNEX_EXTRACTOR: 'llm',
        MEMNEX_LLM_PROVIDER: 'openai',
        MEMNEX_LLM_URL: 'http://localhost:11434/v1',
        MEMNEX_LLM_MODEL: 'llama3.1',
      }).extractor,
    ).toEqual({
      kind: 'llm',
      provider: 'openai',
      url: 'http://localhost:11434/v1',
      model: 'llama3.1',
      apiKey: undefined,
      timeoutMs: 10_000,
    });
    expect(
      loadConfig({
        MEMNEX_EXTRACTOR: 'llm',
        MEMNEX_LLM_PROVIDER: 'anthropic',
        MEMNEX_LLM_MODEL: 'claude-3-5-haiku-latest',
        MEMNEX_LLM_API_KEY: 'sk-ant',
        MEMNEX_LLM_TIMEOUT_MS: '4000',
      }).extractor,
    ).toMatchObject({ provider: 'anthropic', url: undefined, timeoutMs: 4000 });
  });

  it('lists every missing or unused model setting at once', () => {
    expect(pathsOf({ MEMNEX_EXTRACTOR: 'llm' })).toEqual([
      'MEMNEX_LLM_MODEL',
      'MEMNEX_LLM_PROVIDER',
    ]);
    expect(
      pathsOf({ MEMNEX_EXTRACTOR: 'llm', MEMNEX_LLM_PROVIDER: 'openai', MEMNEX_LLM_MODEL: 'm' }),
    ).toEqual(['MEMNEX_LLM_URL']);
    expect(
      pathsOf({ MEMNEX_EXTRACTOR: 'llm', MEMNEX_LLM_PROVIDER: 'anthropic', MEMNEX_LLM_MODEL: 'm' }),
    ).toEqual(['MEMNEX_LLM_API_KEY']);
    expect(pathsOf({ MEMNEX_LLM_PROVIDER: 'openai', MEMNEX_LLM_MODEL: 'm' })).toEqual([
      'MEMNEX_LLM_MODEL',
      'MEMNEX_LLM_PROVIDER',
    ]);
    expect(
      pathsOf({
        MEMNEX_EXTRACTOR: 'gpt',
        MEMNEX_LLM_PROVIDER: 'cohere',
        MEMNEX_LLM_URL: 'not a url',
        MEMNEX_LLM_TIMEOUT_MS: '5',
      }),
    ).toEqual([
      'MEMNEX_EXTRACTOR',
      'MEMNEX_LLM_PROVIDER',
      'MEMNEX_LLM_TIMEOUT_MS',
      'MEMNEX_LLM_URL',
    ]);
  });
});
