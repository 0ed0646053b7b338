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
