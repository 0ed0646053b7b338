import { GENESIS_HASH, MemnexError, silentLogger, type BusEvent, type Logger } from '@memnex/core';
import {
  createTestSeal,
  makeAuditDraft,
  makeIndexEntry,
  randomTenantId,
  waitFor,
} from '@memnex/storage-conformance';
import { describe, expect, it } from 'vitest';
import { createMemoryStores } from './memory-stores.js';

describe('createMemoryStores', () => {
  it('returns every port, in process and not durable', () => {
    const stores = createMemoryStores();
    expect(stores.warm.capabilities).toEqual({ durable: false, shared: false });
    expect(stores.hot.capabilities).toEqual({ shared: false });
    expect(stores.semantic.capabilities).toEqual({ lexical: true, vector: true, scan: true });
    expect(stores.bus.capabilities).toEqual({ crossInstance: false });
    expect(stores.audit.capabilities).toEqual({ durable: false });
  });

  it('refuses calls after close with STORAGE_UNAVAILABLE and works again after init', async () => {
    const { warm, audit } = createMemoryStores();
    const tenantId = randomTenantId();
    await warm.close();
    const error: unknown = await warm.getTenant({ tenantId }).catch((caught: unknown) => caught);
    expect(MemnexError.isInstance(error) && error.code).toBe('STORAGE_UNAVAILABLE');
    await warm.init();
    expect(await warm.getTenant({ tenantId })).toBeNull();
    await audit.close();
    await expect(
      audit.append({ tenantId, draft: makeAuditDraft(), seal: createTestSeal(), at: 'now' }),
    ).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
  });

  it('passes the BM25 parameters to the semantic index', async () => {
    const tenantId = randomTenantId();
    const search = async (b: number) => {
      const { semantic } = createMemoryStores({ semantic: { b } });
      const short = makeIndexEntry({ text: 'refund' });
      const long = makeIndexEntry({ userId: short.userId, text: 'refund order late again twice' });
      await semantic.upsert({ tenantId, entries: [short, long] });
      const hits = await semantic.searchLexical({
        tenantId,
        userId: short.userId,
        query: 'refund',
        limit: 2,
      });
      return hits.map((hit) => hit.score);
    };
    const withLength = await search(0.75);
    const withoutLength = await search(0);
    expect(withLength[0]).toBeGreaterThan(withLength[1] ?? 0);
    expect(withoutLength[0]).toBeCloseTo(withoutLength[1] ?? 0, 10);
  });

  it('logs a failing bus handler through the given logger', async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (message) => warnings.push(message) };
    const { bus } = createMemoryStores({ bus: { logger } });
    bus.subscribe(() => {
      throw new Error('boom');
    });
    bus.subscribe(async () => {
      throw new Error('async boom');
    });
    const event: BusEvent = { type: 'tenant.changed', tenantId: randomTenantId() };
    await bus.publish(event);
    await waitFor(() => warnings.length === 2, 'both failures');
    expect(warnings).toEqual(['bus handler failed', 'bus handler failed']);
  });

  it('never delivers an event synchronously inside publish', async () => {
    const { bus } = createMemoryStores();
    const received: BusEvent[] = [];
    bus.subscribe((event) => received.push(event));
    const publishing = bus.publish({ type: 'tenant.changed', tenantId: randomTenantId() });
    expect(received).toHaveLength(0);
    await publishing;
    expect(received).toHaveLength(1);
  });

  it('starts every tenant ledger from the genesis hash', async () => {
    const { audit } = createMemoryStores();
    const entry = await audit.append({
      tenantId: randomTenantId(),
      draft: makeAuditDraft(),
      seal: createTestSeal(),
      at: new Date(0).toISOString(),
    });
    expect(entry.prevHash).toBe(GENESIS_HASH);
  });
});
