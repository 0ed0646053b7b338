import { describe, expect, it } from 'vitest';
import { createPostgresStores, type PostgresStoresOptions } from './postgres-stores.js';

describe('createPostgresStores', () => {
  it('connects to nothing before init', () => {
    const stores = createPostgresStores({ url: 'postgres://nobody@127.0.0.1:1/none' });
    expect(stores.warm.capabilities).toEqual({ durable: true, shared: true });
    expect(stores.audit.capabilities).toEqual({ durable: true });
    expect(stores.semantic.capabilities).toEqual({ lexical: true, vector: true, scan: true });
    expect(stores.semantic.vectorSearch).toBeNull();
  });

  it('describes a data dir as durable but owned by one process', () => {
    const { warm } = createPostgresStores({ dataDir: '/nonexistent/memnex' });
    expect(warm.capabilities).toEqual({ durable: true, shared: false });
  });

  it('needs exactly one place to keep the data', () => {
    const invalid = [
      {},
      { url: 'postgres://x', memory: true },
    ] as unknown as PostgresStoresOptions[];
    for (const options of invalid) {
      expect(() => createPostgresStores(options)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      );
    }
  });

  it('fails init with STORAGE_UNAVAILABLE, naming the server but not the password', async () => {
    const { warm } = createPostgresStores({
      url: 'postgres://memnex:hunter2@127.0.0.1:1/nothing',
      connectTimeoutSeconds: 2,
    });
    const error = await warm.init().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect((error as Error).message).toContain('127.0.0.1:1/nothing');
    expect((error as Error).message).not.toContain('hunter2');
    await warm.close();
  });

  it('refuses calls before init with STORAGE_UNAVAILABLE', async () => {
    const { warm } = createPostgresStores({ memory: true });
    await expect(warm.getTenant({ tenantId: 't_0000000000000000' })).rejects.toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
    });
  });
});
