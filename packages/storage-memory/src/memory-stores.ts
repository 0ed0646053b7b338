import type { Stores } from '@memnex/core';
import { createMemoryAccountStore } from './memory-account-store.js';
import { createMemoryAuditLog } from './memory-audit-log.js';
import { createMemoryBus, type MemoryBusOptions } from './memory-bus.js';
import { createMemoryHotStore, type MemoryHotStoreOptions } from './memory-hot-store.js';
import {
  createMemorySemanticIndex,
  type MemorySemanticIndexOptions,
} from './memory-semantic-index.js';
import { createMemoryLeases } from './memory-leases.js';
import { createMemoryStateStore } from './memory-state-store.js';
import { createMemoryUsageStore } from './memory-usage-store.js';
import { createMemoryWarmStore } from './memory-warm-store.js';

/** Options of {@link createMemoryStores}. */
export interface MemoryStoresOptions {
  /** Options of the hot store: the clock used for TTL expiry. */
  hot?: MemoryHotStoreOptions;
  /** Options of the semantic index: the BM25 parameters. */
  semantic?: MemorySemanticIndexOptions;
  /** Options of the bus: the logger that receives handler failures. */
  bus?: MemoryBusOptions;
}

/**
 * Every port held in process memory: fast, isolated per tenant, and gone when the process
 * exits. Meant for tests, examples and single-process experiments.
 */
export function createMemoryStores(options: MemoryStoresOptions = {}): Stores {
  return {
    warm: createMemoryWarmStore(),
    hot: createMemoryHotStore(options.hot),
    semantic: createMemorySemanticIndex(options.semantic),
    bus: createMemoryBus(options.bus),
    audit: createMemoryAuditLog(),
    state: createMemoryStateStore(),
    leases: createMemoryLeases(),
    accounts: createMemoryAccountStore(),
    usage: createMemoryUsageStore(),
  };
}
