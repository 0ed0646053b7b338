import type { WarmStore } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { describeLifecycle } from '../assertions.js';
import { usePort, type ConformanceOptions } from '../conformance-options.js';
import { describeCommits } from './commits.js';
import { describeDeletes } from './deletes.js';
import { describeExpiredMemories } from './expired.js';
import { describeIdentifiers } from './identifiers.js';
import { describeMemoryQueries } from './memory-queries.js';
import { describeTenantsAndKeys } from './tenants-and-keys.js';
import { describeTransfers } from './transfers.js';
import { describeUsers } from './users.js';

/** Options of {@link runWarmStoreConformance}. */
export type WarmStoreConformanceOptions = ConformanceOptions<WarmStore>;

/** Register the WarmStore conformance suite for an adapter. Call it at the top of a test file. */
export function runWarmStoreConformance(options: WarmStoreConformanceOptions): void {
  describe(`WarmStore conformance: ${options.name}`, () => {
    const store = usePort(options);

    it('declares its capabilities', () => {
      expect(typeof store().capabilities.durable).toBe('boolean');
      expect(typeof store().capabilities.shared).toBe('boolean');
    });

    describeTenantsAndKeys(store);
    describeUsers(store);
    describeIdentifiers(store);
    describe('memories', () => describeMemoryQueries(store));
    describe('commitWrite', () => describeCommits(store));
    describeDeletes(store);
    describeTransfers(store);
    describeExpiredMemories(store);
    describeLifecycle(options, (port, tenantId) => port.getTenant({ tenantId }));
  });
}
